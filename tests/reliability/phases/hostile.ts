import { createPublicKey, type KeyObject } from "node:crypto";
import fc from "fast-check";
import { createHttpClient } from "../lib/http";
import { hostileRequest, type HostileRequest } from "../lib/hostile-requests";
import { brokenRules, judge, PROBE_HEADER, type StoredDelivery } from "../lib/hostile-rules";
import { PROVIDERS, type Provider } from "../lib/keys";
import { nextProbe, pool } from "../lib/notifications";
import { emptyFigures, type PhaseResult, type RunContext } from "../lib/run-context";

// Hostile input over HTTP against the production build: the same generators as
// the fast property test, a random seed (printed), many more inputs, and the
// real stack in front of the handler (Next's router, proxy.ts, body streaming).

const BATCH = 100;
const CONCURRENCY = 8;

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const pathSegment = (provider: string) => (/^[A-Za-z0-9._~%-]+$/.test(provider) ? provider : encodeURIComponent(provider));

/** Node's default limit on a request's header section (--max-http-header-size). */
const NODE_MAX_HEADER_BYTES = 16 * 1024;

/** The bytes the header lines take on the wire ("name: value\r\n" each), the request line left out. */
function headerBytes(headers: Record<string, string | string[]>): number {
  let total = 0;
  for (const [name, value] of Object.entries(headers)) {
    for (const one of Array.isArray(value) ? value : [value]) total += Buffer.byteLength(name) + Buffer.byteLength(one) + 4;
  }
  return total;
}

export async function runHostile(ctx: RunContext): Promise<PhaseResult> {
  const started = Date.now();
  const total = Math.max(BATCH, Math.round(2000 * ctx.scale));
  const figures = emptyFigures("hostile input (property-based)");
  const failures: string[] = [];
  const publicKeys = Object.fromEntries(PROVIDERS.map((p) => [p, createPublicKey(ctx.keys.providers[p].privateKey)])) as Record<Provider, KeyObject>;
  const signing = {
    providers: Object.fromEntries(PROVIDERS.map((p) => [p, ctx.keys.providers[p].privateKey])) as Record<Provider, KeyObject>,
    strangers: [ctx.keys.strangers.rsa2048.privateKey, ctx.keys.strangers.rsa4096.privateKey],
  };
  const arbitrary = hostileRequest(signing, { maxBodyBytes: ctx.maxBodyBytes, idPrefix: "HX" });
  const client = createHttpClient(ctx.server.baseURL, CONCURRENCY);
  const genuine = new Set<string>();
  const answers = new Map<number, number>();
  const kinds = new Map<string, { count: number; example: string }>();
  type Sent = { input: HostileRequest; probe: string; status: number; body: Buffer; error?: string; genuine: boolean; identity: string | null; httpLayer: boolean };
  let refusedByHttpServer = 0;
  ctx.log(`hostile input: ${total} requests, seed ${ctx.seed} (batches of ${BATCH} drawn with seed+batch)`);

  for (let batch = 0; batch * BATCH < total; batch++) {
    // Drawn a batch at a time so that megabyte bodies are not all held at once; each batch replays from seed+batch.
    const inputs = fc.sample(arbitrary, { seed: ctx.seed + batch, numRuns: Math.min(BATCH, total - batch * BATCH) });
    const results: Sent[] = [];
    await pool(inputs, CONCURRENCY, async (input) => {
      const probe = nextProbe("hostile");
      const request = { ...input, provider: safeDecode(input.provider) };
      const oracle = judge(request, publicKeys, ctx.maxBodyBytes);
      if (oracle.identity) genuine.add(oracle.identity);
      const response = await client.request({
        method: input.method,
        path: `/api/webhooks/${pathSegment(input.provider)}`,
        headers: { ...input.headers, [PROBE_HEADER]: probe },
        body: input.body,
        chunkSize: input.chunked ? 16_384 : undefined,
        timeoutMs: 60_000,
      });
      answers.set(response.status, (answers.get(response.status) ?? 0) + 1);
      // Node's HTTP parser refuses malformed framing (say Transfer-Encoding with Content-Length) and oversized
      // headers with a bare 400/431 before any route runs: there is nothing the route could have kept.
      const malformedFraming = Object.entries(input.headers).some(([name, value]) => name.toLowerCase() === "transfer-encoding" && value !== "chunked");
      // The parser answers such a request and closes at once; a sender still writing its body may see the
      // connection reset before it reads that answer.
      const refusedBeforeAnyRoute = malformedFraming || headerBytes(input.headers) > NODE_MAX_HEADER_BYTES;
      const httpLayer =
        ((response.status === 400 || response.status === 431) && !response.headers["content-type"]) ||
        (refusedBeforeAnyRoute && response.status === 0 && /ECONNRESET|EPIPE/.test(response.error ?? ""));
      if (httpLayer) refusedByHttpServer++;
      results.push({ input: request, probe, status: response.status, body: response.body, error: response.error, genuine: oracle.genuine, identity: oracle.identity, httpLayer });
    });
    const probes = results.map((result) => result.probe);
    const { rows } = await ctx.database.pool.query<StoredDelivery & { probe: string; http_status: number; error_code: string | null; signature_valid: boolean | null; body_size: number }>(
      `SELECT headers->>'${PROBE_HEADER}' AS probe, outcome, http_status, error_code, reason, signature_valid, body, body_size
         FROM deliveries WHERE headers->>'${PROBE_HEADER}' = ANY($1::text[])`,
      [probes],
    );
    const byProbe = new Map<string, StoredDelivery[]>();
    for (const row of rows) {
      const stored: StoredDelivery = { outcome: row.outcome, httpStatus: row.http_status, errorCode: row.error_code, reason: row.reason, signatureValid: row.signature_valid, body: row.body, bodySize: row.body_size };
      byProbe.set(row.probe, [...(byProbe.get(row.probe) ?? []), stored]);
    }
    for (const result of results) {
      figures.requests++;
      figures.notifications++;
      const stored = byProbe.get(result.probe) ?? [];
      const acked = result.status >= 200 && result.status < 300 && result.input.method === "POST";
      if (acked) figures.acknowledged++;
      if (stored.length > 0) figures.stored++;
      if (acked && !stored.some((row) => row.outcome === "accepted" || row.outcome === "duplicate")) figures.lost++;
      if (result.status >= 500) figures.serverErrors++;
      // Refused by Node's parser: nothing reached Payhook, so no rule of Payhook's applies.
      if (result.httpLayer) continue;
      const broken = brokenRules(result.input, { genuine: result.genuine, identity: result.identity }, { status: result.status, body: result.body, error: result.error }, stored, ctx.maxBodyBytes);
      if (broken.length > 0) {
        figures.violations++;
        for (const rule of broken) {
          const kind = rule.replace(/\d+/g, "N").slice(0, 120);
          const seen = kinds.get(kind);
          if (seen) seen.count++;
          else kinds.set(kind, { count: 1, example: `${rule} — e.g. "${result.input.label.slice(0, 300)}" (${result.input.method} /api/webhooks/${result.input.provider.slice(0, 40)}, ${result.input.body.length} bytes)` });
        }
      }
    }
  }
  client.close();

  for (const { count, example } of kinds.values()) failures.push(`${count}× ${example}`);

  const { rows: transactions } = await ctx.database.pool.query<{ provider: string; provider_transaction_id: string }>(
    "SELECT provider, provider_transaction_id FROM transactions WHERE provider_transaction_id LIKE 'HX%'",
  );
  const unexplained = transactions.filter((row) => !genuine.has(`${row.provider}:${row.provider_transaction_id}`));
  figures.duplicatesCreated = unexplained.length;
  for (const row of unexplained.slice(0, 10)) failures.push(`transaction ${row.provider}:${row.provider_transaction_id} exists, but no request genuinely signed for it was sent`);
  figures.violations += unexplained.length;

  return {
    name: "hostile",
    seconds: (Date.now() - started) / 1000,
    figures: [figures],
    notes: [
      `hostile input: seed ${ctx.seed}, ${figures.requests} inputs, ${figures.violations} rule violations; answers by status ${JSON.stringify(Object.fromEntries([...answers].sort((a, b) => a[0] - b[0])))}; ${transactions.length} transactions created, all from genuinely signed inputs; ${refusedByHttpServer} refused by Node's HTTP parser before any route (malformed framing, headers over 16 KiB)`,
    ],
    failures,
  };
}
