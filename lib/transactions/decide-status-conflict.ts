import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { uuid7 } from "@/lib/ingest/uuid7";
import { optionalNoteSchema } from "@/lib/optional-note";
import { hasRole, onlyWho, type Actor } from "@/lib/users/user-rules";
import { MAX_DECISION_NOTE_LENGTH, STATUS_DECISIONS, type StatusDecisionResult } from "./status-decision-rules";

// Finance's decision about a transaction whose provider reported a second,
// different final state (a VA paid after it expired, say): take the later
// state, or keep the first. The database function decide_status_conflict does
// it under the order's lock, keeps the decision, and runs duplicate detection
// when a payment becomes succeeded. The server action and the tests call this.

export type { StatusDecisionResult } from "./status-decision-rules";
export type StatusDecisionActor = Actor;

export const statusDecisionInputSchema = z.object({
  transactionId: z.guid({ error: "This transaction id is not valid: reload the page and try again." }),
  decision: z.enum(STATUS_DECISIONS, { error: "Choose whether to apply the later status or keep the first." }),
  /** The later provider status the user saw and decided about. */
  laterSeen: z.string({ error: "Reload the page: the form lacks the status it decides about." }).min(1).max(64),
  note: optionalNoteSchema(MAX_DECISION_NOTE_LENGTH),
});
export type StatusDecisionInput = z.input<typeof statusDecisionInputSchema>;

type Outcome = { r_outcome: "applied" | "kept" | "not_found" | "not_conflicting" | "changed"; r_status: string | null; r_later_provider_status: string | null };

export async function decideStatusConflict(db: Db, actor: StatusDecisionActor, input: unknown, now = new Date()): Promise<StatusDecisionResult> {
  if (!hasRole(actor.role, "finance")) return { ok: false, message: `${onlyWho("finance")} can decide a conflicting status.` };
  const parsed = statusDecisionInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? "The request is not valid." };
  const { transactionId, decision, laterSeen, note } = parsed.data;

  const [row] = await db.$queryRaw<Outcome[]>`
    SELECT * FROM decide_status_conflict(${transactionId}::uuid, ${decision === "apply"}, ${laterSeen}, ${actor.id}::uuid, ${note},
                                         ${uuid7()}::uuid, ${uuid7()}::uuid, ${uuid7()}::uuid, ${now}::timestamptz)`;
  switch (row?.r_outcome) {
    case "applied":
      return { ok: true, message: `Applied ${laterSeen}: the transaction is now ${row.r_status}.` };
    case "kept":
      return { ok: true, message: `Kept the first status (${row.r_status}); the later ${laterSeen} is recorded as decided.` };
    case "changed":
      return {
        ok: false,
        message: `The provider has since reported ${row.r_later_provider_status ?? "another final state"}, not ${laterSeen}: reload the page and decide again.`,
      };
    case "not_conflicting":
      return { ok: false, message: "This transaction has no conflicting status left to decide: someone else may have decided it. Reload the page." };
    default:
      return { ok: false, message: "There is no such transaction." };
  }
}
