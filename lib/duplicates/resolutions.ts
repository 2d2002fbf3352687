// What finance can decide about a duplicate payment. Kept apart from the
// database code so the client-side forms can import it.

export const RESOLUTIONS = ["refunded", "not_duplicate", "other"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const RESOLUTION_LABELS: Record<Resolution, string> = {
  refunded: "Refunded",
  not_duplicate: "Not a duplicate",
  other: "Other",
};

export const MAX_NOTE_LENGTH = 2000;

export type CaseActionResult = { ok: true } | { ok: false; message: string };

export function resolutionLabel(value: string | null): string {
  return value && value in RESOLUTION_LABELS ? RESOLUTION_LABELS[value as Resolution] : (value ?? "");
}

/** "Ada Admin (ada@example.com)", or the address alone: audit lines name people unambiguously. */
export function personName(person: { email: string; name: string | null }): string {
  return person.name ? `${person.name} (${person.email})` : person.email;
}
