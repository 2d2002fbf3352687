import { isDatabaseUnavailable } from "@/lib/db/errors";
import type { ActingRole } from "@/lib/users/user-rules";
import { AccessDenied, authorize, type SessionUser } from "./session";

// The frame of every Server Action that changes the ledger or its accounts: the
// caller must be signed in with the role the change needs (finance for the
// resolutions, admin for reprocessing and users), and an expected failure comes
// back as `{ ok: false, message }` for the form to show rather than as an error
// page. Anything else is a bug and throws.

export type ActionRefusal = { ok: false; message: string };

// A query cut off by the timeout may still have been carried out by the database, so this does not promise
// that nothing was saved.
export const DATABASE_AWAY = "The database is unreachable or did not answer in time. Reload the page to see whether this was saved, then try again.";

/** Runs `change` for a signed-in user with `role` or above; anyone else, or a database that is away, gets a refusal. */
export async function asRole<R extends { ok: boolean }>(role: ActingRole, change: (user: SessionUser) => Promise<R>): Promise<R | ActionRefusal> {
  let user: SessionUser;
  try {
    user = await authorize(role);
  } catch (error) {
    if (error instanceof AccessDenied) return { ok: false, message: error.message };
    throw error;
  }
  try {
    return await change(user);
  } catch (error) {
    if (isDatabaseUnavailable(error)) return { ok: false, message: DATABASE_AWAY };
    throw error;
  }
}

/** A form field's text, or null when it is missing (or a file): the lib functions' schemas say what is wrong. */
export function formText(form: FormData, name: string): string | null {
  const value = form.get(name);
  return typeof value === "string" ? value : null;
}
