"use server";

import { revalidatePath } from "next/cache";
import { asRole, formText as text } from "@/lib/auth/role-action";
import type { SessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { reopenDuplicateCase } from "@/lib/duplicates/reopen-duplicate-case";
import type { CaseActionResult } from "@/lib/duplicates/resolutions";
import { resolveDuplicateCase } from "@/lib/duplicates/resolve-duplicate-case";

// Server actions behind the resolve / reopen forms. proxy.ts refuses cross-site
// posts by Origin (a 403); asRole("finance") refuses viewers and signed-out callers, and
// the lib functions check the role again, so posting an action directly gets nowhere.

function refreshViews(): void {
  revalidatePath("/duplicates");
  revalidatePath("/transactions/[id]", "page");
  revalidatePath("/overview");
}

async function run(change: (user: SessionUser) => Promise<CaseActionResult>): Promise<CaseActionResult> {
  const result = await asRole("finance", change);
  if (result.ok) refreshViews();
  return result;
}

export async function resolveCaseAction(_previous: CaseActionResult | null, form: FormData): Promise<CaseActionResult> {
  return run(async (user) =>
    resolveDuplicateCase(await getDb(), user, {
      caseId: text(form, "caseId"),
      resolution: text(form, "resolution"),
      note: text(form, "note"),
      paymentsSeen: text(form, "paymentsSeen"),
    }),
  );
}

export async function reopenCaseAction(_previous: CaseActionResult | null, form: FormData): Promise<CaseActionResult> {
  return run(async (user) => reopenDuplicateCase(await getDb(), user, { caseId: text(form, "caseId"), note: text(form, "note") }));
}
