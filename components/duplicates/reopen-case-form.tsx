"use client";

import { useActionState, useId } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { MAX_NOTE_LENGTH, type CaseActionResult } from "@/lib/duplicates/resolutions";

type Action = (previous: CaseActionResult | null, form: FormData) => Promise<CaseActionResult>;

/** Puts a resolved case back in the open list; the earlier resolution stays in its history. */
export function ReopenCaseForm({ caseId, action }: { caseId: string; action: Action }) {
  const [result, submit, pending] = useActionState(action, null);
  const id = useId();
  return (
    <form action={submit} className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="caseId" value={caseId} />
      <div className="min-w-[16rem] flex-1">
        <label htmlFor={`${id}-note`} className="block text-sm font-medium text-slate-800">
          Reason for reopening <span className="text-slate-500">(optional)</span>
        </label>
        <input
          id={`${id}-note`}
          name="note"
          maxLength={MAX_NOTE_LENGTH}
          className="mt-1 w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-300"
        />
      </div>
      <SubmitButton variant="secondary" pending={pending} pendingLabel="Reopening…">
        Reopen case
      </SubmitButton>
      {result && !result.ok ? (
        <p role="alert" className="w-full text-sm font-medium text-red-800">
          {result.message}
        </p>
      ) : null}
    </form>
  );
}
