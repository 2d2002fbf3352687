import { formatDateTime } from "@/lib/format";
import { USER_CHANGES_SHOWN, type UserChangeItem } from "@/lib/users/find-user-changes";
import { roleNoun, type Role } from "@/lib/users/user-rules";

// A role the history recorded before it was kept (null) reads as a viewer's, the default then.
const roleText = (role: Role | null) => roleNoun(role ?? "viewer");

function describe(item: UserChangeItem): string {
  switch (item.change) {
    case "added":
      return `Added as ${roleText(item.role)}`;
    case "role_changed":
      return `Made ${roleText(item.role)}`;
    case "disabled":
      return "Disabled (signed out everywhere)";
    case "enabled":
      return "Enabled";
    case "password_set":
      return "New password set (signed out everywhere)";
    default:
      // A kind a later version recorded: shown as stored rather than as nothing.
      return item.change;
  }
}

/** Who changed which account, and how: the users page's history. */
export function UserChanges({ changes, timeZone }: { changes: UserChangeItem[]; timeZone: string }) {
  return (
    <section aria-labelledby="user-changes-heading" className="space-y-2">
      <h2 id="user-changes-heading" className="text-base font-semibold text-slate-900">
        Account changes
      </h2>
      <p className="text-sm text-slate-600">
        The latest {USER_CHANGES_SHOWN}, newest first, each recorded with the change itself. Disabled accounts stay, so every entry keeps its names.
      </p>
      {changes.length === 0 ? (
        <p className="text-sm text-slate-600">No account has been added or changed since this history began.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full min-w-[640px] text-sm">
            <caption className="sr-only">Account changes, newest first</caption>
            <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-3 py-2">When ({timeZone})</th>
                <th scope="col" className="px-3 py-2">Account</th>
                <th scope="col" className="px-3 py-2">Change</th>
                <th scope="col" className="px-3 py-2">By</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {changes.map((item) => (
                <tr key={item.id} data-testid="user-change">
                  <td className="whitespace-nowrap px-3 py-2 tabular">{formatDateTime(item.at, timeZone)}</td>
                  <td className="px-3 py-2">{item.email}</td>
                  <td className="px-3 py-2">{describe(item)}</td>
                  <td className="px-3 py-2">{item.actorEmail ?? <span className="text-slate-600">a script (npm run user:create)</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
