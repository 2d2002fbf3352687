// A loading state for the list; detail pages have none, so their 404s keep a 404 status.
export { PageSkeleton as default } from "@/components/ui/page-skeleton";
