import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export default function DeliveryNotFound() {
  return (
    <EmptyState title="No such delivery">
      The link may be mistyped, the delivery may belong to another database, or it was a refusal no signature vouched for,
      deleted once past its retention period.{" "}
      <Link href="/deliveries" className="text-indigo-700 underline">
        Back to all deliveries
      </Link>
    </EmptyState>
  );
}
