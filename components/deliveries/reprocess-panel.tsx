"use client";

import Link from "next/link";
import { useActionState, type ReactNode } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { reprocessDeliveryAction, type ReprocessActionState } from "@/app/(dashboard)/deliveries/actions";

/**
 * Holds the reprocess action's answer across the server re-render that follows
 * it: the history above changes, and the answer stays on screen beneath it.
 */
export function ReprocessPanel({ deliveryId, canReprocess, children }: { deliveryId: string; canReprocess: boolean; children: ReactNode }) {
  const [state, action, pending] = useActionState<ReprocessActionState, FormData>(reprocessDeliveryAction, null);
  return (
    <div className="space-y-3">
      {children}
      {canReprocess ? (
        <form action={action}>
          <input type="hidden" name="deliveryId" value={deliveryId} />
          <SubmitButton pending={pending} pendingLabel="Reprocessing…">
            Reprocess this delivery
          </SubmitButton>
        </form>
      ) : null}
      <div role="status" aria-live="polite" className="text-sm">
        {state?.ok === true ? (
          <p className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-900">
            {state.message}{" "}
            <Link href={`/deliveries/${state.deliveryId}`} className="text-indigo-700 underline">
              View the new delivery
            </Link>{" "}
            ·{" "}
            <Link href={`/transactions/${state.transactionId}`} className="text-indigo-700 underline">
              View the transaction
            </Link>
          </p>
        ) : state?.ok === false ? (
          <p className="rounded-md bg-red-50 px-3 py-2 text-red-900">{state.message}</p>
        ) : null}
      </div>
    </div>
  );
}
