"use client";

import { useActionState, useId, useState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { MAX_NOTE_LENGTH, RESOLUTION_LABELS, RESOLUTIONS, type CaseActionResult } from "@/lib/duplicates/resolutions";

type Action = (previous: CaseActionResult | null, form: FormData) => Promise<CaseActionResult>;

const HELP: Record<(typeof RESOLUTIONS)[number], string> = {
  refunded: "the extra payment was paid back",
  not_duplicate: "both payments were meant (e.g. two purchases)",
  other: "anything else: say what in the note",
};

/** Finance's decision about one case. Viewers never get this form; the action refuses them anyway. */
export function ResolveCaseForm({ caseId, paymentsSeen, action }: { caseId: string; paymentsSeen: number; action: Action }) {
  const [result, submit, pending] = useActionState(action, null);
  // Nothing chosen until the user chooses: a default would make one stray click record the weightiest outcome.
  const [resolution, setResolution] = useState<string | null>(null);
  const id = useId();
  const noteRequired = resolution === "other";
  return (
    <form action={submit} className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3">
      <input type="hidden" name="caseId" value={caseId} />
      {/* The decision covers the payments shown: the server refuses it if more have arrived since. */}
      <input type="hidden" name="paymentsSeen" value={paymentsSeen} />
      <fieldset>
        <legend className="text-sm font-semibold text-slate-900">Record a resolution</legend>
        <div className="mt-2 flex flex-wrap gap-x-5 gap-y-2">
          {RESOLUTIONS.map((value) => (
            <label key={value} className="flex items-start gap-2 text-sm">
              <input
                type="radio"
                name="resolution"
                value={value}
                checked={resolution === value}
                onChange={() => setResolution(value)}
                required
                className="mt-0.5 focus-visible:ring-2 focus-visible:ring-indigo-400"
              />
              <span>
                {RESOLUTION_LABELS[value]}
                <span className="block text-xs text-slate-600">{HELP[value]}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div>
        <label htmlFor={`${id}-note`} className="block text-sm font-medium text-slate-800">
          Note {noteRequired ? <span className="text-red-700">(required for “other”)</span> : <span className="text-slate-500">(optional)</span>}
        </label>
        <textarea
          id={`${id}-note`}
          name="note"
          rows={2}
          maxLength={MAX_NOTE_LENGTH}
          required={noteRequired}
          aria-describedby={result && !result.ok ? `${id}-error` : undefined}
          className="mt-1 w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-300"
          placeholder="e.g. refund reference, who approved it"
        />
      </div>
      {result && !result.ok ? (
        <p id={`${id}-error`} role="alert" className="text-sm font-medium text-red-800">
          {result.message}
        </p>
      ) : null}
      <SubmitButton pending={pending} pendingLabel="Saving…">
        Record resolution
      </SubmitButton>
    </form>
  );
}
