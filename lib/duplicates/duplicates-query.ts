import { z } from "zod";
import { PROVIDER_LABELS } from "@/lib/format";
import { CASE_STATES } from "./find-duplicate-cases";

// The duplicate-payments page's state, all of it in the URL so a filtered view
// can be bookmarked and shared. A value that does not parse falls back to its
// default instead of failing the page.

const single = (value: unknown) => (Array.isArray(value) ? value[0] : value);

export const duplicatesQuerySchema = z.object({
  status: z.preprocess(single, z.enum(CASE_STATES).catch("open").default("open")),
  provider: z.preprocess(
    single,
    z
      .string()
      .refine((value) => value in PROVIDER_LABELS)
      .optional()
      .catch(undefined),
  ),
  cursor: z.preprocess(single, z.string().max(300).optional().catch(undefined)),
  case: z.preprocess(single, z.guid().optional().catch(undefined)),
});
export type DuplicatesQuery = z.infer<typeof duplicatesQuerySchema>;

/** The CSV of the list a query shows: every page of it, so its state and provider, not its cursor. */
export function duplicatesExportHref(query: Pick<DuplicatesQuery, "status" | "provider">): string {
  return duplicatesHref({ status: query.status, provider: query.provider }).replace(/^\/duplicates/, "/api/duplicates/export");
}

/** `/duplicates?…` for a query, leaving out defaults so the plain page has the plain URL. */
export function duplicatesHref(query: Partial<DuplicatesQuery>): string {
  const params = new URLSearchParams();
  if (query.status && query.status !== "open") params.set("status", query.status);
  if (query.provider) params.set("provider", query.provider);
  if (query.case) params.set("case", query.case);
  if (query.cursor) params.set("cursor", query.cursor);
  const search = params.toString();
  return search ? `/duplicates?${search}` : "/duplicates";
}
