import type { Db } from "@/lib/db/client";
import { runTransaction } from "@/lib/db/run-transaction";
import { hasRole, onlyWho } from "@/lib/users/user-rules";
import { firstIssue, reopenCaseInputSchema, type CaseActionResult, type CaseActor } from "./resolve-duplicate-case";

/** Puts a resolved case back in the open list, keeping the earlier resolution in its history. */
export async function reopenDuplicateCase(db: Db, user: CaseActor, input: unknown): Promise<CaseActionResult> {
  if (!hasRole(user.role, "finance")) return { ok: false, message: `${onlyWho("finance")} can reopen a duplicate payment.` };
  const parsed = reopenCaseInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: firstIssue(parsed.error) };
  const { caseId, note } = parsed.data;

  return runTransaction(db, async (tx) => {
    const at = new Date();
    const { count } = await tx.duplicateCase.updateMany({
      where: { id: caseId, resolvedAt: { not: null } },
      data: { resolution: null, resolutionNote: null, resolvedAt: null, resolvedById: null },
    });
    if (count === 0) {
      const exists = await tx.duplicateCase.findUnique({ where: { id: caseId }, select: { id: true } });
      if (!exists) return { ok: false, message: "There is no such duplicate case: it may have been removed." };
      return { ok: false, message: "This case is already open. Reload the page to see its current state." };
    }
    await tx.duplicateCaseAction.create({ data: { caseId, action: "reopened", note, userId: user.id, at } });
    return { ok: true };
  });
}
