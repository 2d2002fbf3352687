// What finance (or an admin) can decide about conflicting final states. Kept apart from the
// database code so the client-side form can import it.

export const STATUS_DECISIONS = ["apply", "keep"] as const;
export const MAX_DECISION_NOTE_LENGTH = 1000;

export type StatusDecisionResult = { ok: boolean; message: string };
