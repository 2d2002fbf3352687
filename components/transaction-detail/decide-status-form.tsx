"use client";

import { useActionState, useId } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { MAX_DECISION_NOTE_LENGTH, type StatusDecisionResult } from "@/lib/transactions/status-decision-rules";

type Action = (previous: StatusDecisionResult | null, form: FormData) => Promise<StatusDecisionResult>;

/** A finance user's (or an admin's) choice between the first final state and the one the provider reported later. */
export function DecideStatusForm({ transactionId, first, later, action }: { transactionId: string; first: string; later: string; action: Action }) {
  const [result, submit, pending] = useActionState(action, null);
  const id = useId();
  return (
    <form action={submit} aria-label="Decide the conflicting status" className="mt-3 space-y-3 border-t border-amber-200 pt-3">
      <input type="hidden" name="transactionId" value={transactionId} />
      <input type="hidden" name="laterSeen" value={later} />
      <fieldset>
        <legend className="text-sm font-medium text-amber-950">After checking the provider&apos;s portal</legend>
        <label className="mt-1 flex items-start gap-2">
          <input type="radio" name="decision" value="apply" required className="mt-1" />
          <span>
            Apply <strong>{later}</strong>, the later report: the transaction takes that status (a payment that becomes succeeded counts in
            the totals and is checked for duplicates).
          </span>
        </label>
        <label className="mt-1 flex items-start gap-2">
          <input type="radio" name="decision" value="keep" required className="mt-1" />
          <span>
            Keep <strong>{first}</strong>, the first report: the later one is recorded as decided.
          </span>
        </label>
      </fieldset>
      <div>
        <label htmlFor={`${id}-note`} className="block text-sm font-medium text-amber-950">
          Note <span className="font-normal">(optional: what the portal showed, a ticket number)</span>
        </label>
        <input
          id={`${id}-note`}
          name="note"
          maxLength={MAX_DECISION_NOTE_LENGTH}
          className="mt-1 w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-300"
        />
      </div>
      <SubmitButton pending={pending} pendingLabel="Recording…">
        Record the decision
      </SubmitButton>
      {result ? (
        <p role={result.ok ? "status" : "alert"} className={result.ok ? "text-sm text-emerald-800" : "text-sm font-medium text-red-800"}>
          {result.message}
        </p>
      ) : null}
    </form>
  );
}
