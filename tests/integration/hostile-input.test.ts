import { createPublicKey, type KeyObject } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { findProvider } from "@/lib/providers/registry";
import { handleWebhook, MAX_BODY_BYTES, type WebhookDeps } from "@/lib/webhooks/handle-webhook";
import { buildSigned, hostileRequest, SEEDS, type HostileRequest } from "../reliability/lib/hostile-requests";
import { deeplyNested } from "../reliability/lib/hostile-values";
import { brokenRules, judge, PROBE_HEADER, type StoredDelivery } from "../reliability/lib/hostile-rules";
import { makeKeyPair, PROVIDERS, type Provider } from "../reliability/lib/keys";
import { backends, useTestDatabase } from "../helpers/test-database";
import { installProviderKeys } from "../helpers/test-keys";

// Property-based hostile input, the fast part of the reliability suite: a fixed
// seed, straight into the framework-free handler on a real database. For every
// input: never a 5xx, never an acknowledgement (or a transaction) from anything
// not signed by the provider's configured key, every refusal kept as a delivery
// with its reason and the bytes that arrived. `npm run test:reliability` runs
// the same generators over HTTP against a production build, with a random seed.

const SEED = 20_261_121;
const RUNS = Number(process.env.HOSTILE_RUNS || 200);

const installed = installProviderKeys();
const keys = {
  providers: Object.fromEntries(PROVIDERS.map((p) => [p, installed[p].privateKey])) as Record<Provider, KeyObject>,
  strangers: [makeKeyPair(2048).privateKey, makeKeyPair(4096).privateKey],
};
const publicKeys = Object.fromEntries(
  PROVIDERS.map((p) => [p, createPublicKey({ key: Buffer.from(installed[p].publicKeyBase64, "base64"), format: "der", type: "spki" })]),
) as Record<Provider, KeyObject>;

function segment(provider: string): string {
  try {
    return decodeURIComponent(provider);
  } catch {
    return provider;
  }
}

function toRequest(input: HostileRequest, probe: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(input.headers)) {
    for (const item of [value].flat()) {
      try {
        headers.append(name, item);
      } catch {
        // A header the fetch API refuses to carry never reaches a route either.
      }
    }
  }
  headers.set(PROBE_HEADER, probe);
  const bodiless = input.method === "GET" || input.method === "HEAD";
  return new Request("http://localhost/api/webhooks/hostile", {
    method: input.method,
    headers,
    body: bodiless ? undefined : new Uint8Array(input.body),
  });
}

// Inputs that once broke a rule, tried first on every run: a validly signed payload with an unpaired
// surrogate escape, and one nested 2,500 levels deep, were each a 500 the provider would retry for ever;
// a body with a NUL byte was refused but not kept.
const regressions: HostileRequest[] = [
  buildSigned("paycools-id", { ...SEEDS["paycools-id"], transactionId: "REGRESSION1", mchOrderId: "x\ud800y" }, { kind: "valid" }, keys, "an unpaired surrogate"),
  buildSigned("payermax", { ...SEEDS.payermax, tradeOrderNo: "REGRESSION2", extra: deeplyNested(2_500, "array") }, { kind: "valid" }, keys, "nested 2,500 deep"),
  buildSigned("payermax", { ...SEEDS.payermax, tradeOrderNo: "REGRESSION3", errorMsg: "a\u0000b" }, { kind: "valid" }, keys, "a NUL character"),
  // Not JSON, and a NUL byte that the parser's message quoted into the delivery's reason: the record failed.
  { label: "a NUL byte as the body", provider: "paycools-id" as const, headers: {}, body: Buffer.from([0x00, 0x78]) },
].map((built) => ({ ...built, method: "POST", chunked: false }));

describe.each(backends)("hostile input at the webhook handler on %s", (backend) => {
  const database = useTestDatabase(backend);
  let deps: WebhookDeps;

  beforeAll(async () => {
    // Every refusal is judged by what was recorded of it, so none may go past the limit on recording refusals
    // per sender and minute (tests/integration/refusal-limits.test.ts tests that limit).
    deps = { db: async () => database.db, findProvider, now: () => new Date(), refusalLimits: () => ({ perMinute: 1_000_000, bytesPerMinute: 1_073_741_824 }) };
  });

  it(`holds every rule for ${RUNS} generated requests (seed ${SEED})`, async () => {
    const genuine = new Set<string>();
    let tried = 0;
    const answers = new Map<number, number>();
    let probeCounter = 0;
    const arbitrary = hostileRequest(keys, { maxBodyBytes: MAX_BODY_BYTES, idPrefix: `H${backend[0]}` });

    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => {
        tried++;
        const probe = `${backend}-${++probeCounter}`;
        const request = { ...input, provider: segment(input.provider) };
        const oracle = judge(request, publicKeys, MAX_BODY_BYTES);
        if (oracle.identity) genuine.add(oracle.identity);
        const response = await handleWebhook(toRequest(request, probe), request.provider, deps);
        const body = Buffer.from(await response.arrayBuffer());
        answers.set(response.status, (answers.get(response.status) ?? 0) + 1);
        const rows = await database.db.delivery.findMany({ where: { headers: { path: [PROBE_HEADER], equals: probe } } });
        const stored: StoredDelivery[] = rows.map((row) => ({ ...row, body: Buffer.from(row.body) }));
        const broken = brokenRules(request, oracle, { status: response.status, body }, stored, MAX_BODY_BYTES);
        expect(broken, input.label).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true, examples: regressions.map((request) => [request]) },
    );

    const transactions = await database.db.transaction.findMany({ select: { provider: true, providerTransactionId: true } });
    const unexplained = transactions.filter((t) => !genuine.has(`${t.provider}:${t.providerTransactionId}`));
    expect(unexplained, "transactions created by requests that were not genuinely signed").toEqual([]);
    console.log(`[hostile-input:${backend}] inputs tried: ${tried}, rule violations: 0, transactions created by genuine inputs: ${transactions.length}; answers ${JSON.stringify(Object.fromEntries([...answers].sort()))}`);
  }, 240_000);
});
