import { isDatabaseUnavailable } from "@/lib/db/errors";
import { AccessDenied, authorize, type SessionUser } from "./session";

// The frame of every admin Server Action: the caller must be a signed-in admin,
// and an expected failure comes back as `{ ok: false, message }` for the form
// to show rather than as an error page. Anything else is a bug and throws.

export type ActionRefusal = { ok: false; message: string };

// A query cut off by the timeout may still have been carried out by the database, so this does not promise
// that nothing was saved.
export const DATABASE_AWAY = "The database is unreachable or did not answer in time. Reload the page to see whether this was saved, then try again.";

/** Runs `change` for the signed-in admin; a viewer or a signed-out caller, or a database that is away, gets a refusal. */
export async function asAdmin<R extends { ok: boolean }>(change: (user: SessionUser) => Promise<R>): Promise<R | ActionRefusal> {
  let user: SessionUser;
  try {
    user = await authorize("admin");
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
