import { z } from "zod";

/** A free-text note a form may leave empty: trimmed, at most `max` characters, blank read as none (null). */
export function optionalNoteSchema(max: number) {
  return z
    .string({ error: "The note must be text." })
    .trim()
    .max(max, `Keep the note under ${max} characters.`)
    .nullish()
    .transform((note) => note || null);
}
