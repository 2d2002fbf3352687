import type { Metadata } from "next";
import { AddUserForm } from "@/components/users/add-user-form";
import { UserChanges } from "@/components/users/user-changes";
import { UsersTable } from "@/components/users/users-table";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { preferredTimeZone } from "@/lib/preferences/time-zone";
import { findUserChanges } from "@/lib/users/find-user-changes";
import { findAdminEmails, findUsers } from "@/lib/users/find-users";
import { addUserAction, changeUserRoleAction, setUserDisabledAction, setUserPasswordAction } from "./actions";
import { hasRole } from "@/lib/users/user-rules";

export const metadata: Metadata = { title: "Users" };

const ROW_ACTIONS = { changeRole: changeUserRoleAction, setDisabled: setUserDisabledAction, setPassword: setUserPasswordAction };

export default async function UsersPage() {
  const user = await requireUser("/users");
  const db = await getDb();
  if (!hasRole(user.role, "admin")) {
    // A viewer or finance user learns whom to ask, and nothing about the accounts or the admin forms.
    const admins = await findAdminEmails(db);
    return (
      <div>
        <PageHeader title="Users" />
        <div role="note" className="rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
          <p className="font-medium">Only an admin can manage users.</p>
          <p className="mt-1">
            To add someone, change a role or disable an account, ask an admin
            {admins.length > 0 ? <>: {admins.join(", ")}</> : null}.
          </p>
        </div>
      </div>
    );
  }
  const [users, changes, timeZone] = await Promise.all([findUsers(db), findUserChanges(db), preferredTimeZone()]);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Users"
        description={
          <>
            Who can sign in. Viewers read every page; finance users also resolve duplicate payments and conflicting states;
            admins also reprocess deliveries and manage users. A
            disabled account is signed out at once and keeps its history; there is always at least one active admin.
          </>
        }
      />
      <AddUserForm action={addUserAction} />
      <UsersTable users={users} currentUserId={user.id} timeZone={timeZone} actions={ROW_ACTIONS} />
      <UserChanges changes={changes} timeZone={timeZone} />
    </div>
  );
}
