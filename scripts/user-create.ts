// `npm run user:create -- --email … --role admin|finance|viewer`: adds a dashboard user
// to the configured database (DATABASE_URL, or the embedded one).
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { getDb } from "@/lib/db/client";
import { runTransaction } from "@/lib/db/run-transaction";
import { isDatabaseUnavailable, isUniqueViolation } from "@/lib/db/errors";
import { PgliteLockedError } from "@/lib/db/pglite";
import { clearFailedSignIns } from "@/lib/auth/throttle-sign-in";
import { createUser, EMAIL_PATTERN, passwordProblem, type Role } from "@/lib/users/create-user";
import { lastAdminRefusal, lockActiveAdmins } from "@/lib/users/manage-users";
import { hashPassword } from "@/lib/users/password";
import { recordUserChange } from "@/lib/users/record-user-change";
import { isRole, MIN_PASSWORD_LENGTH } from "@/lib/users/user-rules";
import { loadEnvFiles } from "./lib/load-env-files";

const USAGE = `Usage: npm run user:create -- --email <address> --role admin|finance|viewer [options]

Adds a user who can sign in to the dashboard. Viewers only look; finance users
also record how duplicate payments and conflicting final states were resolved;
admins also reprocess deliveries and manage users. Without --password it asks for the password twice
(hidden) on a terminal, or reads one line from standard input otherwise:
  printf '%s\\n' "$PASSWORD" | npm run user:create -- --email ops@example.com --role viewer

Options:
  --email <address>    the sign-in email (stored in lower case)
  --role <role>        admin, finance or viewer
  --name <name>        shown in the dashboard (optional)
  --password <pw>      at least ${MIN_PASSWORD_LENGTH} characters; visible in your shell history, so prefer the prompt
  --reset-password     the user exists already: set this password and role (and name) instead
  -h, --help           show this text`;

/** An expected failure: its message says what to do, and no stack trace is needed. */
class UserError extends Error {}

type Options = { email: string; role: Role; name?: string; password?: string; reset: boolean };

function parseOptions(argv: string[]): Options | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        email: { type: "string" },
        role: { type: "string" },
        name: { type: "string" },
        password: { type: "string" },
        "reset-password": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new UserError(`${error instanceof Error ? error.message : String(error)} (see --help)`);
  }
  if (values.help) return "help";
  if (!values.email) throw new UserError("--email is required (see --help)");
  if (!isRole(values.role)) {
    throw new UserError(`--role must be admin, finance or viewer${values.role ? `, not "${values.role}"` : ""} (see --help)`);
  }
  const name = values.name?.trim();
  return { email: values.email, role: values.role, name: name || undefined, password: values.password, reset: values["reset-password"] };
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stdout.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const done = (error?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      // Arrow keys and the like arrive as escape sequences: not part of a password.
      if (chunk.startsWith("\u001b")) return;
      for (const char of chunk) {
        if (char === "\r" || char === "\n") return done();
        if (char === "\u0003" || (char === "\u0004" && value === "")) return done(new UserError("cancelled"));
        if (char === "\u007f" || char === "\b") value = [...value].slice(0, -1).join("");
        else if (char >= " ") value += char;
      }
    };
    stdin.on("data", onData);
  });
}

/** The first line of standard input, for scripts that pipe the password in. */
function readLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    let answered = false;
    lines.once("line", (line) => {
      answered = true;
      lines.close();
      resolve(line);
    });
    lines.once("close", () => {
      if (!answered) reject(new UserError("no password given: pass --password, or one line on standard input"));
    });
  });
}

function checkLength(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new UserError(problem);
}

async function readPassword(options: Options): Promise<string> {
  if (options.password !== undefined) return options.password;
  if (!process.stdin.isTTY) return readLine();
  const first = await promptHidden(`Password for ${options.email} (at least ${MIN_PASSWORD_LENGTH} characters): `);
  checkLength(first);
  const second = await promptHidden("Same password again: ");
  if (first !== second) throw new UserError("the two passwords differ: nothing was changed");
  return first;
}

async function main(): Promise<void> {
  loadEnvFiles();
  const options = parseOptions(process.argv.slice(2));
  if (options === "help") {
    console.log(USAGE);
    return;
  }
  const email = options.email.trim().toLowerCase();
  // createUser checks this too; checked first here so nobody types a password in vain.
  if (!EMAIL_PATTERN.test(email)) throw new UserError(`"${options.email}" is not an email address`);
  const db = await getDb();
  const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (existing && !options.reset) {
    throw new UserError(`a user with the email ${email} exists already: pass --reset-password to give it a new password and role`);
  }
  if (!existing && options.reset) throw new UserError(`there is no user with the email ${email} to reset: leave out --reset-password`);

  const password = await readPassword(options);
  if (existing) {
    checkLength(password);
    const passwordHash = await hashPassword(password);
    await runTransaction(db, async (tx) => {
      // As the users page does: the active admins locked first, so the last one cannot be demoted here either.
      const admins = await lockActiveAdmins(tx);
      // The role as it is now, under the row's lock: an admin may have changed it since the look-up above.
      const [before] = await tx.$queryRaw<{ role: Role; disabled: boolean }[]>`
        SELECT role, disabled_at IS NOT NULL AS disabled FROM users WHERE id = ${existing.id}::uuid FOR UPDATE`;
      const refusal = before && options.role !== before.role ? lastAdminRefusal({ email, ...before }, admins) : null;
      if (refusal) throw new UserError(`${refusal} (or keep --role admin)`);
      await tx.user.update({
        where: { id: existing.id },
        data: {
          passwordHash,
          role: options.role,
          // A reset password ends the sessions signed in with the old one.
          sessionsValidFrom: new Date(),
          ...(options.name ? { name: options.name } : {}),
        },
      });
      // Kept in the account's history as made by a script, not by an admin.
      await recordUserChange(tx, { userId: existing.id, actorId: null, change: "password_set" });
      if (before?.role !== options.role) await recordUserChange(tx, { userId: existing.id, actorId: null, change: "role_changed", role: options.role });
    });
    // A new password is a fresh start: the wait after earlier failed attempts no longer applies.
    await clearFailedSignIns(db, email);
    console.log(`Reset the password of ${email}; role ${options.role}.`);
    return;
  }
  try {
    const user = await createUser(db, { email: options.email, password, role: options.role, name: options.name });
    console.log(`Created ${user.role} ${user.email}.`);
  } catch (error) {
    if (isUniqueViolation(error)) throw new UserError(`a user with the email ${email} was created meanwhile: pass --reset-password to change it`);
    // createUser's own checks (email form, password length) explain themselves.
    if (error instanceof Error && !("code" in error)) throw new UserError(error.message);
    throw error;
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UserError || error instanceof PgliteLockedError || message.startsWith("Invalid environment")) {
      console.error(`user:create failed: ${message}`);
    } else if ((error as { code?: unknown }).code === "P2021") {
      console.error("user:create failed: the database has no users table yet: run `npm run db:migrate` first");
    } else if (isDatabaseUnavailable(error)) {
      console.error(`user:create failed: cannot reach the database (${message.split("\n")[0]}): is DATABASE_URL right and the server up?`);
    } else {
      console.error(`user:create failed: ${error instanceof Error && error.stack ? error.stack : message}`);
    }
    process.exit(1);
  },
);
