"use server";

import { revalidatePath } from "next/cache";
import { AccessDenied, authorize, type SessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { reopenDuplicateCase } from "@/lib/duplicates/reopen-duplicate-case";
import type { CaseActionResult } from "@/lib/duplicates/resolutions";
import { resolveDuplicateCase } from "@/lib/duplicates/resolve-duplicate-case";

// Server actions behind the resolve / reopen forms. Next refuses cross-site
// posts by Origin; authorize("admin") refuses viewers and signed-out callers, and
// the lib functions check the role again, so posting an action directly gets nowhere.

async function admin(): Promise<SessionUser | CaseActionResult> {
  try {
    return await authorize("admin");
  } catch (error) {
    if (error instanceof AccessDenied) return { ok: false, message: error.message };
    throw error;
  }
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : null;
};

function refreshViews(): void {
  revalidatePath("/duplicates");
  revalidatePath("/transactions/[id]", "page");
  revalidatePath("/overview");
}

async function run(change: (user: SessionUser) => Promise<CaseActionResult>): Promise<CaseActionResult> {
  const user = await admin();
  if ("ok" in user) return user;
  try {
    const result = await change(user);
    if (result.ok) refreshViews();
    return result;
  } catch (error) {
    if (isDatabaseUnavailable(error)) return { ok: false, message: "The database is unreachable, so nothing was saved. Try again in a moment." };
    throw error;
  }
}

export async function resolveCaseAction(_previous: CaseActionResult | null, form: FormData): Promise<CaseActionResult> {
  return run(async (user) =>
    resolveDuplicateCase(await getDb(), user, {
      caseId: text(form, "caseId"),
      resolution: text(form, "resolution"),
      note: text(form, "note"),
    }),
  );
}

export async function reopenCaseAction(_previous: CaseActionResult | null, form: FormData): Promise<CaseActionResult> {
  return run(async (user) => reopenDuplicateCase(await getDb(), user, { caseId: text(form, "caseId"), note: text(form, "note") }));
}
