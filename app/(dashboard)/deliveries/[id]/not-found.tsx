import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export default function DeliveryNotFound() {
  return (
    <EmptyState title="No such delivery">
      The link may be mistyped, or the delivery belongs to another database.{" "}
      <Link href="/deliveries" className="text-indigo-700 underline">
        Back to all deliveries
      </Link>
    </EmptyState>
  );
}
