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
  const baseFixedPostgres = perNotification(baseline.fixed.postgresCpuMs, baseline.fixed.ok);
  return {
    appServer,
    appPostgres,
    baseServer,
    basePostgres,
    baseFixedPostgres,
    baseThroughput: baseline.saturation.throughput,
    cheapest,
    cores: results.machine.cores,
  };
}

const f = (value: number) => value.toFixed(2);

/** A sentence on the machine's own speed when it moved during the run (bench/lib/calibrate.ts), else nothing. */
function speedNote(results: Results): string {
  const points = results.machine.calibration ?? [];
  if (points.length < 2) return "";
  const fastest = Math.min(...points.map((p) => p.ms));
  const slowest = Math.max(...points.map((p) => p.ms));
  if (slowest < fastest * 1.15) return "";
  return (
    ` The machine's own speed moved during this run: its fixed single-core workload took ` +
    `${points.map((p) => `${p.ms.toFixed(0)} ms at the ${p.label}`).join(" and ")} (lower is faster), and every CPU figure ` +
    `per notification here moved with it; the README gives the same code's figures from other runs.`
  );
}

/**
 * What the Next floor (bench/next-floor: the baseline's work in one Next route handler, none of the
 * app's code) showed in this run, as sentences; empty for results from before it existed.
 */
function floorNote(results: Results, about: "throughput" | "latency" | "ratio"): string {
  const { app, baseline, next } = results.ingest!;
  if (!next) return "";
  const floor = next.saturation.throughput;
  const floorCpu = perNotification(next.saturation.serverCpuMs, next.saturation.ok);
  const appCpu = perNotification(app.saturation.serverCpuMs, app.saturation.ok);
  const relative = app.saturation.throughput / floor;
  const versus =
    `${relative.toFixed(2)} of the floor, at ${f(appCpu)} ms of server CPU per notification against its ${f(floorCpu)} ms: ` +
    // The floor itself moved by up to 18% between two runs minutes apart (bench/next-floor-variants.ts).
    (Math.abs(relative - 1) <= 0.2 && Math.abs(appCpu / floorCpu - 1) <= 0.2
      ? "within the spread of the floor's own runs, so the app's own code (schema validation, header redaction and the rest of lib/webhooks) costs little beside Next's"
      : relative < 1
        ? "the difference is the app's own code (schema validation, header redaction and the rest of lib/webhooks) and its routing"
        : "the floor did worse here, which is this run's spread, not a saving the app makes");
  if (about === "latency") {
    const appFixedCpu = perNotification(app.fixed.serverCpuMs, app.fixed.ok);
    const floorFixedCpu = perNotification(next.fixed.serverCpuMs, next.fixed.ok);
    const verdict =
      next.fixed.p99 <= targets.fixedP99Ms
        ? ` The floor met the target in this run and the app did not (at this rate the app's server spent ${f(appFixedCpu)} ms of CPU ` +
          `per notification, the floor's ${f(floorFixedCpu)} ms). One run does not separate the two: this tail moves from run to run ` +
          `for both (see the README).`
        : ` So a Next route handler with none of Payhook's code missed the target too (${f(floorFixedCpu)} ms of server CPU per ` +
          `notification at this rate, against the app's ${f(appFixedCpu)} ms).`;
    return (
      ` In this run the Next floor (bench/next-floor: one Next route handler doing exactly the baseline's work, none of Payhook's code) ` +
      `had a p99 of ${next.fixed.p99.toFixed(0)} ms at ${config.ingest.fixedRate}/s (${Math.round(next.fixed.throughput)}/s achieved, ` +
      `${next.fixed.lateSends} sends late), against the app's ${app.fixed.p99.toFixed(0)} ms and the baseline's ${baseline.fixed.p99.toFixed(0)} ms.` +
      verdict
    );
  }
  const reach =
    about === "throughput"
      ? floor < targets.saturationPerSecond
        ? ` So on this machine a Next route handler stays below ${targets.saturationPerSecond.toLocaleString("en-US")}/s before any of the app's code runs.`
        : ` So a Next route handler can reach ${targets.saturationPerSecond.toLocaleString("en-US")}/s here, and the app's own code costs the difference.`
      : floor / baseline.saturation.throughput < targets.baselineRatio
        ? ` So the gap is Next's own per-request work: a Next route handler with none of the app's code stays below ${targets.baselineRatio} of the baseline, and no change inside a Next route handler can take the app past what the floor reached.`
        : ` So Next alone leaves room for ${targets.baselineRatio} of the baseline, and the app's own code costs the difference.`;
  return (
    `In this same run the Next floor (bench/next-floor: a Next.js app with one route handler that does exactly the baseline's work, ` +
    `bench/lib/baseline-work.ts, and none of Payhook's code) reached ${Math.round(floor)}/s, ` +
    `${(floor / baseline.saturation.throughput).toFixed(2)} of the baseline, at ${f(floorCpu)} ms of server CPU per notification. ` +
    `The app reached ${Math.round(app.saturation.throughput)}/s, ${versus}.${reach} `
  );
}

/** The after-idle runs (absent in results from before them), as one sentence. */
function afterIdleNote(results: Results): string {
  const { app, baseline, next } = results.ingest!;
  if (!app.afterIdle || !baseline.afterIdle) return "";
  const { idleSeconds, afterIdleSeconds, fixedRate } = config.ingest;
  const floor = next?.afterIdle ? `, the Next floor's ${next.afterIdle.p99.toFixed(0)} ms` : "";
  return (
    ` After each had idled ${idleSeconds} s, the first ${afterIdleSeconds} s at ${fixedRate}/s gave the app a p99 of ` +
    `${app.afterIdle.p99.toFixed(0)} ms${floor} and the baseline's ${baseline.afterIdle.p99.toFixed(0)} ms (the "after idle" rows): ` +
    `a webhook endpoint idles between bursts, and its first requests after a quiet spell are served by a server whose heap ` +
    `and connections have to come back.`
  );
}

const CAPACITY_FIX =
  "What would fix it: less CPU per request in the app's server — serving the webhooks without Next's per-request work (see the ratio " +
  "below) would bring it near the baseline; or PostgreSQL and the load on cores of their own, where more processes would then help: " +
  "one `next start` per core behind the port (a process manager's cluster mode, or more instances, as Vercel runs). On this machine, " +
  "on Node 20, two processes gave about 880–940/s and a worse p99 at 500/s (bench/ingest-only.ts with BENCH_APP_WORKERS=2); on Node 24 " +
  "(2026-11-22, a slow hour: 214–318 ms on the fixed workload, one and two processes in turn, two runs each) two gave 797–811/s " +
  "against 650–705/s and a p99 at 500/s of 131–153 ms against 190–205 ms: better, and still short of both targets, as the two cores are " +
  "already shared with PostgreSQL and the load generator. The benchmark measures the app as `npm start` runs it, one process. Relaxing durability (synchronous_commit = off) would not help (the database is not the bound) and " +
  "would acknowledge notifications that a crash can lose, which Payhook must never do.";

const ONE_STATEMENT =
  "Each notification is one statement, SELECT … FROM ingest_notification(…), prepared once per connection and run as its own " +
  "transaction: the order's advisory lock, two index look-ups, the transaction, event and delivery rows with their indexes (for a " +
  "successful one-time payment also the look-up for other payments of the order), then a COMMIT that waits for the WAL flush. The " +
  "baseline sends the same statement.";

// Measured apart from any one run (latency traces against the app's event loop, GC and CPU,
// bench/request-signal-gc.ts, bench/ingest-only.ts with bench/lib/request-without-signal.cjs
// preloaded, a sampling heap profile, node flags given through BENCH_APP_NODE_ARGS).
const APP_GC_PROMOTION =
  `What follows was measured apart from this run (2026-11-21 and 22, bench/ingest-only.ts, 20 s at 500/s). Where the tail ` +
  `comes from: a trace of every request's latency, set against a 5 ms timer and a GC observer inside the app's server ` +
  `(BENCH_TRACE_DIR with bench/lib/event-loop-trace.cjs preloaded, read by bench/trace-report.ts), puts the slow requests (over 50 ms) in a few bursts of 0.1–0.6 s, in each of which the server's main ` +
  `thread ran flat out (its timer late by 15–95 ms, again and again) while the requests arriving meanwhile queued. The bursts ` +
  `came at the start of a run after the server had sat idle (before the benchmark measured each target warm, the first 1.5 s ` +
  `of the app's fixed-rate run held 55–568 of its slow requests, up to about 40 of them mistimed by the trace, which then ` +
  `timed a connection's first request from before its paced send; see the "after idle" rows), around the old-generation ` +
  `collections (one every 8–10 s at this rate), and at moments with no collection at all, where a CPU profile shows ordinary ` +
  `request handling with socket writes taking a larger share (on loopback the kernel delivers each write to its reader in ` +
  `the writer's time). Two cores shared with PostgreSQL and the load generator leave no slack for any of them. The app's ` +
  `young-generation collections come every 0.4 s or so at this rate and take 8–12 ms; each promotes about 5.5 MB of the ` +
  `47 MB allocated since the one before, nearly all of what that one had kept: some 27 KB a request outlives 0.4 s, where ` +
  `the handler alone, in-process without Next, promoted under 1 MB a collection. What keeps it alive inside \`next start\` ` +
  `is not found. Ruled out: the AbortSignal on the Request Next hands a route handler, which an earlier version of this ` +
  `report blamed (six runs through bench/lib/request-without-signal.cjs, the signal kept and removed in turn: p99 231–232 ms ` +
  `with it, 208–243 ms without, and under a tenth of what is promoted; \`npx tsx bench/request-signal-gc.ts\` shows what a ` +
  `signal costs bare Requests); the async context frames Node 24 runs AsyncLocalStorage on (--no-async-context-frame promoted ` +
  `as much); the young generation's size (--max-semi-space-size=64 changed nothing, 4 and 1 MB made the p99 worse). A ` +
  `sampling heap profile of what survives the collections spreads over everything a request allocates rather than one site. ` +
  `Node flags tried against the bursts, each in alternating runs against the default: --no-memory-reducer (V8 otherwise shrinks ` +
  `an idle server's heap, to grow it again when load returns) cut the slow requests of the first 1.5 s after idling (median 60 ` +
  `against 258, nine runs and six, each count with up to about 40 of those mistimed requests) but not the p99 reliably (39–136 ms against 61–188 ms), nor, in two reduced runs each ` +
  `ending with an after-idle run, the after-idle p99 (103–237 ms against 131–173 ms), so \`npm start\` runs without it; adding --single-threaded-gc to it did no ` +
  `better (93–196 ms against 86–136 ms, three runs each). `;

// Measured apart from any one run: `npx tsx bench/next-floor-variants.ts`.
const NEXT_VARIANTS =
  `Variants of the Next floor, measured apart from this run (2026-11-21, \`npx tsx bench/next-floor-variants.ts\`: 6,000 ` +
  `notifications at saturation each, the variants taken in turn, two rounds, the machine's fixed workload at 169 ms throughout): ` +
  `Next's own settings do not move it. Compression off (\`compress: false\`), a webpack build instead of Turbopack, and one ` +
  `static route per provider instead of the dynamic [provider] segment gave 0.88–1.00 ms of server CPU per notification, ` +
  `against 0.91–1.01 ms for the floor as built. A route handler that only reads the body and answers, with no signature ` +
  `check and no database, still cost 0.67–0.71 ms per request and served 1,631–1,766 requests/s: about four times the ` +
  `baseline server's 0.18 ms for the whole job, and 0.59–0.64 of the baseline's throughput (2,742/s), in the full run a ` +
  `minute later at the same machine speed (15:03 UTC). Nor does Next's other router: a second run of the script, with the ` +
  `baseline measured among the variants (same day, 195–203 ms, the baseline 2,771–2,837/s), put the floor's work in a Pages ` +
  `Router API route, which is handed Node's own request and response instead of web Request and Response objects. It cost ` +
  `0.69–0.71 ms of server CPU per notification against the floor's 1.00–1.03 ms and reached 1,283–1,362/s, 0.45–0.49 of the ` +
  `baseline (the floor as built 0.35–0.37); an empty Pages Router API route cost 0.41–0.45 ms, twice the baseline server's ` +
  `whole job. So no kind of Next route reaches 0.7 here, and the Pages Router would need a pages folder, which this repository's ` +
  `fixed layout and its requirement of Next route handlers leave out. `;

const exportMemory =
  "The stream is pull-based with one chunk of buffer, so what is live stays near one batch; growth beyond it is garbage V8 has not yet " +
  "collected. Inside `next start` the export's short-lived objects survive young-generation collections and are promoted (seen with " +
  "--trace-gc: about a fifth of what it allocates, where the same stream read in a plain Node process promotes next to nothing), so the " +
  "old generation grows with the garbage made per row until a full collection. PostgreSQL already writes each row's CSV line but its " +
  "time (exportStatement in lib/transactions/find-transactions.ts). What would fix it: fewer objects still per row (the time written by " +
  "PostgreSQL too, or COPY … TO STDOUT), or a smaller heap limit for the server (--max-old-space-size), which makes V8 collect sooner.";

export const explanations: Record<string, (results: Results) => string> = {
  "ingest-saturation": (results) => {
    const c = ingestCosts(results);
    const ceiling = (c.cores * 1000) / c.cheapest;
    const target = targets.saturationPerSecond.toLocaleString("en-US");
    const machineBound =
      `With the database, the server and the load generator on the same ${c.cores} cores, the baseline's cheapest run ` +
      `(${f(c.cheapest)} ms of server and database CPU per notification) bounds any server that keeps the guarantees at about ` +
      `${Math.round(ceiling)}/s (${c.cores} × 1000 ms ÷ ${f(c.cheapest)} ms), before the load generator's own share and whatever else runs on the machine`;
    const bound =
      ceiling < targets.saturationPerSecond
        ? `${machineBound}, so ${target}/s is out of reach on this machine; the app is further held back by its own CPU (see the ratio below).`
        : c.baseThroughput < targets.saturationPerSecond
          ? `${machineBound}; at saturation, though, PostgreSQL's CPU per notification rose (baseline: ${f(c.baseFixedPostgres)} ms at the fixed ` +
            `rate, ${f(c.basePostgres)} ms with ${config.ingest.saturationConnections} connections at once) and the baseline itself reached only ` +
            `${Math.round(c.baseThroughput)}/s, so ${target}/s is out of reach on this machine even for the bare baseline, and the app is further held back ` +
            `by its own CPU (see the ratio below).`
          : `${machineBound}. The baseline reached ${Math.round(c.baseThroughput)}/s, so the database and the machine can do ${target}/s: what keeps ` +
            `the app below it is its own server. \`next start\` is one Node process, and at ${f(c.appServer)} ms of CPU per notification one core ` +
            `gives it at most about ${Math.round(1000 / c.appServer)}/s (1000 ms ÷ ${f(c.appServer)} ms); the baseline's server needs ${f(c.baseServer)} ms ` +
            `(see the ratio below).`;
    return (
      `${ONE_STATEMENT} Measured per notification in this run: PostgreSQL ${f(c.appPostgres)} ms of CPU (app) / ${f(c.basePostgres)} ms ` +
      `(baseline), the baseline server ${f(c.baseServer)} ms, the app server ${f(c.appServer)} ms. ${bound} ` +
      `${floorNote(results, "throughput")}${speedNote(results).trimStart()}${speedNote(results) ? " " : ""}${CAPACITY_FIX}`
    );
  },
  "ingest-fixed-p99": (results) => {
    const { app, baseline } = results.ingest!;
    const capacity = Math.round(app.saturation.throughput);
    const rate = config.ingest.fixedRate;
    const cores = (cpuMs: number) => ((cpuMs / Math.max(1, app.fixed.ok)) * rate) / 1000;
    const appFixed = perNotification(app.fixed.serverCpuMs, app.fixed.ok);
    const appSaturation = perNotification(app.saturation.serverCpuMs, app.saturation.ok);
    const baseFixed = perNotification(baseline.fixed.serverCpuMs, baseline.fixed.ok);
    const late = `${app.fixed.lateSends} sends could not leave on time because all ${config.ingest.fixedConnections} connections were waiting for replies. `;
    if (app.fixed.throughput < 0.98 * rate || app.fixed.lateSends > 0.01 * app.fixed.sent) {
      const beyond = capacity <= 1.1 * rate;
      return (
        `Asked for ${rate}/s, the app achieved ${Math.round(app.fixed.throughput)}/s (${late.trimEnd().replace(/\.$/, "")}); with ` +
        `${config.ingest.saturationConnections} connections at once it sustained ${capacity}/s. ` +
        (beyond
          ? `${rate}/s is at or beyond what it sustains on cores shared with the database and the load generator, so requests wait for a free connection and a free core: `
          : `${rate}/s is ${Math.round((100 * rate) / capacity)}% of what it sustains on cores shared with the database and the load generator, so a pause or a busy moment leaves the requests arriving meanwhile waiting for a free connection and a free core, and the app works that queue off slowly: `) +
        `the latency measured is mostly queueing. The fix is capacity, the same as for throughput.` +
        floorNote(results, "latency") +
        afterIdleNote(results) +
        " " +
        APP_GC_PROMOTION.trimEnd() +
        speedNote(results)
      );
    }
    const kept =
      app.fixed.lateSends === 0
        ? `The app kept the rate (no send left late) with a p50 of ${app.fixed.p50.toFixed(0)} ms: the p99 is its tail. `
        : `The app kept the rate with a p50 of ${app.fixed.p50.toFixed(0)} ms, though ${late}`;
    const perRequest =
      appFixed > appSaturation
        ? ` (${f(appSaturation)} ms at saturation, most likely because there one turn of the event loop serves many requests)`
        : "";
    return (
      kept +
      `At ${rate}/s the app's server spent ${f(appFixed)} ms of CPU per notification${perRequest}: ` +
      `about ${cores(app.fixed.serverCpuMs).toFixed(2)} of a core, with PostgreSQL at ${cores(app.fixed.postgresCpuMs).toFixed(2)} ` +
      `and the load generator on the same ${results.machine.cores} cores. ` +
      APP_GC_PROMOTION +
      `A pause of a few tens of milliseconds queues the requests that arrive meanwhile, and with little spare capacity the app ` +
      `works that queue off slowly, so a hundred requests or more wait behind it; in this run the baseline (${f(baseFixed)} ms per ` +
      `notification) saw the same kind of pauses and its p99 was ${baseline.fixed.p99.toFixed(0)} ms. With ` +
      `${config.ingest.saturationConnections} connections at once the app sustained ${capacity}/s. The fix is headroom: less CPU ` +
      `per request in the app's server (see the ratio below) or cores not shared with the database and the load generator.` +
      floorNote(results, "latency") +
      afterIdleNote(results) +
      speedNote(results)
    );
  },
  "ingest-ratio": (results) => {
    const c = ingestCosts(results);
    return (
      floorNote(results, "ratio") +
      NEXT_VARIANTS +
      `The app spends ${f(c.appServer)} ms of CPU per notification in its server against the baseline's ${f(c.baseServer)} ms for the same ` +
      `statement, and PostgreSQL ${f(c.appPostgres)} ms against ${f(c.basePostgres)} ms; on a CPU-bound machine those costs set the throughput ` +
      `ratio. Done: Node 24 (engines.node, as Vercel runs it; on Node 20, async-context tracking through async hooks cost every promise, and ` +
      `the app reached about 750/s in the benchmark); the ingest is one prepared statement calling the database function ingest_notification, its text built ` +
      `once (it was four round trips in a transaction on the pg pool, and before that Prisma's interactive transaction, which cost about 0.7 ms ` +
      `of CPU by itself); proxy.ts no longer runs for the webhook routes; the handler's own work was trimmed (a zone's offset read from one ` +
      `formatted string instead of formatToParts, the JSON reviver that refuses NUL and unpaired surrogates run only when an escape could ` +
      `carry one, one promise for the database deadline instead of five). Each of these helped the baseline as much or more in proportion, ` +
      `since most of what remains is Next's. The webhook handler itself, called in-process without Next on PostgreSQL ` +
      `(bench/profile-handler.ts, measured apart from this run), costs about 0.26–0.44 ms of CPU per notification including building the Request (signature check, schema ` +
      `validation, header redaction, the statement and pg's work for it); the rest of the app server's figure is Next's request handling: ` +
      `the router server's route resolution, the route module's preparation (it loads its manifests and joins their paths on every request), ` +
      `web Request and Response objects and the streams carrying the body and the reply, and the garbage all of it leaves. Note also that ` +
      `the baseline's figure is partly the load generator's: it shares the two cores, and at the baseline's rate it needs a good part of one. ` +
      `What would close the rest: serve the webhooks from a plain Node handler outside Next (a small separate server or function around ` +
      `lib/webhooks/handle-webhook.ts), since they need none of Next's per-request work. The webhooks are required to be Next route handlers, so this ` +
      `stays a measured gap.${speedNote(results)}`
    );
  },
  "dashboard-transactions-first": () => "See the plans below: the first page is an index scan on (first_seen_at, id) and a planner estimate for the total.",
  "export-time": () =>
    "The export's database work here, in the time order, is a keyset walk of the (first_seen_at, id) index, 1,000 rows a batch, in " +
    "hand-written SQL on the pg pool (other orders read through one server-side cursor; lib/transactions/find-transactions.ts, " +
    "openTransactionReader). PostgreSQL writes each row's CSV line but its time (exportStatement); the server writes the time in the " +
    "user's zone, joins a batch's lines and compresses the response. What would fix it: PostgreSQL writing the time too (its zone " +
    "rules would then have to match Node's), or COPY … TO STDOUT, which leaves the server only passing bytes on.",
  "export-by-amount": () =>
    "Sorted by amount, the export reads through one server-side cursor (lib/transactions/find-transactions.ts, openTransactionReader): " +
    "PostgreSQL sorts the matches once, before the first row leaves, then each batch is a FETCH; the per-row work is the time order's. " +
    "What would fix it: an index on (amount, id) serving the order, paid for by every ingest, which writes transactions.",
  "export-memory": () => exportMemory,
  "export-first": (results) => {
    const warmMissed = (results.export?.growthBytes ?? 0) >= targets.exportMemoryMb * 1024 * 1024;
    return (
      "The first large download after the server starts also loads the route's code and lets V8 size its heap for the work; otherwise " +
      `it is the warm download's, and so is its time (see the export's time). ${warmMissed ? "Its memory: as the warm download's above." : exportMemory}`
    );
  },
  "browser-js": () =>
    "The page's scripts are React DOM and Next's client runtime (shared by every page), @tanstack/react-table and the page's own " +
    "components (the table below lists each chunk). zod stays on the server: the table's client components take the list's constants and " +
    "query strings from lib/transactions/transaction-query-params.ts, which has none, and the sign-out button is a plain form, without " +
    "next-auth's client. What would cut " +
    "more: render the table's header and pagination without @tanstack/react-table (sorting and paging are URL navigations already), or " +
    "check each \"use client\" module's imports for anything else that pulls a library into the page.",
};
