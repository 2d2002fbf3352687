import { formatDateTime } from "@/lib/format";
import type { UserListItem } from "@/lib/users/find-users";
import { ROLE_LABELS } from "@/lib/users/user-rules";
import { UserRowActions, type UserRowActionSet } from "./user-row-actions";

/** Every account with its role and state; an admin's changes beside each other user's row. */
export function UsersTable({ users, currentUserId, timeZone, actions }: { users: UserListItem[]; currentUserId: string; timeZone: string; actions: UserRowActionSet }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full min-w-[720px] text-sm">
        <caption className="sr-only">Users who can sign in, admins first</caption>
        <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2">User</th>
            <th scope="col" className="px-3 py-2">Role</th>
            <th scope="col" className="px-3 py-2">Status</th>
            <th scope="col" className="px-3 py-2">Added ({timeZone})</th>
            <th scope="col" className="px-3 py-2">Change</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {users.map((user) => {
            const self = user.id === currentUserId;
            return (
              <tr key={user.id} data-testid="user-row" data-email={user.email}>
                <th scope="row" className="px-3 py-2 text-left font-normal">
                  <span className="block font-medium text-slate-900">
                    {user.email}
                    {self ? <span className="ml-1 text-xs font-normal text-slate-500">(you)</span> : null}
                  </span>
                  {user.name ? <span className="block text-slate-600">{user.name}</span> : null}
                  {user.caseActions > 0 ? (
                    <span className="block text-xs text-slate-500">
                      {user.caseActions} duplicate-case decision{user.caseActions === 1 ? "" : "s"} on record
                    </span>
                  ) : null}
                </th>
                <td className="whitespace-nowrap px-3 py-2">
                  <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs uppercase tracking-wide">{ROLE_LABELS[user.role]}</span>
                </td>
                <td className="whitespace-nowrap px-3 py-2">
                  {user.disabledAt ? (
                    <span className="text-red-800">
                      Disabled <span className="block text-xs text-slate-600 tabular">{formatDateTime(user.disabledAt, timeZone)}</span>
                    </span>
                  ) : (
                    <span className="text-emerald-800">Active</span>
                  )}
                </td>
                <td className="whitespace-nowrap px-3 py-2 tabular">{formatDateTime(user.createdAt, timeZone)}</td>
                <td className="px-3 py-2">
                  {self ? (
                    <span className="text-xs text-slate-600">Your own account: another admin changes its role or state.</span>
                  ) : (
                    <UserRowActions user={{ id: user.id, email: user.email, role: user.role, disabled: user.disabledAt !== null }} actions={actions} />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
