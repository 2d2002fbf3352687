import type { BrowserResult } from "../browser/browser";
import type { DashboardResult } from "../dashboard/dashboard";
import type { ExportResult } from "../export/export";
import type { FillSummary } from "../fill/fill";
import type { IngestResult } from "../ingest/ingest";
import { config, targets } from "../lib/config";
import { kb, mb, ms, perSecond } from "../lib/stats";

// Every figure against its target, as rows of the results table.

export type Machine = {
  date: string;
  cores: number;
  cpu: string;
  memoryGb: number;
  node: string;
  postgres: Record<string, string>;
  load: { label: string; avg: [number, number, number] }[];
  /** The fixed workload of bench/lib/calibrate.ts, timed at points of the run (absent in results from before it existed). */
  calibration?: { label: string; ms: number }[];
};

export type Results = {
  machine: Machine;
  seconds: number;
  ingest?: IngestResult;
  fill?: FillSummary;
  dashboard?: DashboardResult;
  export?: ExportResult;
  browser?: BrowserResult;
  failures: string[];
};

export type Check = { id: string; area: string; figure: string; value: string; target: string; met: boolean | null };

export function checks(results: Results): Check[] {
  const rows: Check[] = [];
  const { ingest, dashboard, browser } = results;
  if (ingest) {
    const { app, baseline } = ingest;
    const row = (id: string, figure: string, value: string, target: string, met: boolean | null) =>
      rows.push({ id, area: "Ingest", figure, value, target, met });
    row("ingest-saturation", "App at saturation: verified notifications/s", perSecond(app.saturation.throughput), `≥ ${perSecond(targets.saturationPerSecond)}`, app.saturation.throughput >= targets.saturationPerSecond);
    row("ingest-saturation-latency", "App at saturation: p50 / p99 / max", `${ms(app.saturation.p50)} / ${ms(app.saturation.p99)} / ${ms(app.saturation.max)} ms`, "—", null);
    row("ingest-fixed-p99", `App at ${config.ingest.fixedRate}/s: p50 / p99 / max`, `${ms(app.fixed.p50)} / ${ms(app.fixed.p99)} / ${ms(app.fixed.max)} ms`, `p99 ≤ ${targets.fixedP99Ms} ms`, app.fixed.p99 <= targets.fixedP99Ms);
    row("ingest-fixed-throughput", `App at ${config.ingest.fixedRate}/s: achieved rate`, `${perSecond(app.fixed.throughput)}/s`, "—", null);
    row("baseline-saturation", "Baseline at saturation: notifications/s", perSecond(baseline.saturation.throughput), "—", null);
    row("baseline-latency", `Baseline: p99 at ${config.ingest.fixedRate}/s · p99 at saturation`, `${ms(baseline.fixed.p99)} · ${ms(baseline.saturation.p99)} ms`, "—", null);
    const { next } = ingest;
    if (app.afterIdle && baseline.afterIdle) {
      const idle = (t: typeof app) => (t.afterIdle ? ms(t.afterIdle.p99) : "—");
      row(
        "ingest-after-idle",
        `p99 at ${config.ingest.fixedRate}/s in the first ${config.ingest.afterIdleSeconds} s after ${config.ingest.idleSeconds} s idle: app · ${next ? "Next floor · " : ""}baseline`,
        `${[app, ...(next ? [next] : []), baseline].map(idle).join(" · ")} ms`,
        "—",
        null,
      );
    }
    if (next) {
      row("next-floor-saturation", "Next floor (the baseline's work in one Next route handler) at saturation: notifications/s", perSecond(next.saturation.throughput), "—", null);
      row("next-floor-latency", `Next floor: p99 at ${config.ingest.fixedRate}/s · p99 at saturation`, `${ms(next.fixed.p99)} · ${ms(next.saturation.p99)} ms`, "—", null);
    }
    const stored = [app, ...(next ? [next] : []), baseline];
    const exact = (t: typeof app) => (t.expected.exact ? "yes" : "NO");
    row(
      "ingest-exactly-once",
      `Every acknowledged notification stored exactly once (app · ${next ? "Next floor · " : ""}baseline)`,
      stored.map(exact).join(" · "),
      "yes",
      stored.every((t) => t.expected.exact),
    );
    const ratio = app.saturation.throughput / baseline.saturation.throughput;
    row("ingest-ratio", "App / baseline throughput at saturation", ratio.toFixed(2), `≥ ${targets.baselineRatio}`, ratio >= targets.baselineRatio);
    if (next) {
      row("next-floor-ratio", "Next floor / baseline · app / Next floor, at saturation", `${(next.saturation.throughput / baseline.saturation.throughput).toFixed(2)} · ${(app.saturation.throughput / next.saturation.throughput).toFixed(2)}`, "—", null);
    }
  }
  if (dashboard) {
    for (const figure of dashboard.figures) {
      const target = figure.kind === "search" ? targets.searchP50Ms : figure.kind === "page" ? targets.pageP50Ms : null;
      rows.push({
        id: `dashboard-${figure.key}`,
        area: "Dashboard",
        figure: figure.label,
        value: `${ms(figure.p50)} / ${ms(figure.p95)} ms`,
        target: target === null ? "—" : `p50 ≤ ${target} ms`,
        met: target === null ? null : figure.p50 <= target,
      });
    }
    const counts = dashboard.figures.flatMap((figure) => figure.fullCounts.map((line) => `${figure.key}: ${line}`));
    rows.push({
      id: "dashboard-no-full-count",
      area: "Dashboard",
      figure: "Exact COUNT(*) over the whole table on a page load",
      value: counts.length === 0 ? "none" : `${counts.length} found`,
      target: "none",
      met: counts.length === 0,
    });
  }
  if (results.export) {
    const e = results.export;
    rows.push({ id: "export-time", area: "Export", figure: `CSV of ${e.rows.toLocaleString("en-US")} rows: time`, value: `${e.seconds.toFixed(2)} s`, target: `≤ ${targets.exportSeconds} s`, met: e.seconds <= targets.exportSeconds });
    rows.push({ id: "export-memory", area: "Export", figure: "Server peak RSS growth during that download (warm server)", value: `${mb(e.growthBytes)} MB`, target: `< ${targets.exportMemoryMb} MB`, met: e.growthBytes < targets.exportMemoryMb * 1024 * 1024 });
    rows.push({
      id: "export-first",
      area: "Export",
      figure: "The same download first after the server started (the route loaded, V8's heap sized for the work): time · RSS growth",
      value: `${e.first.seconds.toFixed(2)} s · ${mb(e.first.growthBytes)} MB`,
      target: `≤ ${targets.exportSeconds} s, < ${targets.exportMemoryMb} MB`,
      met: e.first.seconds <= targets.exportSeconds && e.first.growthBytes < targets.exportMemoryMb * 1024 * 1024,
    });
    rows.push({ id: "export-larger", area: "Export", figure: `3× the rows (${e.larger.rows.toLocaleString("en-US")}): time · RSS growth`, value: `${e.larger.seconds.toFixed(2)} s · ${mb(e.larger.growthBytes)} MB`, target: "—", met: null });
    rows.push({
      id: "export-by-amount",
      area: "Export",
      figure: `The first download's rows sorted by amount (${e.byAmount.rows.toLocaleString("en-US")}, one server-side cursor): time · RSS growth`,
      value: `${e.byAmount.seconds.toFixed(2)} s · ${mb(e.byAmount.growthBytes)} MB`,
      target: `≤ ${targets.exportSeconds} s, < ${targets.exportMemoryMb} MB`,
      met: e.byAmount.seconds <= targets.exportSeconds && e.byAmount.growthBytes < targets.exportMemoryMb * 1024 * 1024,
    });
  }
  if (browser) {
    rows.push({ id: "browser-js", area: "Browser", figure: "JavaScript of the transactions page (gzip)", value: `${kb(browser.jsGzipBytes)} KB`, target: `≤ ${targets.pageJsKb} KB`, met: browser.jsGzipBytes <= targets.pageJsKb * 1024 });
    rows.push({ id: "browser-first-row", area: "Browser", figure: "Navigation → first table row visible (median of 5)", value: `${ms(browser.firstRowMedian)} ms`, target: "—", met: null });
    rows.push({ id: "browser-hydrated", area: "Browser", figure: "Navigation → table hydrated, usable (median of 5)", value: `${ms(browser.hydratedMedian)} ms`, target: "—", met: null });
  }
  return rows;
}

export function verdict(met: boolean | null): string {
  return met === null ? "" : met ? "met" : "MISSED";
}
