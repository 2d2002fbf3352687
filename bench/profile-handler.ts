import { randomBytes } from "node:crypto";
import { generateProviderKeys, prepareRequests, publicKeyEnv } from "./ingest/requests";
import { config } from "./lib/config";
import { withPgClient } from "@/lib/db/with-pg-client";
import { createBenchDatabase, dropBenchDatabase } from "./lib/postgres";
import { cpuMs } from "./lib/processes";

// The webhook handler alone, in-process, without Next: the bench's signed
// requests through handleWebhook against a fresh PostgreSQL database, with
// PROFILE_CONCURRENCY of them in flight. Prints the process's CPU per
// notification; run under `node --cpu-prof --import tsx` to see where it goes.
//
//   PROFILE_REQUESTS=6000 node --cpu-prof --cpu-prof-dir=bench/.tmp/prof --import tsx bench/profile-handler.ts

const total = Number(process.env.PROFILE_REQUESTS ?? 6_000);
const concurrency = Number(process.env.PROFILE_CONCURRENCY ?? config.ingest.saturationConnections);

const keys = generateProviderKeys();
const requests = prepareRequests(total, keys, `P${randomBytes(3).toString("hex").toUpperCase()}`, config.ingest.retryShare);
const database = await createBenchDatabase("profile");
// getEnv() and getDb() read the environment once: the handler is imported after it is set.
Object.assign(process.env, publicKeyEnv(keys), { NODE_ENV: "production", DATABASE_URL: database.url, DATABASE_POOL_SIZE: String(config.poolSize) });
const { handleWebhook } = await import("@/lib/webhooks/handle-webhook");
const { getDb } = await import("@/lib/db/client");

async function send(from: number, to: number): Promise<number> {
  let next = from;
  let ok = 0;
  const worker = async () => {
    while (next < to) {
      const request = requests[next++]!;
      const provider = request.path.split("/").pop()!;
      const response = await handleWebhook(
        new Request(`http://127.0.0.1${request.path}`, { method: "POST", headers: request.headers, body: new Uint8Array(request.body) }),
        provider,
      );
      await response.arrayBuffer();
      if (response.status === 200) ok++;
      else console.error(response.status, await response.clone().text().catch(() => ""));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ok;
}

/** The database's backends serving this database, and the CPU each has used so far. */
const backendCpu = () =>
  withPgClient(database.url, async (client) => {
    const { rows } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'");
    return new Map(rows.map(({ pid }) => [pid, cpuMs([pid])]));
  });

// Warm-up: the first tenth, so the JIT and the pool are ready; then statistics,
// as the bench's warm-up ends (bench/ingest/ingest.ts), so the plans are a used table's.
const warm = Math.floor(total / 10);
await send(0, warm);
await withPgClient(database.url, (client) => client.query("ANALYZE"));
const backendsBefore = await backendCpu();
// The window to read in a profile: its timestamps are this clock's, in microseconds.
const windowStart = process.hrtime.bigint() / 1000n;
const cpu = process.cpuUsage();
const started = performance.now();
const ok = await send(warm, total);
const used = process.cpuUsage(cpu);
const seconds = (performance.now() - started) / 1000;
let postgresMs = 0;
for (const [pid, ms] of await backendCpu()) postgresMs += ms - (backendsBefore.get(pid) ?? 0);
console.log(`measured window (µs, monotonic): ${windowStart}–${process.hrtime.bigint() / 1000n}`);
console.log(
  `${ok} of ${total - warm} acknowledged in ${seconds.toFixed(1)} s (${(ok / seconds).toFixed(0)}/s); ` +
    `CPU per notification ${((used.user + used.system) / 1000 / ok).toFixed(3)} ms (user ${(used.user / 1000 / ok).toFixed(3)}, system ${(used.system / 1000 / ok).toFixed(3)}); ` +
    `PostgreSQL ${(postgresMs / ok).toFixed(3)} ms`,
);
await (await getDb()).$disconnect();
await dropBenchDatabase(database.name);
