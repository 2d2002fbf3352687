// Diagnostic only, never for production: preloaded into the app's server
// (BENCH_APP_NODE_ARGS="--require ./bench/lib/request-without-signal.cjs"),
// it makes every web Request without the AbortSignal it was given, Next's
// route handlers' included (their class extends the global Request, replaced
// here before Next loads). A route handler then never learns that its client
// went away. It exists to test whether that signal is what makes the app's
// garbage collections slow (bench/RESULTS.md, the p99 at 500/s): it prints
// how many Requests it changed, to the server's log, every 5 s.
const Original = globalThis.Request;
let withoutSignal = 0;
globalThis.Request = class Request extends Original {
  constructor(input, init) {
    if (init && init.signal) {
      withoutSignal++;
      const { signal: _signal, ...rest } = init;
      super(input, rest);
    } else {
      super(input, init);
    }
  }
};
setInterval(() => console.log(`[request-without-signal] ${withoutSignal} Requests made without their signal`), 5_000).unref();
