// GET /api/cron/prune-deliveries — deletes refused deliveries no signature vouched for, once past their retention period
import { handlePruneRequest } from "@/lib/deliveries/handle-prune-request";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
// The job stops starting batches after 40 s (PRUNE_TIME_BUDGET_MS); what is left waits for the next run.
export const maxDuration = 60;

// GET, as Vercel Cron Jobs call it; the bearer secret, not a session, guards it.
export function GET(request: Request): Promise<Response> {
  return handlePruneRequest(request);
}
