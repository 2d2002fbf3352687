import { config, targets } from "../lib/config";
import type { Results } from "./checks";

// Why a target is missed on the reference machine and what would fix it: the
// analysis (profiles, CPU accounting, plans) behind each miss, with this run's
// own figures filled in. Shown in RESULTS.md under a missed figure.

const perNotification = (cpuMs: number, ok: number) => cpuMs / Math.max(1, ok);

function ingestCosts(results: Results) {
  const { app, baseline } = results.ingest!;
  const appServer = perNotification(app.saturation.serverCpuMs, app.saturation.ok);
  const appPostgres = perNotification(app.saturation.postgresCpuMs, app.saturation.ok);
  const baseServer = perNotification(baseline.saturation.serverCpuMs, baseline.saturation.ok);
  const basePostgres = perNotification(baseline.saturation.postgresCpuMs, baseline.saturation.ok);
  // The baseline's cheapest run (least contention) bounds what any server could do here.
  const cheapest = Math.min(
    ...(["fixed", "saturation"] as const).map((phase) =>
      perNotification(baseline[phase].serverCpuMs + baseline[phase].postgresCpuMs, baseline[phase].ok),
    ),
  );
  return { appServer, appPostgres, baseServer, basePostgres, cheapest, cores: results.machine.cores };
}

const f = (value: number) => value.toFixed(2);

const CAPACITY_FIX =
  "What would fix it: give PostgreSQL its own cores (a managed database or a second machine) so the app's CPU and the database's are not " +
  "drawn from the same two cores; or make an ingest one round trip (the lock, the reads and the writes in a PL/pgSQL function, which " +
  "takes a fresh snapshot per statement under READ COMMITTED, so the order lock still protects the reads), which roughly halves the " +
  "database's per-notification CPU and removes most of the app's. Relaxing durability (synchronous_commit = off) would also raise it, " +
  "but would acknowledge notifications that a crash can lose, which Payhook must never do.";

export const explanations: Record<string, (results: Results) => string> = {
  "ingest-saturation": (results) => {
    const c = ingestCosts(results);
    const ceiling = (c.cores * 1000) / c.cheapest;
    return (
      `Each notification is a durable database transaction: an advisory lock on the order, a read, one write statement (transaction, event ` +
      `and delivery rows, with their indexes) and, for a successful one-time payment, the duplicate check, then a COMMIT that waits for the WAL flush. ` +
      `Measured per notification in this run: PostgreSQL ${f(c.appPostgres)} ms of CPU (app) / ${f(c.basePostgres)} ms (baseline), the baseline server ` +
      `${f(c.baseServer)} ms, the app server ${f(c.appServer)} ms. With the database, the server and the load generator on the same ${c.cores} cores, even ` +
      `the baseline cannot pass about ${Math.round(ceiling)}/s (${c.cores} × 1000 ms ÷ ${f(c.cheapest)} ms of server and database CPU in its cheapest run, before the load generator's ` +
      `own share and whatever else runs on the machine), so ${targets.saturationPerSecond.toLocaleString("en-US")}/s is out of reach on this machine for any server ` +
      `that keeps the guarantees; the app is further held back by its own CPU (see the ratio below). ${CAPACITY_FIX}`
    );
  },
  "ingest-fixed-p99": (results) => {
    const { app } = results.ingest!;
    return (
      `${config.ingest.fixedRate}/s is above what the app sustains on this machine (${Math.round(app.saturation.throughput)}/s at saturation), so at that ` +
      `rate requests wait for a free connection and a free core: the latency measured is queueing, and it grows for as long as the run lasts ` +
      `(${app.fixed.lateSends} sends could not leave on time because all ${config.ingest.fixedConnections} connections were waiting for replies). ` +
      `Below saturation a notification costs a few milliseconds of CPU (the CPU columns in the Ingest section) and a handful of round trips; the fix is capacity, the same as for throughput.`
    );
  },
  "ingest-ratio": (results) => {
    const c = ingestCosts(results);
    return (
      `The app spends ${f(c.appServer)} ms of CPU per notification in Node against the baseline's ${f(c.baseServer)} ms for the same SQL; on a CPU-bound ` +
      `machine that ratio, not the database, sets the throughput ratio. Profiles (node --cpu-prof on the production server and on the ingest ` +
      `in-process) put the difference in Prisma's client and Next's request handling: an interactive $transaction costs about 0.7 ms of CPU by ` +
      `itself and each query through Prisma 0.35–0.55 ms, against about 0.1 ms through pg directly; Next adds about 2–3 ms per request (routing, the ` +
      `proxy, which runs for webhook routes too, web Request/Response objects and async-context tracking). Done: the ingest now sends 5.5 ` +
      `statements per notification instead of 8.75, as raw SQL without Prisma's query compiler (the read of the event and of the transaction is one ` +
      `query, the transaction, event and delivery one statement, the duplicate check one query), which cut the ingest's CPU per notification from ` +
      `10.7 ms to about 6 ms measured in-process, and the production server's from 13.4 ms to about 7 ms. What would close the rest: run the ingest's transaction on a pg pool directly (PostgreSQL only; ` +
      `PGlite keeps the Prisma path), or the one-round-trip PL/pgSQL ingest; leave the webhook routes out of proxy.ts's matcher (they need no CSP ` +
      `nonce or session check); and serve webhooks from a plain Node handler outside Next.`
    );
  },
  "dashboard-transactions-first": () => "See the plans below: the first page is an index scan on (first_seen_at, id) and a planner estimate for the total.",
  "export-time": () =>
    "The export's database work is a keyset walk on (first_seen_at, id), 1,000 rows a batch; most of its time is Prisma turning each row into " +
    "objects (Decimal for the amount, Date for the times), about 25 µs of CPU a row, then the CSV text. What would fix it: read the batches with " +
    "$queryRaw, the amount as text (formatted in SQL to the currency's decimals) and the time already in the user's zone, which leaves only string work per row.",
  "export-memory": () =>
    "The stream is pull-based with one chunk of buffer, so growth should stay near one batch; a miss means the client read faster than " +
    "the server freed memory (garbage collection lag), and a smaller batch or an explicit highWaterMark in bytes would bound it.",
  "browser-js": () =>
    "zod reaches the browser: lib/transactions/transaction-filters.ts builds its zod schemas at module load and the client components of the " +
    "table (components/transactions/*) import its constants and toSearchParams from it, so the whole zod runtime (about 30 KB gzip, in the chunk " +
    "that also holds @tanstack/react-table) ships with the page. What would fix it: move the constants, types and toSearchParams that the client " +
    "needs into a zod-free module (e.g. lib/transactions/transaction-query-params.ts) and keep the schema in the server-side module; the next " +
    "largest items are React DOM and Next's runtime, shared by every page, and next-auth's client (12 KB gzip, for the sign-out button), which a " +
    "plain form POST to /api/auth/signout would replace.",
};
