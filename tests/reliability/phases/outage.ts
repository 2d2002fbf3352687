import { mulberry32 } from "@/lib/demo/random";
import { get, signIn } from "../lib/auth-http";
import { createHttpClient, jsonOf, type CookieJar, type HttpClient } from "../lib/http";
import { PROVIDERS } from "../lib/keys";
import { acknowledged, deliver, makeNotification, uniqueId, type Notification } from "../lib/notifications";
import { emptyFigures, type LoadFigures, type PhaseResult, type RunContext } from "../lib/run-context";
import { freePort } from "../lib/tcp-proxy";
import { verifyStored } from "../lib/verify-stored";
import { viaPort } from "../lib/database";

// PostgreSQL taken away in the middle of a load run, three ways, without
// touching the server others use: the run's TCP proxy refuses connections
// (cut), or holds them without forwarding (a network partition), or the app is
// started against a port where nothing listens. While the database is away the
// webhook must answer 503 quickly and acknowledge nothing; afterwards the
// providers' retries (PayerMax's schedule, compressed) must leave every
// notification stored.

/** PayerMax retries after 0 s, 30 s, 300 s, 600 s, 3600 s and 43200 s. */
export const PAYERMAX_RETRY_SECONDS = [0, 30, 300, 600, 3600, 43200];
const COMPRESSION = 0.01;
export const ANSWER_BOUND_MS = 6_000;
/**
 * Behind a partition, a signed-in dashboard request's first read (the session's
 * account and sign-out, one statement) ends at the pool's 5 s connection timeout
 * (no connection to be had: new ones hang) or at DATABASE_QUERY_TIMEOUT_MS, 5 s by
 * default (a connection that stopped answering), and the request answers then:
 * usually 5 s. A read that waited for a connection and got one that then stopped
 * answering meets both: 10 s, and 2 s for the work itself. Webhooks have a 4 s
 * deadline of their own.
 */
export const DASHBOARD_PARTITION_BOUND_MS = 12_000;

type Window = { from: number; to: number };

async function withRetries(client: HttpClient, n: Notification, label: string): Promise<void> {
  for (let retry = 0; ; retry++) {
    const answer = await deliver(client, n, label, 60_000);
    if (answer.status === 200 || retry >= PAYERMAX_RETRY_SECONDS.length) return;
    await new Promise((resolve) => setTimeout(resolve, PAYERMAX_RETRY_SECONDS[retry]! * 1000 * COMPRESSION));
  }
}

function notificationsFor(ctx: RunContext, count: number, prefix: string, random: () => number): Notification[] {
  return Array.from({ length: count }, () => {
    const provider = PROVIDERS[Math.floor(random() * PROVIDERS.length)]!;
    return makeNotification(provider, ctx.keys.providers[provider].privateKey, {
      orderId: uniqueId(prefix),
      minor: 100 + Math.floor(random() * 9_000_000),
      major: `${1 + Math.floor(random() * 9_999)}.${String(Math.floor(random() * 100)).padStart(2, "0")}`,
    });
  });
}

/**
 * Judges every attempt that overlapped the time the database was away: each is answered within the bound,
 * and one that both started and ended while it was away is a 503 that says so, never a 200.
 */
function judgeOutage(notifications: Notification[], away: Window, failures: string[], label: string): { during: number; slowest: number } {
  let during = 0;
  let slowest = 0;
  for (const n of notifications) {
    for (const attempt of n.attempts) {
      if (attempt.endedAt < away.from || attempt.startedAt > away.to) continue;
      const took = attempt.endedAt - attempt.startedAt;
      slowest = Math.max(slowest, took);
      if (took > ANSWER_BOUND_MS) failures.push(`${label}: an answer (${attempt.status}) took ${took} ms around the outage (bound ${ANSWER_BOUND_MS} ms)`);
      if (attempt.startedAt < away.from || attempt.endedAt > away.to) continue;
      during++;
      if (attempt.status === 200) failures.push(`${label}: ${n.provider} ${n.providerTransactionId} was acknowledged while the database was away`);
      else if (attempt.status !== 503) failures.push(`${label}: answered ${attempt.status}${attempt.error ? ` (${attempt.error})` : ""} while the database was away, not 503`);
    }
  }
  return { during, slowest };
}

async function figuresFor(ctx: RunContext, phase: string, notifications: Notification[], failures: string[]): Promise<LoadFigures> {
  const check = await verifyStored(ctx.database.pool, notifications);
  failures.push(...check.problems.slice(0, 10));
  const attempts = notifications.flatMap((n) => n.attempts);
  const figures = emptyFigures(phase);
  figures.requests = attempts.length;
  figures.notifications = notifications.length;
  figures.acknowledged = notifications.filter(acknowledged).length;
  figures.stored = check.stored;
  figures.lost = notifications.length - check.stored;
  figures.duplicatesCreated = check.duplicates;
  figures.serverErrors = attempts.filter((a) => a.status >= 500 && a.status !== 503).length;
  if (figures.lost > 0) failures.push(`${phase}: ${figures.lost} notifications are not stored after every retry`);
  figures.violations = failures.length;
  return figures;
}

type Outage = {
  label: string;
  prefix: string;
  takeAway: () => Promise<void>;
  giveBack: () => Promise<void>;
  seconds: number;
  /** How soon the signed-in dashboard's routes must answer 503 while the database is away. */
  routeBoundMs: number;
};

/** Load with provider retries while `takeAway` removes the database for `seconds`, then `giveBack` returns it. */
async function outageUnderLoad(ctx: RunContext, { label, prefix, takeAway, giveBack, seconds, routeBoundMs }: Outage, random: () => number, admin: CookieJar) {
  const failures: string[] = [];
  const notifications = notificationsFor(ctx, Math.round(240 * ctx.scale), prefix, random);
  const client = createHttpClient(ctx.server.baseURL, 32, { resendOnStaleConnection: false });
  const spread = 5_000;
  const loops = notifications.map(async (n, index) => {
    await new Promise((resolve) => setTimeout(resolve, (index / notifications.length) * spread));
    await withRetries(client, n, prefix.toLowerCase());
  });
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await takeAway();
  const away = { from: Date.now(), to: 0 };
  ctx.log(`${label}: database away for ${seconds} s`);
  // The dashboard's routes too, asked together, each on a connection of its own: the health check and a signed-in
  // API answer 503 in time, and a signed-in page shows its error page in time.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const dashboard = createHttpClient(ctx.server.baseURL, 4);
  const routes = await Promise.all(
    ["/api/health", "/api/transactions", "/transactions"].map(async (route) => {
      const answer = await get(dashboard, admin, route);
      const ms = Math.round(answer.ms);
      if (answer.ms > routeBoundMs) failures.push(`${label}: GET ${route} answered ${answer.status} after ${ms} ms (bound ${routeBoundMs} ms)`);
      if (route.startsWith("/api/") && answer.status !== 503) failures.push(`${label}: GET ${route} answered ${answer.status} (expected 503)`);
      // A page shows its error page: Next's 500, or a 200 that streamed it. A redirect to sign-in would sign
      // everyone out for the length of an outage.
      const errorPage = answer.status === 500 || (answer.status === 200 && /could not be loaded/.test(answer.body.toString("utf8")));
      if (!route.startsWith("/api/") && !errorPage) failures.push(`${label}: GET ${route} answered ${answer.status}, not its error page`);
      return `${route} ${answer.status} in ${ms} ms`;
    }),
  );
  dashboard.close();
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, seconds * 1000 - (Date.now() - away.from))));
  away.to = Date.now();
  await giveBack();
  await Promise.all(loops);
  client.close();
  const { during, slowest } = judgeOutage(notifications, away, failures, label);
  if (during === 0) failures.push(`${label}: no request was answered while the database was away; the check saw nothing`);
  const figures = await figuresFor(ctx, label, notifications, failures);
  const retries = notifications.reduce((sum, n) => sum + n.attempts.length - 1, 0);
  const note = `${label}: ${during} webhook answers while the database was away, all 503; slowest answer around the outage ${slowest} ms (bound ${ANSWER_BOUND_MS} ms); dashboard ${routes.join(", ")} (bound ${routeBoundMs} ms); ${retries} provider retries on PayerMax's schedule ×${COMPRESSION}; ${figures.stored}/${notifications.length} stored afterwards`;
  return { figures, failures, note };
}

export async function runOutage(ctx: RunContext): Promise<PhaseResult> {
  const started = Date.now();
  const random = mulberry32(ctx.seed ^ 0x0ff);
  const failures: string[] = [];
  const notes: string[] = [];
  const figures: LoadFigures[] = [];

  const signInClient = createHttpClient(ctx.server.baseURL, 1);
  const admin = await signIn(signInClient, ctx.users.admin);
  signInClient.close();
  if (!admin.ok) throw new Error(`could not sign in: ${admin.error}`);
  const restore = () => ctx.proxy.restore();
  const cut = await outageUnderLoad(
    ctx,
    { label: "database cut (connections refused)", prefix: "OC", takeAway: () => ctx.proxy.cut(), giveBack: restore, seconds: 6, routeBoundMs: ANSWER_BOUND_MS },
    random,
    admin.jar,
  );
  const stall = await outageUnderLoad(
    ctx,
    { label: "database partitioned (connections hang)", prefix: "OS", takeAway: () => ctx.proxy.stall(), giveBack: restore, seconds: 14, routeBoundMs: DASHBOARD_PARTITION_BOUND_MS },
    random,
    admin.jar,
  );
  for (const part of [cut, stall]) {
    figures.push(part.figures);
    failures.push(...part.failures);
    notes.push(part.note);
  }

  // Started against a port where nothing listens: every route that needs the database answers 503, quickly.
  const label = "started with no database";
  const own: string[] = [];
  const nowhere = await freePort();
  await ctx.server.stop();
  await ctx.server.start({ DATABASE_URL: viaPort(ctx.database.url, nowhere) });
  const cold = notificationsFor(ctx, 30, "ON", random);
  const client = createHttpClient(ctx.server.baseURL, 8);
  const away = { from: Date.now(), to: 0 };
  await Promise.all(cold.map((n) => deliver(client, n, "on", 60_000)));
  const health = await client.request({ path: "/api/health" });
  away.to = Date.now();
  client.close();
  if (health.status !== 503 || (jsonOf(health) as { database?: string } | undefined)?.database !== "unreachable") own.push(`${label}: /api/health answered ${health.status} ${health.body.toString().slice(0, 100)}`);
  const { slowest } = judgeOutage(cold, away, own, label);
  await ctx.server.stop();
  await ctx.server.start();
  const again = createHttpClient(ctx.server.baseURL, 8);
  await Promise.all(cold.map((n) => withRetries(again, n, "on")));
  again.close();
  const coldFigures = await figuresFor(ctx, label, cold, own);
  figures.push(coldFigures);
  failures.push(...own);
  notes.push(`${label} (DATABASE_URL at 127.0.0.1:${nowhere}, where nothing listens): ${cold.length} notifications answered 503 within ${slowest} ms, /api/health 503; after a restart with the database their retries left ${coldFigures.stored}/${cold.length} stored`);

  return { name: "outage", seconds: (Date.now() - started) / 1000, figures, notes, failures };
}
