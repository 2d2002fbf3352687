import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export default function TransactionNotFound() {
  return (
    <EmptyState title="No such transaction">
      <p>The link may be mistyped, or the transaction is in another environment.</p>
      <Link href="/transactions" className="mt-3 inline-block font-medium text-indigo-700 underline-offset-2 hover:underline">
        Back to all transactions
      </Link>
    </EmptyState>
  );
}
