// Diagnostic only, never for production: preloaded into the app's server
// (BENCH_APP_NODE_ARGS="--require ./bench/lib/request-without-signal.cjs"),
// it makes every web Request given an `init.signal` without it, Next's route
// handlers' included (their class extends the global Request, replaced here
// before Next loads). A route handler then never learns that its client went
// away. It exists to test whether that signal is what makes the app's garbage
// collections slow (bench/RESULTS.md, the p99 at 500/s). With
// BENCH_REQUEST_SIGNAL=keep it passes the signal on instead, through the same
// subclass and the same copy of `init`: the control, so that only the signal
// differs between the two. Every 5 s it prints to the server's log how many
// Requests it saw with a signal.
const keep = process.env.BENCH_REQUEST_SIGNAL === "keep";
const Original = globalThis.Request;
let withSignal = 0;
globalThis.Request = class Request extends Original {
  constructor(input, init) {
    if (init && init.signal) {
      withSignal++;
      const { signal, ...rest } = init;
      super(input, keep ? { ...rest, signal } : rest);
    } else {
      super(input, init);
    }
  }
};
setInterval(
  () => console.log(`[request-without-signal] ${withSignal} Requests given a signal, ${keep ? "kept (control)" : "made without it"}`),
  5_000,
).unref();
