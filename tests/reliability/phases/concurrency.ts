import { mulberry32 } from "@/lib/demo/random";
import { createHttpClient, jsonOf, type HttpClient, type HttpResponse } from "../lib/http";
import { PROVIDERS, type Provider } from "../lib/keys";
import { deliver, makeNotification, pool, uniqueId, type Notification } from "../lib/notifications";
import { emptyFigures, type PhaseResult, type RunContext } from "../lib/run-context";

// Thousands of notifications over many connections: provider-style retries of
// one event arriving at the same moment, statuses of one transaction arriving
// out of order, several payments for one order. Afterwards every effect must
// exist exactly once, no final state may have gone back (watched while the
// load runs), and duplicate payments must be flagged exactly when the rules say.
//
// On a slow or busy machine a request can wait past the webhook's database
// deadline: it is answered 503 database_unavailable, and may still commit. That
// is the answer a provider retries, so a copy answered 503 is sent again as a
// provider would (Retry-After, compressed) until it is acknowledged. Every copy
// must end acknowledged, every acknowledged attempt must have left exactly its
// delivery row, and a 503 may have left one at most.

const CONNECTIONS = 48;
/** A provider gives up on a notification after this many answers other than its acknowledgement. */
const MAX_ATTEMPTS = 6;
const RETRY_COMPRESSION = 0.01;
const DEFAULT_RETRY_AFTER_SECONDS = 30;
/** More copies answered "retry later" than this share of them is no longer a busy moment: the phase fails. */
const RETRY_LATER_SHARE_ALLOWED = 0.02;
const SETTLE_MS = 30_000;

/** Whether an answer is the webhook's "retry later": 503 database_unavailable, which acknowledges nothing. */
function isRetryLater(answer: HttpResponse): boolean {
  const body = jsonOf(answer) as { error?: { code?: unknown } } | undefined;
  return answer.status === 503 && body?.error?.code === "database_unavailable";
}

/** Sends one copy of a notification, and again after each "retry later", as a provider does. */
async function deliverAsProvider(client: HttpClient, n: Notification): Promise<HttpResponse[]> {
  const answers: HttpResponse[] = [];
  for (;;) {
    const answer = await deliver(client, n, "conc");
    answers.push(answer);
    if (!isRetryLater(answer) || answers.length >= MAX_ATTEMPTS) return answers;
    const retryAfter = Number(answer.headers["retry-after"]) || DEFAULT_RETRY_AFTER_SECONDS;
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 * RETRY_COMPRESSION));
  }
}

type StoryKind = "single" | "pendingThenFinal" | "conflict" | "detected" | "declared" | "staticVa" | "failedThenPaid";
type Story = { kind: StoryKind; provider: Provider; order: string; notifications: Notification[] };

const WEIGHTS: [StoryKind, number][] = [["single", 30], ["pendingThenFinal", 20], ["conflict", 8], ["detected", 14], ["declared", 12], ["staticVa", 8], ["failedThenPaid", 8]];

function planStories(ctx: RunContext, count: number, random: () => number): Story[] {
  const key = (provider: Provider) => ctx.keys.providers[provider].privateKey;
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const minor = () => 100 + Math.floor(random() * 5_000_000);
  const major = () => `${1 + Math.floor(random() * 9_999)}.${String(Math.floor(random() * 100)).padStart(2, "0")}`;
  const totalWeight = WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  const stories: Story[] = [];
  for (let i = 0; i < count; i++) {
    let roll = random() * totalWeight;
    const kind = WEIGHTS.find(([, weight]) => (roll -= weight) < 0)![0];
    const order = uniqueId("CC");
    const note = (provider: Provider, options: Parameters<typeof makeNotification>[2] = {}) =>
      makeNotification(provider, key(provider), { orderId: order, minor: minor(), major: major(), ...options });
    let provider: Provider;
    let notifications: Notification[];
    if (kind === "single") {
      provider = pick(PROVIDERS);
      notifications = [note(provider, { failed: random() < 0.2 })];
    } else if (kind === "pendingThenFinal") {
      provider = pick(["paycools", "paycools-id"] as const);
      const transactionId = uniqueId("CT");
      const paycoolsKind = provider === "paycools" ? pick(["payment", "payout", "refund"] as const) : "payment";
      const amount = minor();
      notifications = [
        note(provider, { transactionId, kind: paycoolsKind, pending: true, minor: amount }),
        note(provider, { transactionId, kind: paycoolsKind, failed: random() < 0.3, minor: amount }),
      ];
    } else if (kind === "conflict") {
      provider = "paycools";
      const transactionId = uniqueId("CT");
      const amount = minor();
      notifications = [note(provider, { transactionId, minor: amount }), note(provider, { transactionId, failed: true, minor: amount })];
    } else if (kind === "detected") {
      provider = pick(["paycools", "payermax"] as const);
      notifications = Array.from({ length: 2 + Math.floor(random() * 2) }, () => note(provider));
    } else if (kind === "declared") {
      provider = "payermax";
      const original = note(provider);
      const duplicateOf = { orderId: order, tradeOrderNo: original.providerTransactionId };
      notifications = [original, ...Array.from({ length: 1 + Math.floor(random() * 2) }, () => note(provider, { duplicateOf }))];
    } else if (kind === "staticVa") {
      provider = "paycools-id";
      const referenceNumber = `8558${Math.floor(random() * 1e12)}`;
      notifications = Array.from({ length: 2 + Math.floor(random() * 2) }, () => note(provider, { referenceNumber }));
    } else {
      provider = pick(["paycools", "payermax"] as const);
      notifications = [note(provider, { failed: true }), note(provider)];
    }
    stories.push({ kind, provider, order, notifications });
  }
  return stories;
}

type Row = { id: string; provider: string; kind: string; provider_transaction_id: string; merchant_order_id: string; status: string; status_conflict: boolean; conflicting_status: string | null; duplicate_case_id: string | null; duplicate_source: string | null; reusable_order: boolean; amount: string; currency: string };

function checkStory(story: Story, rows: Row[], cases: Map<string, { declared: boolean; detected: boolean }>): string[] {
  const problems: string[] = [];
  const say = (text: string) => problems.push(`${story.kind} story for ${story.provider} order ${story.order}: ${text}`);
  const byTx = new Map(rows.map((row) => [`${row.kind}:${row.provider_transaction_id}`, row]));
  const finals = story.notifications.filter((n) => n.status !== "pending");
  for (const n of story.notifications) {
    const row = byTx.get(`${n.kind}:${n.providerTransactionId}`);
    if (!row) say(`transaction ${n.providerTransactionId} missing`);
    else if (row.amount !== n.amount && Number(row.amount) !== Number(n.amount)) say(`amount ${row.amount} instead of ${n.amount}`);
  }
  const caseOf = cases.get(`${story.provider}:${story.order}`);
  const flagged = rows.filter((row) => row.duplicate_case_id);
  if (story.kind === "pendingThenFinal" || story.kind === "conflict") {
    const row = rows[0];
    if (rows.length !== 1 || !row) return [...problems, ...(rows.length !== 1 ? [`${story.kind} story for order ${story.order}: ${rows.length} transactions instead of 1`] : [])];
    if (story.kind === "pendingThenFinal" && row.status !== finals[0]!.status) say(`status ${row.status}, though the final notification said ${finals[0]!.status} (a final state went back or was lost)`);
    if (story.kind === "conflict") {
      if (!row.status_conflict) say("two different final states arrived but the conflict is not flagged");
      if (row.status !== "succeeded" && row.status !== "failed") say(`status ${row.status} after two final states`);
      const other = row.status === "succeeded" ? "FAILED" : "COMPLETED";
      if (row.conflicting_status !== other) say(`conflicting status ${row.conflicting_status}, expected ${other}`);
    }
    if (caseOf || flagged.length > 0) say("flagged as a duplicate payment");
    return problems;
  }
  if (story.kind === "detected") {
    const detected = rows.filter((row) => row.duplicate_source === "detected").length;
    if (!caseOf || !caseOf.detected || caseOf.declared) say(`expected one case detected by Payhook, found ${JSON.stringify(caseOf ?? null)}`);
    if (flagged.length !== rows.length || new Set(flagged.map((row) => row.duplicate_case_id)).size !== 1) say("not every payment of the order is linked to one case");
    if (detected !== rows.length - 1) say(`${detected} payments marked detected, expected ${rows.length - 1} (all but the first)`);
  } else if (story.kind === "declared") {
    const declared = rows.filter((row) => row.duplicate_source === "declared").length;
    const original = rows.find((row) => row.provider_transaction_id === story.notifications[0]!.providerTransactionId);
    if (!caseOf || !caseOf.declared || caseOf.detected) say(`expected one case declared by PayerMax, found ${JSON.stringify(caseOf ?? null)}`);
    if (declared !== rows.length - 1) say(`${declared} payments marked declared, expected ${rows.length - 1}`);
    if (!original || original.duplicate_source !== null || !original.duplicate_case_id) say("the original payment is not linked to its case as the original");
  } else {
    if (caseOf || flagged.length > 0) say(`flagged as a duplicate payment (${flagged.length} linked), though the rules say it is not one`);
    if (story.kind === "staticVa" && !rows.every((row) => row.reusable_order)) say("static VA payments not marked reusable");
  }
  return problems;
}

/**
 * Waits until no client session of the app's database has been busy for a
 * second (sampled every 100 ms: a connection goes idle between statements), at
 * most SETTLE_MS; says how long it took, or records a failure.
 */
async function settle(ctx: RunContext, failures: string[], after: string): Promise<number> {
  const started = Date.now();
  let idleSince: number | undefined;
  for (;;) {
    const { rows } = await ctx.database.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'",
    );
    const now = Date.now();
    if (rows[0]!.n > 0) idleSince = undefined;
    else idleSince ??= now;
    if (idleSince !== undefined && now - idleSince >= 1_000) return idleSince - started;
    if (now - started > SETTLE_MS) {
      failures.push(`the app's database was still busy ${SETTLE_MS / 1000} s after ${after} (${rows[0]!.n} sessions not idle)`);
      return now - started;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function runConcurrency(ctx: RunContext): Promise<PhaseResult> {
  const started = Date.now();
  const random = mulberry32(ctx.seed ^ 0xc0ffee);
  const stories = planStories(ctx, Math.round(900 * ctx.scale), random);
  const notifications = stories.flatMap((story) => story.notifications);
  // Each notification is sent 1–5 times; half of the time all its copies go out at the same instant.
  const jobs: Notification[][] = [];
  for (const n of notifications) {
    const copies = [1, 1, 2, 2, 3, 5][Math.floor(random() * 6)]!;
    if (random() < 0.5) jobs.push(Array(copies).fill(n));
    else for (let i = 0; i < copies; i++) jobs.push([n]);
  }
  for (let i = jobs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [jobs[i], jobs[j]] = [jobs[j]!, jobs[i]!];
  }
  const requests = jobs.reduce((sum, job) => sum + job.length, 0);
  ctx.log(`concurrency: ${stories.length} stories, ${notifications.length} notifications, ${requests} requests over ${CONNECTIONS} connections`);

  const failures: string[] = [];
  // Work an earlier phase left running (a request answered at its deadline goes on) would be measured as this
  // phase's: start once the app's database has been idle for a second.
  const settledMs = await settle(ctx, failures, "the previous phase");
  const seenFinal = new Map<string, string>();
  let wentBack = 0;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const { rows } = await ctx.database.pool.query<{ id: string; status: string }>("SELECT id, status FROM transactions WHERE merchant_order_id LIKE 'CC%'");
      for (const row of rows) {
        const final = seenFinal.get(row.id);
        if (final && final !== row.status) {
          wentBack++;
          if (wentBack <= 5) failures.push(`transaction ${row.id} went from the final state ${final} to ${row.status}`);
        }
        if (row.status !== "pending") seenFinal.set(row.id, row.status);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();


  const client = createHttpClient(ctx.server.baseURL, CONNECTIONS);
  const statuses = new Map<number, number>();
  let retriedLater = 0;
  let copiesRetried = 0;
  let unacknowledgedCopies = 0;
  let otherServerErrors = 0;
  const loadStarted = Date.now();
  await pool(jobs, CONNECTIONS, async (job) => {
    const copies = await Promise.all(job.map((n) => deliverAsProvider(client, n)));
    for (const answers of copies) {
      for (const answer of answers) {
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (isRetryLater(answer)) retriedLater++;
        else if (answer.status >= 500) otherServerErrors++;
      }
      if (answers.at(-1)!.status !== 200) unacknowledgedCopies++;
      if (answers.some(isRetryLater)) copiesRetried++;
    }
  });
  const loadSeconds = (Date.now() - loadStarted) / 1000;
  client.close();
  polling = false;
  await poller;
  // An attempt answered 503 at its deadline may still commit: read the rows once nothing is running.
  const drainedMs = await settle(ctx, failures, "the load");

  const db = ctx.database.pool;
  const { rows } = await db.query<Row>(
    `SELECT id, provider, kind, provider_transaction_id, merchant_order_id, status, status_conflict, conflicting_status, duplicate_case_id,
            duplicate_source, reusable_order, amount::text AS amount, currency FROM transactions WHERE merchant_order_id LIKE 'CC%'`,
  );
  const { rows: caseRows } = await db.query<{ provider: string; merchant_order_id: string; declared: boolean; detected: boolean }>(
    "SELECT provider, merchant_order_id, declared, detected FROM duplicate_cases WHERE merchant_order_id LIKE 'CC%'",
  );
  const { rows: eventRows } = await db.query<{ provider: string; event_key: string; n: string }>(
    "SELECT e.provider, e.event_key, COUNT(*) AS n FROM events e JOIN transactions t ON t.id = e.transaction_id WHERE t.merchant_order_id LIKE 'CC%' GROUP BY 1, 2",
  );
  const { rows: deliveryRows } = await db.query<{ probe: string; outcome: string }>(
    "SELECT headers->>'x-reliability-probe' AS probe, outcome FROM deliveries WHERE headers->>'x-reliability-probe' LIKE 'conc-%'",
  );
  const cases = new Map(caseRows.map((row) => [`${row.provider}:${row.merchant_order_id}`, row]));
  const byOrder = new Map<string, Row[]>();
  for (const row of rows) byOrder.set(`${row.provider}:${row.merchant_order_id}`, [...(byOrder.get(`${row.provider}:${row.merchant_order_id}`) ?? []), row]);
  for (const story of stories) failures.push(...checkStory(story, byOrder.get(`${story.provider}:${story.order}`) ?? [], cases));

  const events = new Map(eventRows.map((row) => [`${row.provider}:${row.event_key}`, Number(row.n)]));
  const deliveries: Record<string, number> = {};
  for (const row of deliveryRows) deliveries[row.outcome] = (deliveries[row.outcome] ?? 0) + 1;
  const rowsByProbe = new Map<string, string[]>();
  for (const row of deliveryRows) rowsByProbe.set(row.probe, [...(rowsByProbe.get(row.probe) ?? []), row.outcome]);
  const attempts = notifications.flatMap((n) => n.attempts);
  const expectedTransactions = new Set(notifications.map((n) => `${n.provider}:${n.kind}:${n.providerTransactionId}`)).size;
  const expectedCases = stories.filter((story) => story.kind === "detected" || story.kind === "declared").length;
  const figures = emptyFigures("concurrency (retries at once, out of order)");
  figures.notifications = notifications.length;
  figures.acknowledged = notifications.filter((n) => n.attempts.some((a) => a.status === 200)).length;
  figures.stored = notifications.filter((n) => events.has(`${n.provider}:${n.eventKey}`)).length;
  figures.lost = notifications.filter((n) => n.attempts.some((a) => a.status === 200) && !events.has(`${n.provider}:${n.eventKey}`)).length;
  figures.duplicatesCreated =
    [...events.values()].reduce((sum, n) => sum + (n - 1), 0) + Math.max(0, events.size - notifications.length) + Math.max(0, rows.length - expectedTransactions) + Math.max(0, caseRows.length - expectedCases) + Math.max(0, (deliveries.accepted ?? 0) - notifications.length);
  figures.requests = attempts.length;
  figures.serverErrors = otherServerErrors;

  if (unacknowledgedCopies > 0) failures.push(`${unacknowledgedCopies} of ${requests} copies were not acknowledged (after up to ${MAX_ATTEMPTS} attempts each): answers ${JSON.stringify(Object.fromEntries(statuses))}`);
  // What each attempt left: an acknowledged one exactly one accepted or duplicate delivery, a "retry later" one at most one.
  const sent = new Set(attempts.map((a) => a.probe));
  const leftOneDelivery = (probe: string) => {
    const outcomes = rowsByProbe.get(probe) ?? [];
    return outcomes.length === 1 && (outcomes[0] === "accepted" || outcomes[0] === "duplicate");
  };
  const badRows = [
    ...attempts
      .filter((a) => (a.status === 200 || rowsByProbe.has(a.probe)) && !leftOneDelivery(a.probe))
      .map((a) => `attempt ${a.probe} answered ${a.status} left ${JSON.stringify(rowsByProbe.get(a.probe) ?? [])}`),
    ...[...rowsByProbe.keys()].filter((probe) => !sent.has(probe)).map((probe) => `a delivery names attempt ${probe}, which was never sent`),
  ];
  if (copiesRetried > RETRY_LATER_SHARE_ALLOWED * requests) {
    failures.push(`${copiesRetried} of ${requests} copies were answered 503 database_unavailable (${retriedLater} such answers), more than ${RETRY_LATER_SHARE_ALLOWED * 100}%: the app is failing under this load, not merely slow`);
  }
  if (badRows.length > 0) failures.push(`${badRows.length} attempts left the wrong deliveries: ${badRows.slice(0, 5).join("; ")}`);
  if (figures.lost > 0) failures.push(`${figures.lost} acknowledged notifications are not stored`);
  if (figures.duplicatesCreated > 0) failures.push(`${figures.duplicatesCreated} effects exist more than once (events ${events.size}/${notifications.length}, transactions ${rows.length}/${expectedTransactions}, cases ${caseRows.length}/${expectedCases}, accepted deliveries ${deliveries.accepted ?? 0}/${notifications.length})`);
  figures.violations = failures.length;

  const latencies = notifications.flatMap((n) => n.attempts.map((a) => a.endedAt - a.startedAt)).sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return {
    name: "concurrency",
    seconds: (Date.now() - started) / 1000,
    figures: [figures],
    notes: [
      `concurrency: ${stories.length} stories (${WEIGHTS.map(([kind]) => `${stories.filter((s) => s.kind === kind).length} ${kind}`).join(", ")}), ${notifications.length} notifications, ${requests} requests over ${CONNECTIONS} connections in ${loadSeconds.toFixed(1)} s (${(requests / loadSeconds).toFixed(0)} req/s; latency p50 ${percentile(50)} ms, p99 ${percentile(99)} ms, max ${percentile(100)} ms); ${expectedCases} duplicate cases expected and ${caseRows.length} found; final states watched every 250 ms, ${wentBack} went back; ${retriedLater} answers to ${copiesRetried} copies were 503 database_unavailable (a request past the webhook's database deadline on a busy machine) and those copies sent again as a provider would, ${attempts.length} attempts in all; the database was idle ${settledMs} ms after the previous phase and ${drainedMs} ms after the load`,
    ],
    failures: failures.slice(0, 30),
  };
}
