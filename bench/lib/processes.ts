import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

// Child processes the bench starts (the production server, the baseline
// server, the build), each in its own process group so that stopping one ends
// exactly what it started and nothing else.

export const TMP_DIR = path.join("bench", ".tmp");

export type Started = { child: ChildProcess; name: string; log: string };

const running = new Set<Started>();

export function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Started {
  mkdirSync(TMP_DIR, { recursive: true });
  const log = path.join(TMP_DIR, `${name}.log`);
  // Straight to a file, not through this process: a busy bench must never stall a child on a full pipe.
  const out = openSync(log, "w");
  const child = spawn(command, args, { env, detached: true, stdio: ["ignore", out, out] });
  closeSync(out);
  const started = { child, name, log };
  running.add(started);
  child.once("exit", () => running.delete(started));
  return started;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export async function stop(started: Started, graceMs = 5_000): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  signalGroup(child, "SIGTERM");
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((started) => stop(started)));
}

/** Resolves with the exit code; rejects when the time runs out (after stopping the process). */
export async function waitForExit(started: Started, timeoutMs: number): Promise<number> {
  const { child } = started;
  if (child.exitCode !== null) return child.exitCode;
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(started).then(() => reject(new Error(`${started.name} did not finish within ${timeoutMs / 1000} s (log: ${started.log})`)));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

export async function waitForHttp(url: string, started: Started, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`${started.name} exited with ${started.child.exitCode} (log: ${started.log})`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`${started.name} did not answer ${url} within ${timeoutMs / 1000} s (log: ${started.log})`);
}

function parentOf(pid: number): number | null {
  try {
    // The command name may hold spaces and parentheses: the fields after the last ")" are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

function rssKb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** A process and all its descendants (Linux /proc). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const parent = parentOf(pid);
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0 && tree.length < 1_000) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

const TICKS_PER_SECOND = 100;

/** CPU time (user + system) these processes have used so far, in milliseconds. */
export function cpuMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime and stime are fields 14 and 15 of /proc/<pid>/stat, 12 and 13 after the command name.
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone: its time is lost to the count, which only happens when a process ends mid-run.
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Resident memory of these processes, in bytes. */
export function rssBytes(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + rssKb(pid), 0) * 1024;
}
