import { mulberry32 } from "@/lib/demo/random";
import { createHttpClient } from "../lib/http";
import { PROVIDERS } from "../lib/keys";
import { acknowledged, deliver, makeNotification, pool, uniqueId, type Notification } from "../lib/notifications";
import { emptyFigures, type PhaseResult, type RunContext } from "../lib/run-context";
import { verifyStored } from "../lib/verify-stored";

// Acknowledged means durable: the server is killed with SIGKILL twice in the
// middle of a load run and started again. Every notification that got a 200 must
// be in the database, intact (event, transaction, amounts, the exact bytes).
// What was in flight may or may not be stored; its retry must be acknowledged
// and must not create a second event.

const CONNECTIONS = 32;
const KILL_AT = [0.3, 0.65];
const MAX_ATTEMPTS = 8;

export async function runDurability(ctx: RunContext): Promise<PhaseResult> {
  const started = Date.now();
  const random = mulberry32(ctx.seed ^ 0xdead);
  const notifications: Notification[] = Array.from({ length: Math.round(1500 * ctx.scale) }, () => {
    const provider = PROVIDERS[Math.floor(random() * PROVIDERS.length)]!;
    return makeNotification(provider, ctx.keys.providers[provider].privateKey, {
      orderId: uniqueId("DK"),
      failed: random() < 0.15,
      minor: 100 + Math.floor(random() * 9_000_000),
      major: `${1 + Math.floor(random() * 99_999)}.${String(Math.floor(random() * 100)).padStart(2, "0")}`,
    });
  });
  ctx.log(`durability: ${notifications.length} notifications over ${CONNECTIONS} connections, SIGKILL at ${KILL_AT.map((f) => `${f * 100}%`).join(" and ")} acknowledged`);

  let ackedCount = 0;
  let killsDone = 0;
  let serverUp: Promise<void> = Promise.resolve();
  const inFlightAtKill: Notification[] = [];
  const inFlight = new Set<Notification>();
  const restarts: number[] = [];
  const client = createHttpClient(ctx.server.baseURL, CONNECTIONS, { resendOnStaleConnection: false });

  const maybeKill = () => {
    if (killsDone >= KILL_AT.length || ackedCount < KILL_AT[killsDone]! * notifications.length) return;
    killsDone++;
    inFlightAtKill.push(...inFlight);
    const caught = inFlight.size;
    serverUp = (async () => {
      await ctx.server.kill("SIGKILL");
      ctx.log(`durability: SIGKILL with ${caught} requests in flight, ${ackedCount} acknowledged so far`);
      restarts.push(await ctx.server.start());
    })();
  };

  await pool(notifications, CONNECTIONS, async (n) => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS && !acknowledged(n); attempt++) {
      await serverUp;
      inFlight.add(n);
      const answer = await deliver(client, n, "kill", 20_000);
      inFlight.delete(n);
      if (answer.status === 200) {
        ackedCount++;
        maybeKill();
      } else {
        // A provider retries what was not acknowledged; a connection the dying server dropped is retried once it is back.
        await new Promise((resolve) => setTimeout(resolve, answer.status === 0 ? 200 : 50));
      }
    }
  });
  await serverUp;
  client.close();

  const check = await verifyStored(ctx.database.pool, notifications);
  const failures = [...check.problems.slice(0, 20)];
  const neverAcked = notifications.filter((n) => !acknowledged(n));
  if (neverAcked.length > 0) failures.push(`${neverAcked.length} notifications were never acknowledged after ${MAX_ATTEMPTS} attempts`);
  if (killsDone < KILL_AT.length) failures.push(`only ${killsDone} of ${KILL_AT.length} kills happened`);
  const interrupted = new Set(inFlightAtKill);
  // An interrupted notification whose retry was answered as a duplicate had been committed before the kill.
  const committedBeforeKill = [...interrupted].filter((n) => n.attempts.some((a) => a.status === 200 && check.outcomes.get(a.probe) === "duplicate")).length;
  const figures = emptyFigures("SIGKILL ×2 mid-load, restart");
  figures.requests = notifications.reduce((sum, n) => sum + n.attempts.length, 0);
  figures.notifications = notifications.length;
  figures.acknowledged = notifications.filter(acknowledged).length;
  figures.stored = check.stored;
  figures.lost = check.lost + neverAcked.filter((n) => !check.events.has(`${n.provider}:${n.eventKey}`)).length;
  figures.duplicatesCreated = check.duplicates;
  figures.serverErrors = notifications.flatMap((n) => n.attempts).filter((a) => a.status >= 500).length;
  figures.violations = check.problems.length + neverAcked.length;
  return {
    name: "durability",
    seconds: (Date.now() - started) / 1000,
    figures: [figures],
    notes: [
      `SIGKILL durability: ${killsDone} kills; ${interrupted.size} requests were in flight at a kill (${committedBeforeKill} of them had been committed before the kill without an answer: their retries were acknowledged as duplicates, no second event); restarts took ${restarts.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(" and ")}; every acknowledged notification checked for its event, transaction, amount, currency, status and exact body bytes`,
    ],
    failures,
  };
}
