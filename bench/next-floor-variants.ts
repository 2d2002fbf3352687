import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { withPgClient } from "@/lib/db/with-pg-client";
import { runLoad } from "./ingest/load";
import { generateProviderKeys, prepareRequests, PROVIDERS, publicKeyEnv } from "./ingest/requests";
import { CALIBRATION_WORK, calibrate } from "./lib/calibrate";
import { config } from "./lib/config";
import { createBenchDatabase, dropAllBenchDatabases, dropBenchDatabase } from "./lib/postgres";
import { buildNextFloor, type Server, startBaseline, startNextFloor } from "./lib/app-server";
import { cpuMs, processTree, stop, stopAll, TMP_DIR } from "./lib/processes";

// Does any Next setting move the Next floor (bench/next-floor)? Builds variants
// of it into bench/.tmp, then measures each in turn, for several rounds, on its
// own fresh database: a warm-up, ANALYZE, then a saturation run, printing
// notifications/s, p99 and the server's CPU per notification. Printed, not
// written to RESULTS.md; the explanations there quote a run of it.
//
//   npx tsx bench/next-floor-variants.ts            (NEXT_FLOOR_ROUNDS=2, NEXT_FLOOR_REQUESTS=6000)
//
// The builds stay in bench/.tmp (git-ignored), about 50 MB each.
//
// Variants: the floor as built; compression off; a webpack build instead of
// Turbopack; one static route per provider instead of the dynamic [provider]
// segment; a handler that only reads the body and answers (no signature
// check, no database): what Next costs a request by itself; and the same two
// handlers (the baseline's work, and the empty one) as Pages Router API routes
// (pages/api, Node's own request and response) in place of the App Router's
// route handler, to show what Next's router costs apart from the web Request
// and Response a route handler is given. The baseline server itself is
// measured among them, so that each variant's ratio to it comes from one run.
//
//   NEXT_FLOOR_VARIANTS="as built,pages api"   measures only the named variants.

const FLOOR = path.join("bench", "next-floor");
const ROUTE = path.join("app", "api", "webhooks", "[provider]", "route.js");
const ROUNDS = Number(process.env.NEXT_FLOOR_ROUNDS ?? 2);
const REQUESTS = Number(process.env.NEXT_FLOOR_REQUESTS ?? 6_000);
const WARMUP = 1_500;

const EMPTY_HANDLER = `export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export async function POST(request, context) {
  await context.params;
  await request.arrayBuffer();
  return new Response('{"code":10000,"message":"Success"}', { status: 200, headers: { "content-type": "application/json" } });
}
`;

// The Pages Router's API route with the floor's work: Node's IncomingMessage and
// ServerResponse, the raw body read as the baseline server reads it.
const PAGES_HANDLER = `import { handleNotification, MAX_BODY } from "../../../../../lib/baseline-work";

export const config = { api: { bodyParser: false } };

export default async function handler(req, res) {
  const receivedAt = new Date();
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) return res.status(413).json({ error: "body_too_large" });
    chunks.push(chunk);
  }
  const sign = req.headers.sign;
  const result = await handleNotification(req.query.provider, req.method, Buffer.concat(chunks), typeof sign === "string" ? sign : null, JSON.stringify(req.headers), receivedAt);
  res.statusCode = result.status;
  res.setHeader("content-type", "application/json");
  res.end(result.body);
}
`;

const PAGES_EMPTY_HANDLER = `export const config = { api: { bodyParser: false } };

export default async function handler(req, res) {
  for await (const chunk of req) void chunk;
  res.setHeader("content-type", "application/json");
  res.end('{"code":10000,"message":"Success"}');
}
`;

/** Replaces the App Router's route with a Pages Router API route at the same path. */
function toPagesRoute(dir: string, handler: string): void {
  rmSync(path.join(dir, "app"), { recursive: true });
  const file = path.join(dir, "pages", "api", "webhooks", "[provider].js");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, handler);
}

/** A build of the floor with `edit` and `buildArgs`; or, with `baseline`, the baseline server itself, for the ratio. */
type Variant = { name: string; buildArgs?: string[]; edit?: (dir: string) => void; baseline?: true };

const VARIANTS: Variant[] = [
  { name: "as built" },
  {
    name: "compress off",
    edit: (dir) => rewrite(path.join(dir, "next.config.mjs"), (text) => text.replace("poweredByHeader: false,", "poweredByHeader: false,\n  compress: false,")),
  },
  { name: "webpack build", buildArgs: ["--webpack"] },
  {
    name: "static routes",
    edit: (dir) => {
      const dynamic = readFileSync(path.join(dir, ROUTE), "utf8");
      rmSync(path.join(dir, path.dirname(ROUTE)), { recursive: true });
      for (const provider of PROVIDERS) {
        const file = path.join(dir, "app", "api", "webhooks", provider, "route.js");
        mkdirSync(path.dirname(file), { recursive: true });
        // The same depth as [provider], so the module path stays right.
        writeFileSync(file, dynamic);
        rewrite(file, (text) => text.replace("const { provider } = await context.params;", `const provider = ${JSON.stringify(provider)};`));
      }
    },
  },
  { name: "empty handler", edit: (dir) => writeFileSync(path.join(dir, ROUTE), EMPTY_HANDLER) },
  { name: "pages api", edit: (dir) => toPagesRoute(dir, PAGES_HANDLER) },
  { name: "pages api empty", edit: (dir) => toPagesRoute(dir, PAGES_EMPTY_HANDLER) },
  { name: "baseline", baseline: true },
];
const ONLY = process.env.NEXT_FLOOR_VARIANTS?.split(",").map((name) => name.trim());
const unknown = ONLY?.filter((name) => !VARIANTS.some((variant) => variant.name === name)) ?? [];
if (unknown.length > 0) throw new Error(`NEXT_FLOOR_VARIANTS names no such variant: ${unknown.join(", ")} (there are: ${VARIANTS.map((v) => v.name).join(", ")})`);
const SELECTED = ONLY ? VARIANTS.filter((variant) => ONLY.includes(variant.name)) : VARIANTS;

function rewrite(file: string, change: (text: string) => string): void {
  const before = readFileSync(file, "utf8");
  const after = change(before);
  if (after === before) throw new Error(`${file}: the variant's edit changed nothing (has bench/next-floor changed?)`);
  writeFileSync(file, after);
}

/** A copy of the floor one folder deeper (bench/.tmp/<name>), its relative imports adjusted, with the variant's edit. */
function prepare(variant: Variant): string {
  const dir = path.join(TMP_DIR, `next-floor-${variant.name.replace(/\W+/g, "-")}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(FLOOR, dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}.next`) });
  rewrite(path.join(dir, "next.config.mjs"), (text) => text.replace('from "../../next.config.mjs"', 'from "../../../next.config.mjs"'));
  rewrite(path.join(dir, ROUTE), (text) => text.replace('from "../../../../../lib/', 'from "../../../../../../lib/'));
  variant.edit?.(dir);
  return dir;
}

const log = (line: string) => console.log(line);
try {
  log(`machine speed: ${calibrate().toFixed(0)} ms for ${CALIBRATION_WORK} (lower is faster)`);
  const keys = generateProviderKeys();
  const measured: { name: string; start: (databaseUrl: string) => Promise<Server> }[] = [];
  for (const variant of SELECTED) {
    if (variant.baseline) {
      measured.push({ name: variant.name, start: (databaseUrl) => startBaseline(databaseUrl, publicKeyEnv(keys)) });
      continue;
    }
    const dir = prepare(variant);
    await buildNextFloor(dir, variant.buildArgs);
    measured.push({ name: variant.name, start: (databaseUrl) => startNextFloor(databaseUrl, publicKeyEnv(keys), dir) });
    log(`built: ${variant.name}`);
  }

  const results = new Map<string, string[]>();
  for (let round = 1; round <= ROUNDS; round++) {
    // The order rotates from round to round, so that a machine speeding up or slowing down favours no variant.
    for (let turn = 0; turn < measured.length; turn++) {
      const index = (turn + round - 1) % measured.length;
      const variant = measured[index]!;
      const requests = prepareRequests(WARMUP + REQUESTS, keys, `F${round}${index}`, config.ingest.retryShare, round);
      const database = await createBenchDatabase("variant");
      let server: Server | undefined;
      try {
        server = await variant.start(database.url);
        const pid = server.process.child.pid!;
        const connections = config.ingest.saturationConnections;
        await runLoad({ url: server.base, requests: requests.slice(0, WARMUP), connections, maxSeconds: 60 });
        await withPgClient(database.url, (client) => client.query("ANALYZE"));
        const before = cpuMs(processTree(pid));
        const run = await runLoad({ url: server.base, requests: requests.slice(WARMUP), connections, maxSeconds: 60 });
        if (run.ok !== REQUESTS) {
          throw new Error(`${variant.name}: ${run.ok} of ${REQUESTS} acknowledged (${JSON.stringify(run.statusCodes)}): see ${server.process.log}`);
        }
        const perNotification = (cpuMs(processTree(pid)) - before) / Math.max(1, run.ok);
        const line = `${run.throughput.toFixed(0)}/s, p99 ${run.p99} ms, server CPU ${perNotification.toFixed(2)} ms per notification`;
        const codes = Object.entries(run.statusCodes).map(([status, n]) => `${status}×${n}`).join(" ");
        log(`round ${round}  ${variant.name.padEnd(16)} ${line} [${codes}]`);
        results.set(variant.name, [...(results.get(variant.name) ?? []), line]);
      } finally {
        if (server) await stop(server.process);
        await dropBenchDatabase(database.name);
      }
    }
  }
  log(`\n${[...results].map(([name, lines]) => `${name.padEnd(16)} ${lines.join("  |  ")}`).join("\n")}`);
  log(`machine speed at the end: ${calibrate().toFixed(0)} ms`);
} finally {
  await stopAll();
  await dropAllBenchDatabases();
}
