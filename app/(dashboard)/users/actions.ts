"use server";

import { revalidatePath } from "next/cache";
import { asRole, formText as text } from "@/lib/auth/role-action";
import type { SessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { addUser, changeUserRole, setUserDisabled, setUserPassword } from "@/lib/users/manage-users";
import type { UserActionResult } from "@/lib/users/user-rules";

// Server actions behind the users page. asRole("admin") refuses everyone but
// admins, and the lib functions check the role again, so posting an action
// directly gets nowhere.

async function run(change: (user: SessionUser) => Promise<UserActionResult>): Promise<UserActionResult> {
  const result = await asRole("admin", change);
  if (result.ok) revalidatePath("/users");
  return result;
}

export async function addUserAction(_previous: UserActionResult | null, form: FormData): Promise<UserActionResult> {
  return run(async (user) =>
    addUser(await getDb(), user, { email: text(form, "email"), name: text(form, "name"), role: text(form, "role"), password: text(form, "password") }),
  );
}

export async function changeUserRoleAction(_previous: UserActionResult | null, form: FormData): Promise<UserActionResult> {
  return run(async (user) => changeUserRole(await getDb(), user, { userId: text(form, "userId"), role: text(form, "role") }));
}

export async function setUserDisabledAction(_previous: UserActionResult | null, form: FormData): Promise<UserActionResult> {
  return run(async (user) => setUserDisabled(await getDb(), user, { userId: text(form, "userId"), disabled: text(form, "disabled") }));
}

export async function setUserPasswordAction(_previous: UserActionResult | null, form: FormData): Promise<UserActionResult> {
  return run(async (user) => setUserPassword(await getDb(), user, { userId: text(form, "userId"), password: text(form, "password") }));
}
