"use client";

import { useActionState, useId } from "react";
import { MIN_PASSWORD_LENGTH, ROLE_HELP, ROLE_LABELS, ROLES, type UserActionResult } from "@/lib/users/user-rules";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionMessage } from "./action-message";
import { NewPasswordInput } from "./new-password-input";

type Action = (previous: UserActionResult | null, form: FormData) => Promise<UserActionResult>;

const INPUT =
  "mt-1 w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-300";

/** An admin adds a teammate with a first password; the form empties itself once the account exists. */
export function AddUserForm({ action }: { action: Action }) {
  const [result, submit, pending] = useActionState(action, null);
  const id = useId();
  return (
    <form action={submit} aria-labelledby={`${id}-title`} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
        Add a user
      </h2>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <div>
          <label htmlFor={`${id}-email`} className="block text-sm font-medium text-slate-800">Email</label>
          <input id={`${id}-email`} name="email" type="email" required maxLength={320} autoComplete="off" className={INPUT} />
        </div>
        <div>
          <label htmlFor={`${id}-name`} className="block text-sm font-medium text-slate-800">
            Name <span className="text-slate-500">(optional)</span>
          </label>
          <input id={`${id}-name`} name="name" maxLength={200} autoComplete="off" className={INPUT} />
        </div>
        <div>
          <label htmlFor={`${id}-role`} className="block text-sm font-medium text-slate-800">Role</label>
          <select id={`${id}-role`} name="role" defaultValue="viewer" aria-describedby={`${id}-role-help`} className={INPUT}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
          <p id={`${id}-role-help`} className="mt-1 text-xs text-slate-600">
            {ROLES.map((role) => `${ROLE_LABELS[role]}: ${ROLE_HELP[role]}.`).join(" ")}
          </p>
        </div>
        <div>
          <label htmlFor={`${id}-password`} className="block text-sm font-medium text-slate-800">First password</label>
          <NewPasswordInput id={`${id}-password`} aria-describedby={`${id}-password-help`} className={INPUT} />
          <p id={`${id}-password-help`} className="mt-1 text-xs text-slate-600">At least {MIN_PASSWORD_LENGTH} characters.</p>
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={pending} pendingLabel="Adding…">
          Add user
        </SubmitButton>
        <ActionMessage result={result} />
      </div>
    </form>
  );
}
