import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { runTransaction } from "@/lib/db/run-transaction";
import { optionalNoteSchema } from "@/lib/optional-note";
import { hasRole, onlyWho, type Actor } from "@/lib/users/user-rules";
import { MAX_NOTE_LENGTH, RESOLUTIONS, type CaseActionResult } from "./resolutions";

export type { CaseActionResult } from "./resolutions";

// Finance's decision about a duplicate payment. The server action and the tests
// call this same function, so the role check and the conditional update hold
// however the request arrives.

/** Who acts: the signed-in user as `authorize()` returns it. */
export type CaseActor = Actor;

const noteSchema = optionalNoteSchema(MAX_NOTE_LENGTH);

export const resolveCaseInputSchema = z
  .object({
    caseId: z.guid({ error: "This duplicate case id is not valid." }),
    resolution: z.enum(RESOLUTIONS, { error: "Choose a resolution: refunded, not a duplicate, or other." }),
    note: noteSchema,
    /** How many payments the user saw in the case: the decision is about those, so it is refused if there are more now. */
    paymentsSeen: z.preprocess(
      (value) => (value === null || value === "" ? undefined : value),
      z.coerce.number({ error: "The number of payments seen must be a whole number." }).int().min(0).optional(),
    ),
  })
  .refine((input) => input.resolution !== "other" || input.note !== null, {
    path: ["note"],
    message: "Say what was done in the note: it is required when the resolution is “other”.",
  });
export type ResolveCaseInput = z.input<typeof resolveCaseInputSchema>;

export const reopenCaseInputSchema = z.object({
  caseId: z.guid({ error: "This duplicate case id is not valid." }),
  note: noteSchema,
});
export type ReopenCaseInput = z.input<typeof reopenCaseInputSchema>;

export function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? "The request is not valid.";
}

/** Thrown inside the transaction to roll the resolution back: the case changed under the user's eyes. */
class CaseChanged extends Error {
  constructor(readonly payments: number) {
    super("the case's payments changed");
  }
}

export async function resolveDuplicateCase(db: Db, user: CaseActor, input: unknown): Promise<CaseActionResult> {
  if (!hasRole(user.role, "finance")) return { ok: false, message: `${onlyWho("finance")} can resolve a duplicate payment.` };
  const parsed = resolveCaseInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: firstIssue(parsed.error) };
  const { caseId, resolution, note, paymentsSeen } = parsed.data;

  try {
    return await resolveOpenCase(db, user, { caseId, resolution, note, paymentsSeen });
  } catch (error) {
    if (!(error instanceof CaseChanged)) throw error;
    return {
      ok: false,
      message: `Another payment arrived for this order since the page was loaded: the case now has ${error.payments}, not ${paymentsSeen}. Reload the page and decide again.`,
    };
  }
}

function resolveOpenCase(
  db: Db,
  user: CaseActor,
  { caseId, resolution, note, paymentsSeen }: { caseId: string; resolution: (typeof RESOLUTIONS)[number]; note: string | null; paymentsSeen?: number },
): Promise<CaseActionResult> {
  return runTransaction(db, async (tx) => {
    const at = new Date();
    // Only an open case changes: of two people resolving at once, the second finds it resolved.
    const { count } = await tx.duplicateCase.updateMany({
      where: { id: caseId, resolvedAt: null },
      data: { resolution, resolutionNote: note, resolvedAt: at, resolvedById: user.id },
    });
    if (count === 0) {
      const current = await tx.duplicateCase.findUnique({
        where: { id: caseId },
        select: { resolvedBy: { select: { email: true } } },
      });
      if (!current) return { ok: false, message: "There is no such duplicate case: it may have been removed." };
      const by = current.resolvedBy ? ` by ${current.resolvedBy.email}` : "";
      return { ok: false, message: `This case was already resolved${by}. Reload the page to see its resolution.` };
    }
    // The update holds the case's row until COMMIT, and an ingest linking a further payment writes that row
    // (open_duplicate_case) before it commits: counted now, the payments are the ones the resolution covers.
    if (paymentsSeen !== undefined) {
      const payments = await tx.transaction.count({ where: { duplicateCaseId: caseId } });
      if (payments !== paymentsSeen) throw new CaseChanged(payments);
    }
    await tx.duplicateCaseAction.create({ data: { caseId, action: "resolved", resolution, note, userId: user.id, at } });
    return { ok: true };
  });
}
