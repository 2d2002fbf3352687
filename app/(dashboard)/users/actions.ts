"use server";

import { revalidatePath } from "next/cache";
import { AccessDenied, authorize, type SessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { addUser, changeUserRole, setUserDisabled, setUserPassword } from "@/lib/users/manage-users";
import type { UserActionResult } from "@/lib/users/user-rules";

// Server actions behind the users page. authorize("admin") refuses viewers and
// signed-out callers, and the lib functions check the role again, so posting an
// action directly gets nowhere.

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : null;
};

async function run(change: (user: SessionUser) => Promise<UserActionResult>): Promise<UserActionResult> {
  let user: SessionUser;
  try {
    user = await authorize("admin");
  } catch (error) {
    if (error instanceof AccessDenied) return { ok: false, message: error.message };
    throw error;
  }
  try {
    const result = await change(user);
    if (result.ok) revalidatePath("/users");
    return result;
  } catch (error) {
    if (isDatabaseUnavailable(error)) return { ok: false, message: "The database is unreachable, so nothing was saved. Try again in a moment." };
    throw error;
  }
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
