"use client";

import { useActionState, useId } from "react";
import { MIN_PASSWORD_LENGTH, ROLE_LABELS, ROLES, type Role, type UserActionResult } from "@/lib/users/user-rules";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionMessage } from "./action-message";
import { NewPasswordInput } from "./new-password-input";

type Action = (previous: UserActionResult | null, form: FormData) => Promise<UserActionResult>;
export type UserRowActionSet = { changeRole: Action; setDisabled: Action; setPassword: Action };

const FIELD = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-300";

type User = { id: string; email: string; role: Role; disabled: boolean };

function ChangeRoleForm({ user, action }: { user: User; action: Action }) {
  const [result, submit, pending] = useActionState(action, null);
  const id = useId();
  return (
    <form action={submit} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="userId" value={user.id} />
      <label htmlFor={`${id}-role`} className="sr-only">Role for {user.email}</label>
      <select id={`${id}-role`} name="role" defaultValue={user.role} className={FIELD}>
        {ROLES.map((role) => (
          <option key={role} value={role}>{ROLE_LABELS[role]}</option>
        ))}
      </select>
      <SubmitButton variant="secondary" pending={pending} pendingLabel="Saving…" label={`Change the role of ${user.email}`}>
        Change role
      </SubmitButton>
      <ActionMessage result={result} className="w-full" />
    </form>
  );
}

function DisableForm({ user, action }: { user: User; action: Action }) {
  const [result, submit, pending] = useActionState(action, null);
  const label = user.disabled ? "Enable" : "Disable";
  return (
    <form
      action={submit}
      onSubmit={(event) => {
        if (!user.disabled && !window.confirm(`Disable ${user.email}? They are signed out at once and cannot sign in until enabled again.`)) event.preventDefault();
      }}
      className="flex flex-wrap items-center gap-2"
    >
      <input type="hidden" name="userId" value={user.id} />
      <input type="hidden" name="disabled" value={user.disabled ? "false" : "true"} />
      <SubmitButton variant="secondary" pending={pending} pendingLabel="Saving…" label={`${label} ${user.email}`}>
        {label}
      </SubmitButton>
      <ActionMessage result={result} className="w-full" />
    </form>
  );
}

function SetPasswordForm({ user, action }: { user: User; action: Action }) {
  const [result, submit, pending] = useActionState(action, null);
  const id = useId();
  return (
    <details className="group">
      <summary className="cursor-pointer text-sm font-medium text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400">
        Set a new password<span className="sr-only"> for {user.email}</span>
      </summary>
      <form action={submit} className="mt-2 flex flex-wrap items-center gap-2">
        <input type="hidden" name="userId" value={user.id} />
        <label htmlFor={`${id}-password`} className="sr-only">New password for {user.email}</label>
        <NewPasswordInput id={`${id}-password`} placeholder={`at least ${MIN_PASSWORD_LENGTH} characters`} className={FIELD} />
        <SubmitButton variant="secondary" pending={pending} pendingLabel="Saving…">
          Set password
        </SubmitButton>
        <p className="w-full text-xs text-slate-600">Signs them out everywhere.</p>
        <ActionMessage result={result} className="w-full" />
      </form>
    </details>
  );
}

/** The changes an admin can make to someone else's account. */
export function UserRowActions({ user, actions }: { user: User; actions: UserRowActionSet }) {
  return (
    <div className="flex flex-col gap-2">
      <ChangeRoleForm user={user} action={actions.changeRole} />
      <DisableForm user={user} action={actions.setDisabled} />
      <SetPasswordForm user={user} action={actions.setPassword} />
    </div>
  );
}
