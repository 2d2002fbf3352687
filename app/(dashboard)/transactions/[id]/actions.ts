"use server";

import { revalidatePath } from "next/cache";
import { asRole, formText as text } from "@/lib/auth/role-action";
import { getDb } from "@/lib/db/client";
import { decideStatusConflict, type StatusDecisionResult } from "@/lib/transactions/decide-status-conflict";

// The server action behind a transaction's conflicting-status form. proxy.ts
// refuses cross-site posts; asRole("finance") refuses viewers and signed-out
// callers, and decideStatusConflict checks the role again.

export async function decideStatusConflictAction(_previous: StatusDecisionResult | null, form: FormData): Promise<StatusDecisionResult> {
  const result = await asRole("finance", async (user) =>
    decideStatusConflict(await getDb(), user, {
      transactionId: text(form, "transactionId"),
      decision: text(form, "decision"),
      laterSeen: text(form, "laterSeen"),
      note: text(form, "note"),
    }),
  );
  if (result.ok) {
    // A status, the totals and perhaps a duplicate case changed.
    revalidatePath("/transactions/[id]", "page");
    revalidatePath("/transactions");
    revalidatePath("/overview");
    revalidatePath("/duplicates");
  }
  return result;
}
