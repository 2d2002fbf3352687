import { createHash, timingSafeEqual } from "node:crypto";
import { getDb, type Db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { describeError } from "@/lib/describe-error";
import { getEnv } from "@/lib/env";
import { errorResponse } from "@/lib/webhooks/json-response";
import { pruneRefusedDeliveries, REFUSAL_WINDOW_RETENTION_MS, retentionCutoff } from "./prune-refused-deliveries";

// The retention job for refused deliveries, framework-free: Request in,
// Response out. A scheduler calls it with the shared secret as a bearer token
// (Vercel Cron Jobs send `Authorization: Bearer $CRON_SECRET`); it needs no
// session, and nobody without the secret can run it.

/** Shorter secrets are refused: the token is all that guards a job that deletes rows. */
export const MIN_CRON_SECRET_LENGTH = 16;

export type PruneRequestDeps = {
  db: () => Promise<Db>;
  now: () => Date;
  secret: () => string | undefined;
  retentionDays: () => number;
  batchSize?: number;
  windowBatchSize?: number;
  timeBudgetMs?: number;
};

const defaultDeps: PruneRequestDeps = {
  db: getDb,
  now: () => new Date(),
  secret: () => getEnv().CRON_SECRET,
  retentionDays: () => getEnv().REFUSED_DELIVERY_RETENTION_DAYS,
};

/** Constant-time comparison of the presented token with the secret, whatever their lengths. */
function sameSecret(presented: string, secret: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(secret));
}

/** Whether the job can run with this secret: set, and long enough. */
export function isCronConfigured(secret: string | undefined): secret is string {
  return secret !== undefined && secret.length >= MIN_CRON_SECRET_LENGTH;
}

export async function handlePruneRequest(request: Request, deps: PruneRequestDeps = defaultDeps): Promise<Response> {
  const secret = deps.secret();
  if (!isCronConfigured(secret)) {
    return errorResponse(
      503,
      "cron_not_configured",
      `CRON_SECRET is ${secret === undefined ? "not set" : `shorter than ${MIN_CRON_SECRET_LENGTH} characters`}: ` +
        `set it to a random string of at least ${MIN_CRON_SECRET_LENGTH} characters (e.g. openssl rand -hex 32), ` +
        "and have the scheduler send it as Authorization: Bearer <CRON_SECRET> (Vercel Cron Jobs do so by themselves)",
    );
  }
  const match = /^bearer +(.+)$/i.exec(request.headers.get("authorization") ?? "");
  if (!match?.[1] || !sameSecret(match[1], secret)) {
    return errorResponse(
      401,
      "cron_unauthorized",
      match ? "the bearer token is not this deployment's CRON_SECRET" : "send the deployment's CRON_SECRET as Authorization: Bearer <CRON_SECRET>",
      { "WWW-Authenticate": 'Bearer realm="payhook-cron"' },
    );
  }

  const retentionDays = deps.retentionDays();
  const now = deps.now();
  const cutoff = retentionCutoff(now, retentionDays);
  try {
    const db = await deps.db();
    const result = await pruneRefusedDeliveries(db, {
      cutoff,
      windowsCutoff: new Date(now.getTime() - REFUSAL_WINDOW_RETENTION_MS),
      batchSize: deps.batchSize,
      windowBatchSize: deps.windowBatchSize,
      timeBudgetMs: deps.timeBudgetMs,
    });
    console.info(
      `[cron:prune-deliveries] deleted ${result.deleted} refused deliveries received before ${cutoff.toISOString()}` +
        ` and ${result.refusalWindowsDeleted} counts of refusals per sender and minute` +
        (result.complete ? "" : "; more remain, the next run goes on"),
    );
    return Response.json({ ...result, cutoff: cutoff.toISOString(), retentionDays }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      return errorResponse(503, "database_unavailable", "the ledger's database is unreachable, so the job stopped (any batch it finished stays deleted): the next run goes on", {
        "Retry-After": "60",
      });
    }
    console.error("[cron:prune-deliveries] failed", describeError(error));
    return errorResponse(500, "internal_error", "the retention job failed in Payhook (the function's log has the error); batches deleted before it stay deleted, and the next run goes on");
  }
}
