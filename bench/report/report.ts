import { writeFileSync } from "node:fs";
import { PHASES, type RunFigures } from "../ingest/ingest";
import { CALIBRATION_WORK } from "../lib/calibrate";
import { config } from "../lib/config";
import { kb, mb, ms, perSecond } from "../lib/stats";
import { checks, verdict, type Check, type Results } from "./checks";
import { explanations } from "./explanations";

// bench/RESULTS.md and the table printed at the end of `npm run bench`.

function table(rows: Check[]): string {
  const lines = ["| area | figure | value | target | |", "| --- | --- | --- | --- | --- |"];
  for (const row of rows) lines.push(`| ${row.area} | ${row.figure} | ${row.value} | ${row.target} | ${verdict(row.met)} |`);
  return lines.join("\n");
}

export function consoleTable(results: Results): string {
  const rows = checks(results);
  const width = (pick: (row: Check) => string) => Math.max(...rows.map((row) => pick(row).length));
  const [a, f, v, t] = [width((r) => r.area), width((r) => r.figure), width((r) => r.value), width((r) => r.target)];
  return rows
    .map((row) => `${row.area.padEnd(a)}  ${row.figure.padEnd(f)}  ${row.value.padStart(v)}  ${row.target.padEnd(t)}  ${verdict(row.met)}`)
    .join("\n");
}

function loadRow(name: string, phase: string, r: RunFigures): string {
  const codes = Object.entries(r.statusCodes).map(([code, count]) => `${code}: ${count}`).join(", ");
  return `| ${name} | ${phase} | ${r.sent} | ${codes}${r.errors ? `, errors: ${r.errors}` : ""}${r.timeouts ? `, timeouts: ${r.timeouts}` : ""} | ${r.seconds.toFixed(1)} | ${perSecond(r.throughput)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.mode === "fixed" ? r.lateSends : "—"} | ${(r.serverCpuMs / Math.max(1, r.ok)).toFixed(2)} | ${(r.postgresCpuMs / Math.max(1, r.ok)).toFixed(2)} |`;
}

function ingestSection(results: Results): string[] {
  const ingest = results.ingest;
  if (!ingest) return [];
  const { ingest: c } = config;
  // Results from before 2026-11-22 have no after-idle runs: their servers took turns within each phase.
  const order = ingest.app.afterIdle
    ? "each target in turn takes its warm-up, the fixed rate and saturation back to back, 2 s apart, so that each is measured warm " +
      "(until 2026-11-22 the three took turns within each phase, and the app sat idle for up to a minute before its fixed-rate run, the " +
      `Next floor for a few seconds). Each then idles for ${c.idleSeconds} s and takes the fixed rate again for ${c.afterIdleSeconds} s: ` +
      'the first requests of a burst after a quiet spell, reported on their own ("after idle").'
    : "within each phase the three take turns, in an order that rotates from phase to phase.";
  const out = [
    "## Ingest",
    "",
    `${ingest.mix.requests.toLocaleString("en-US")} signed notifications prepared before the runs (${Object.entries(ingest.mix.byProvider).map(([p, n]) => `${p} ${n}`).join(", ")}), ` +
      `${ingest.mix.retries.toLocaleString("en-US")} of them (${((100 * ingest.mix.retries) / ingest.mix.requests).toFixed(1)}%) exact repeats of a recent one (provider retries); ` +
      "10% of the new ones failed, 10% of PayCools' pending and later succeeded, about 1% a second payment of an earlier order. " +
      `The same requests in the same order go to the app (\`next start\`, production build, PostgreSQL), to the Next floor (\`bench/next-floor\`: a Next.js app with one route handler that does exactly the baseline's work, \`bench/lib/baseline-work.ts\`, with the app's response-header rules, also under \`next start\`) and to the baseline (\`bench/baseline-server.ts\`: node:http + pg, same signature check, same SQL), each on its own fresh database; ${order} ` +
      "The Next floor is the least a Next route handler costs: the app against it measures Payhook's own code (and what its other routes and proxy matcher add to Next's routing), the floor against the baseline measures Next's. Each warm-up ends with ANALYZE, as autovacuum would have run on tables in use: without statistics PostgreSQL planned the ingest's look-ups from defaults and read every successful payment of a provider per notification, which is how a fresh database behaves for its first minute, not a ledger in service.",
    "",
    `Load: autocannon, loopback. Fixed rate: ${c.fixedRate}/s for ${c.fixedSeconds} s over up to ${c.fixedConnections} connections, sends paced to evenly spaced instants (\"late\" counts sends that left more than 10 ms after their slot because every connection was waiting for a reply). ` +
      `Saturation: ${c.saturationConnections} connections, closed loop, ${c.saturationRequests.toLocaleString("en-US")} requests. Throughput counts acknowledged (2xx) notifications only.`,
    "",
    "CPU columns: milliseconds of CPU (user + system) per acknowledged notification, of the server's process tree and of the PostgreSQL backends serving its database — independent of what else the machine was doing.",
    "",
    "| target | run | sent | answers | s | ack/s | p50 ms | p99 ms | max ms | late | server CPU ms | postgres CPU ms |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const phase of PHASES) {
    const label = phase === "afterIdle" ? "after idle" : phase;
    for (const [name, figures] of [["app", ingest.app], ...(ingest.next ? [["Next floor", ingest.next] as const] : []), ["baseline", ingest.baseline]] as const) {
      const run = figures[phase];
      if (run) out.push(loadRow(name, label, run));
    }
  }
  out.push(
    "",
    "Stored afterwards (exactly once): every acknowledged notification's event is in the database, no more events than distinct notifications sent, " +
      "one accepted delivery per event, and a delivery row for every acknowledged request (a request cut off by a run's time bound may or may not have been stored, and was not acknowledged).",
    "",
    "| | transactions | events | acknowledged events stored | distinct sent | accepted deliveries | duplicate deliveries | acknowledged / sent requests | duplicate cases | exactly once |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...([["app", ingest.app], ...(ingest.next ? [["Next floor", ingest.next] as const] : []), ["baseline", ingest.baseline]] as const).map(([name, figures]) => {
      const { stored: s, expected: e } = figures;
      return `| ${name} | ${s.transactions} | ${s.events} | ${e.ackedEventsStored} of ${e.ackedEvents} | ${e.sentEvents} | ${s.accepted} | ${s.duplicate} | ${e.acknowledged} / ${e.sent} | ${s.cases} | ${e.exact ? "yes" : "NO"} |`;
    }),
    "",
  );
  return out;
}

function dashboardSection(results: Results): string[] {
  const { dashboard, fill } = results;
  if (!dashboard) return [];
  const out = ["## Dashboard at scale", ""];
  if (fill) {
    out.push(
      `Filled in ${fill.seconds.toFixed(0)} s (${fill.steps.map((s) => `${s.step} ${s.seconds.toFixed(1)} s`).join("; ")}): ` +
        Object.entries(fill.counts).map(([table, n]) => `${n.toLocaleString("en-US")} ${table} (${fill.sizes[table]})`).join(", ") + ".",
      "",
    );
  }
  out.push(
    `In-process, the app's own query functions and client (pool of ${config.poolSize}), ${config.dashboard.warmups} warm-up runs then ${config.dashboard.runs} timed runs each; time zone ${config.timeZone}. ` +
      "Each figure is followed by the SQL it sent and that SQL's `EXPLAIN (ANALYZE, BUFFERS)`, replayed with the same parameters after the timed runs.",
    "",
  );
  for (const figure of dashboard.figures) {
    out.push(`### ${figure.label}`, "", `p50 **${ms(figure.p50)} ms**, p95 ${ms(figure.p95)} ms, ${figure.queries.length} queries.`, "");
    figure.queries.forEach((query, index) => {
      const params = JSON.stringify(query.params);
      out.push(
        `<details><summary>query ${index + 1}: ${query.sql.replace(/\s+/g, " ").slice(0, 110).replace(/[<>|]/g, " ")}…</summary>`,
        "",
        "```sql",
        query.sql.trim(),
        `-- parameters: ${params.length > 400 ? `${params.slice(0, 400)}…` : params}`,
        "```",
        "",
        "</details>",
        "",
        "```",
        query.plan,
        "```",
        "",
      );
    });
  }
  return out;
}

function otherSections(results: Results): string[] {
  const out: string[] = [];
  const e = results.export;
  if (e) {
    out.push(
      "## Export",
      "",
      `GET /api/transactions/export?${e.query} on the production server, signed in: ${e.rows.toLocaleString("en-US")} rows, ${mb(e.bytes)} MB. ` +
        `The first such download on the freshly started server took ${e.first.seconds.toFixed(2)} s and its RSS grew ${mb(e.first.growthBytes)} MB while V8 sized its heap for the work; ` +
        `the same download again (the figure above) took ${e.seconds.toFixed(2)} s. ` +
        `Three times the rows (${e.larger.rows.toLocaleString("en-US")}) then took ${e.larger.seconds.toFixed(2)} s with RSS growth ${mb(e.larger.growthBytes)} MB: ` +
        "growth that does not follow the row count is the garbage collector's timing, not rows held in memory (the stream is pull-based, one batch at a time). " +
        `Sorted by amount instead (${e.byAmount.rows.toLocaleString("en-US")} rows, an order no index serves, read through one server-side cursor that sorts once), ` +
        `the first download's rows took ${e.byAmount.seconds.toFixed(2)} s with RSS growth ${mb(e.byAmount.growthBytes)} MB. ` +
        `Server RSS (the whole \`next start\` process tree, sampled every 50 ms, ${e.samples} samples): ${mb(e.rssBeforeBytes)} MB before, ${mb(e.rssPeakBytes)} MB at the peak, growth ${mb(e.growthBytes)} MB.`,
      "",
    );
  }
  const b = results.browser;
  if (b) {
    out.push(
      "## Browser",
      "",
      `Chromium (headless, ${config.browser.chromium}), 1280×900, fresh context per run (cold browser cache, warm server). ` +
        `First row visible: ${b.firstRowMs.map(ms).join(", ")} ms; hydrated: ${b.hydratedMs.map(ms).join(", ")} ms.`,
      "",
      `Scripts the page loads: ${b.scripts.length}, ${kb(b.jsBytes)} KB raw, **${kb(b.jsGzipBytes)} KB gzip**.`,
      "",
      "| script | raw KB | gzip KB |",
      "| --- | --- | --- |",
      ...b.scripts.map((s) => `| ${s.url} | ${kb(s.bytes)} | ${kb(s.gzipBytes)} |`),
      "",
    );
  }
  return out;
}

export function writeResults(results: Results, file: string): void {
  const rows = checks(results);
  const { machine } = results;
  const misses = rows.filter((row) => row.met === false);
  const lines = [
    "# Payhook benchmark results",
    "",
    "Written by `npm run bench` (bench/run.ts); every figure below comes from that run. Loopback only.",
    "",
    `- Date: ${machine.date}; run took ${(results.seconds / 60).toFixed(1)} min`,
    `- Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb.toFixed(1)} GB memory; Node ${machine.node}`,
    `- PostgreSQL ${machine.postgres.server_version ?? "?"} on the same machine: ${Object.entries(machine.postgres).filter(([k]) => k !== "server_version").map(([k, v]) => `${k}=${v}`).join(", ")}`,
    `- Load average (1/5/15 min): ${machine.load.map((l) => `${l.label} ${l.avg.map((x) => x.toFixed(2)).join("/")}`).join("; ")}`,
    ...(machine.calibration?.length
      ? [
          `- Machine speed, one core (bench/lib/calibrate.ts: ${CALIBRATION_WORK}; lower is faster): ` +
            `${machine.calibration.map((c) => `${c.label} ${c.ms.toFixed(0)} ms`).join("; ")}. Compare runs by it: ` +
            "on a shared machine the same code's figures move with it.",
        ]
      : []),
    "",
    "The load generator, the app (or the baseline) and PostgreSQL share the machine's cores, as they would on a one-box deployment; the load average shows what else was running.",
    "",
    table(rows),
    "",
    ...(results.failures.length > 0 ? ["## Steps that failed", "", ...results.failures.map((f) => `- ${f}`), ""] : []),
    "## Missed targets: why, and what would fix them",
    "",
    ...(misses.length === 0
      ? ["Every target was met in this run.", ""]
      : misses.flatMap((row) => [`### ${row.area}: ${row.figure} — ${row.value} (target ${row.target})`, "", explanations[row.id]?.(results) ?? "No analysis recorded for this miss yet: see the plans and figures below.", ""])),
    ...ingestSection(results),
    ...dashboardSection(results),
    ...otherSections(results),
  ];
  writeFileSync(file, `${lines.join("\n")}\n`);
}
