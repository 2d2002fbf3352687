import autocannon, { type Client, type Options } from "autocannon";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PreparedRequest } from "./requests";

// One load run with autocannon: every connection takes the next prepared
// request from one shared list, so each notification is sent once (its
// retries are separate entries). Two modes:
// - saturation: closed loop, N connections each sending as soon as its last
//   reply came back, until the list is used up;
// - fixed rate: sends at evenly spaced instants. autocannon's own `overallRate`
//   releases each connection's quota at the start of every second, a burst at
//   full concurrency that would measure saturation latency instead; so each
//   connection's next send is held to the next free slot of the schedule.

export type LoadResult = {
  mode: "saturation" | "fixed";
  /** Requests written to a connection (each prepared request is built just before it is sent). */
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** Acknowledged (2xx) notifications per second. */
  throughput: number;
  p50: number;
  p99: number;
  max: number;
  /** Fixed rate only: sends that left more than 10 ms after their slot because every connection was busy. */
  lateSends: number;
  statusCodes: Record<string, number>;
  /** Positions (in the list given) of the requests answered 2xx: what the server acknowledged. */
  acknowledged: number[];
};

type LoadOptions = {
  url: string;
  requests: readonly PreparedRequest[];
  connections: number;
  /** Requests per second; absent for a saturation run. */
  rate?: number;
  maxSeconds: number;
  /** Writes "<sent at, Unix ms> <latency ms>" per answered request to this file (bench/trace-report.ts reads it). */
  traceFile?: string;
};

type PacedClient = Client & {
  _doRequest?: (...args: unknown[]) => void;
  destroyed?: boolean;
  requestIterator?: { context?: { sentAt?: number } };
};

/**
 * Sends a held request. A traced run stamps each request's send time in setupRequest, which
 * autocannon calls as it sends, except for a connection's first request, set up when the
 * connection was made and held here until its slot: that one is stamped now.
 */
function release(client: PacedClient, send: (...args: unknown[]) => void, args: unknown[]): void {
  const context = client.requestIterator?.context;
  if (context?.sentAt !== undefined) context.sentAt = Date.now();
  send.apply(client, args);
}

function pacer(rate: number): { setup: (client: Client) => void; late: () => number } {
  const interval = 1000 / rate;
  let start: number | undefined;
  let issued = 0;
  let late = 0;
  const setup = (client: Client) => {
    const paced = client as PacedClient;
    const send = paced._doRequest;
    if (typeof send !== "function") throw new Error("autocannon's client has no _doRequest: the pacing below needs autocannon 9.0.0");
    paced._doRequest = (...args: unknown[]) => {
      const now = performance.now();
      start ??= now;
      const wait = start + issued++ * interval - now;
      if (wait <= 0) {
        if (wait < -10) late++;
        release(paced, send, args);
        return;
      }
      setTimeout(() => {
        if (!paced.destroyed) release(paced, send, args);
      }, wait);
    };
  };
  return { setup, late: () => late };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { requests, connections, rate } = options;
  let next = 0;
  const acknowledged: number[] = [];
  const trace: string[] = [];
  const paced = rate ? pacer(rate) : undefined;
  const opts: Options = {
    url: options.url,
    connections: Math.min(connections, requests.length),
    pipelining: 1,
    amount: requests.length,
    timeout: 30,
    requests: [
      {
        // The context is the connection's own; with one request in flight per connection it names the one being answered.
        setupRequest: (request, context) => {
          const position = next++;
          (context as { position?: number }).position = position;
          if (options.traceFile) (context as { sentAt?: number }).sentAt = Date.now();
          const prepared = requests[position % requests.length]!;
          return { ...request, method: "POST", path: prepared.path, headers: { ...prepared.headers }, body: prepared.body };
        },
        onResponse: (status, _body, context) => {
          lastResponse = performance.now();
          const { position, sentAt } = context as { position?: number; sentAt?: number };
          if (sentAt !== undefined) trace.push(`${sentAt} ${Date.now() - sentAt}`);
          if (status >= 200 && status < 300 && position !== undefined) acknowledged.push(position);
        },
      },
    ],
    ...(paced ? { setupClient: paced.setup } : {}),
  };

  const started = performance.now();
  let lastResponse = started;
  let cutOff = false;
  let guard: NodeJS.Timeout | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(opts, (error, done) => (error ? reject(error) : resolve(done)));
    guard = setTimeout(() => {
      cutOff = true;
      instance.stop();
    }, options.maxSeconds * 1000);
  }).finally(() => clearTimeout(guard));
  const ended = performance.now();
  if (options.traceFile) {
    mkdirSync(path.dirname(options.traceFile), { recursive: true });
    writeFileSync(options.traceFile, trace.join("\n") + "\n");
  }
  // A run whose every request was answered lasted until its last reply: autocannon
  // notices that only at its next one-second tick, which would round every run up to
  // whole seconds. A run cut off by the guard, or with requests that failed or timed
  // out (they have no reply), lasted until autocannon stopped.
  const answeredAll = !cutOff && result.errors === 0 && result.timeouts === 0 && lastResponse > started;
  const seconds = ((answeredAll ? lastResponse : ended) - started) / 1000;

  const statusCodes = Object.fromEntries(
    Object.entries((result as unknown as { statusCodeStats: Record<string, { count: number }> }).statusCodeStats ?? {}).map(
      ([code, stat]) => [code, stat.count],
    ),
  );
  const ok = result["2xx"];
  return {
    mode: rate ? "fixed" : "saturation",
    sent: Math.min(next, requests.length),
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds,
    throughput: ok / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    lateSends: paced?.late() ?? 0,
    statusCodes,
    acknowledged,
  };
}
