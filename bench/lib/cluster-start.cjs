// `node bench/lib/cluster-start.cjs <next bin> start …` with BENCH_APP_WORKERS set: that many
// `next start` processes sharing one port through node:cluster, one per core, as a process
// manager's cluster mode would run them. For bench/ingest-only.ts only (BENCH_APP_WORKERS); the
// benchmark's own figures are of `next start` as `npm start` runs it, one process.
const cluster = require("node:cluster");

if (cluster.isPrimary) {
  const workers = Number(process.env.BENCH_APP_WORKERS);
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on("exit", (worker, code) => {
    if (!stopping) {
      console.error(`worker ${worker.process.pid} exited (${code}): stopping`);
      process.exit(1);
    }
  });
  let stopping = false;
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    setTimeout(() => process.exit(0), 3_000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} else {
  const [node, , nextBin, ...args] = process.argv;
  process.argv = [node, nextBin, ...args];
  require(nextBin);
}
