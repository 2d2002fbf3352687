// Every knob of `npm run bench` in one place. The defaults are the figures the
// README quotes; BENCH_* variables shrink a run while the harness is worked on
// (e.g. BENCH_FILL_ROWS=100000 BENCH_FIXED_SECONDS=5).

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

export const config = {
  /** PostgreSQL server the bench creates its databases on (trust auth). */
  serverUrl: process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
  appPort: int("BENCH_APP_PORT", 3230),
  baselinePort: int("BENCH_BASELINE_PORT", 3231),
  nextFloorPort: int("BENCH_NEXT_FLOOR_PORT", 3232),
  distDir: ".next-bench",
  /** Skip `next build` when .next-bench already holds a build (for harness work only: the figures need a fresh build). */
  reuseBuild: process.env.BENCH_REUSE_BUILD === "1",
  /** Connections per instance, app and baseline alike (the app's default). */
  poolSize: int("BENCH_POOL_SIZE", 10),
  /** `next start` processes behind the app's port (bench/ingest-only.ts experiments; the benchmark runs one, as `npm start` does). */
  appWorkers: int("BENCH_APP_WORKERS", 1),
  /** A diagnostic: where each load run writes its requests' latencies, and bench/lib/event-loop-trace.cjs its events. */
  traceDir: process.env.BENCH_TRACE_DIR,

  ingest: {
    warmupRequests: int("BENCH_WARMUP_REQUESTS", 1_500),
    fixedRate: int("BENCH_FIXED_RATE", 500),
    fixedSeconds: int("BENCH_FIXED_SECONDS", 20),
    /** Enough connections that a slow reply never delays the next send at the fixed rate. */
    fixedConnections: int("BENCH_FIXED_CONNECTIONS", 64),
    saturationRequests: int("BENCH_SATURATION_REQUESTS", 15_000),
    /**
     * After its saturation run each target idles this long, then takes the fixed rate again for
     * `afterIdleSeconds` (0 leaves that run out). Longer than every pool's idle timeout (the app's
     * 30 s, pg's default 10 s for the others), so each starts the burst without open connections.
     */
    idleSeconds: int("BENCH_IDLE_SECONDS", 40),
    afterIdleSeconds: int("BENCH_AFTER_IDLE_SECONDS", 3),
    saturationConnections: int("BENCH_SATURATION_CONNECTIONS", 32),
    /** Upper bound on any one load run, whatever happens. */
    maxRunSeconds: int("BENCH_MAX_RUN_SECONDS", 60),
    /** About one request in ten repeats an earlier one's exact bytes, as a provider retry. */
    retryShare: 0.1,
  },

  fill: {
    transactions: int("BENCH_FILL_ROWS", 1_000_000),
    batch: int("BENCH_FILL_BATCH", 100_000),
    years: 3,
  },

  dashboard: { warmups: 3, runs: 20 },
  export: { rows: int("BENCH_EXPORT_ROWS", 100_000), maxSeconds: 120 },
  browser: { runs: 5, chromium: process.env.BENCH_CHROMIUM ?? "/usr/bin/chromium" },

  /** The zone the dashboard queries, the export and the browser use (a merchant in Indonesia). */
  timeZone: "Asia/Jakarta",
  user: { email: "bench@payhook.test", password: "bench password 1", role: "viewer" as const },
};

export const targets = {
  saturationPerSecond: 1_000,
  fixedP99Ms: 50,
  baselineRatio: 0.7,
  pageP50Ms: 100,
  searchP50Ms: 20,
  exportSeconds: 5,
  exportMemoryMb: 100,
  pageJsKb: 180,
};
