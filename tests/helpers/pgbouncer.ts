import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../reliability/lib/tcp-proxy";

// A real PgBouncer in transaction mode in front of the test server, as the
// managed poolers on Vercel's side (Neon, Supabase) stand in front of theirs:
// each transaction, or each statement outside one, may run on another server
// connection. Debian's `pgbouncer` package (CI installs it); PGBOUNCER names
// another binary.

/** The pgbouncer binary, or null when this machine has none. */
export function findPgbouncer(): string | null {
  const candidates = [process.env.PGBOUNCER, "/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"].filter((file): file is string => Boolean(file));
  const found = candidates.find((file) => existsSync(file));
  if (found) return found;
  const which = spawnSync("sh", ["-c", "command -v pgbouncer"], { encoding: "utf8" });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

export type Pgbouncer = {
  /** `serverUrl` with its host and port turned to the pooler's. */
  url(serverUrl: string): string;
  /** What PgBouncer logged, for a failing assertion's message. */
  log(): string;
  stop(): Promise<void>;
};

/**
 * Starts PgBouncer on a free loopback port in front of `serverUrl`'s server, in
 * transaction mode with `serverConnections` server connections per database and
 * user, trusting the URL's user (the test server trusts loopback already).
 */
export async function startPgbouncer(binary: string, serverUrl: string, serverConnections: number): Promise<Pgbouncer> {
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username || "postgres");
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "payhook-pgbouncer-"));
  const logFile = path.join(dir, "pgbouncer.log");
  // Clients are trusted; PgBouncer logs in to the server with the URL's password, if it has one.
  const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;
  writeFileSync(path.join(dir, "users.txt"), `${quoted(user)} ${quoted(decodeURIComponent(server.password))}\n`);
  writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${server.hostname} port=${server.port || 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "users.txt")}`,
      `logfile = ${logFile}`,
      "pool_mode = transaction",
      `default_pool_size = ${serverConnections}`,
      "max_client_conn = 200",
      "server_reset_query =",
      // From 1.21 PgBouncer can keep prepared statements (on by default from 1.24): these tests need a pooler that cannot.
      ...(supportsPreparedStatements(binary) ? ["max_prepared_statements = 0"] : []),
      "ignore_startup_parameters = extra_float_digits,options",
      "",
    ].join("\n"),
  );
  // PgBouncer refuses to run as root; as root, it is told to become the server's own user,
  // which then reads the files above and writes its log in this folder.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chmodSync(dir, 0o777);
  const child: ChildProcess = spawn(binary, [...(asRoot ? ["-u", "postgres"] : []), path.join(dir, "pgbouncer.ini")], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const log = () => `${output}${existsSync(logFile) ? readFileSync(logFile, "utf8") : ""}`;
  // Should the test process end without stop() (a killed run), PgBouncer goes with it.
  const killOnExit = () => child.kill("SIGTERM");
  process.once("exit", killOnExit);

  // Listening, by its own word: a port that answers could be another process's, taken since freePort.
  const deadline = Date.now() + 10_000;
  while (!(log().includes(`listening on 127.0.0.1:${port}`) && (await accepts(port)))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGTERM");
      process.removeListener("exit", killOnExit);
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`pgbouncer did not start listening on ${port}:\n${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url(serverUrl) {
      const pooled = new URL(serverUrl);
      pooled.hostname = "127.0.0.1";
      pooled.port = String(port);
      return pooled.toString();
    },
    log,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      process.removeListener("exit", killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether this PgBouncer (1.21 and later) has max_prepared_statements. */
function supportsPreparedStatements(binary: string): boolean {
  const version = /PgBouncer (\d+)\.(\d+)/.exec(spawnSync(binary, ["--version"], { encoding: "utf8" }).stdout ?? "");
  if (!version) throw new Error(`${binary} --version did not say which PgBouncer it is`);
  const [major, minor] = [Number(version[1]), Number(version[2])];
  return major > 1 || (major === 1 && minor >= 21);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
