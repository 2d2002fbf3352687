import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";

// The embedded database. PGlite is a single-process Postgres: two processes (say
// `npm run dev` and `npm run db:migrate`) opening the same folder corrupt it, so
// each folder carries a lock file naming the process that owns it.

const LOCK_FILE = "payhook.lock";
const IN_MEMORY = "memory://";

interface LockState {
  /** Resolved folder paths this process holds, to the lock file path. */
  held: Map<string, string>;
  /** Which folder an open instance belongs to, so closing it releases the lock. */
  owners: WeakMap<PGlite, string>;
  exitHandlerInstalled: boolean;
}

// On globalThis because Next may evaluate this module more than once in one process.
const holder = globalThis as typeof globalThis & { __payhookPgliteLocks?: LockState };
const state: LockState = (holder.__payhookPgliteLocks ??= {
  held: new Map(),
  owners: new WeakMap(),
  exitHandlerInstalled: false,
});

export class PgliteLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database at ${dir} is in use by process ${pid}. ` +
        "Stop that process (e.g. the running `npm run dev`) or set DATABASE_URL to a PostgreSQL server.",
    );
    this.name = "PgliteLockedError";
  }
}

export async function openPglite(dir: string): Promise<PGlite> {
  if (dir.startsWith(IN_MEMORY)) return PGlite.create(dir);

  const folder = path.resolve(dir);
  // PGlite.create on a folder whose parent is missing fails in a way that cannot be caught.
  mkdirSync(folder, { recursive: true });
  acquireLock(folder, dir);
  try {
    const db = await PGlite.create(folder);
    state.owners.set(db, folder);
    return db;
  } catch (error) {
    releaseLock(folder);
    throw error;
  }
}

export async function closePglite(db: PGlite): Promise<void> {
  try {
    if (!db.closed) await db.close();
  } finally {
    const folder = state.owners.get(db);
    if (folder) {
      state.owners.delete(db);
      releaseLock(folder);
    }
  }
}

function acquireLock(folder: string, shownAs: string): void {
  const lockPath = path.join(folder, LOCK_FILE);
  if (state.held.has(folder)) throw new PgliteLockedError(shownAs, process.pid);

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // "wx" makes taking the lock atomic when two processes start together.
      const fd = openSync(lockPath, "wx");
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      state.held.set(folder, lockPath);
      installExitHandler();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }

    const owner = readLockPid(lockPath);
    // Our own pid in a lock we do not hold is a leftover of an earlier process that had the same pid.
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
      throw new PgliteLockedError(shownAs, owner);
    }
    rmSync(lockPath, { force: true });
  }
  throw new Error(`Could not take the lock ${lockPath}: another process keeps recreating it.`);
}

function releaseLock(folder: string): void {
  const lockPath = state.held.get(folder);
  if (!lockPath) return;
  state.held.delete(folder);
  // Only remove a lock that is still ours: it may have been taken over as stale.
  if (readLockPid(lockPath) === process.pid) rmSync(lockPath, { force: true });
}

function readLockPid(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function installExitHandler(): void {
  if (state.exitHandlerInstalled) return;
  state.exitHandlerInstalled = true;
  // 'exit' handlers must be synchronous; this also covers process.exit() from a CLI.
  process.on("exit", () => {
    for (const folder of [...state.held.keys()]) releaseLock(folder);
  });
}
