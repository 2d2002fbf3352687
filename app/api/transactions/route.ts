// GET /api/transactions — the transactions list as JSON: same filters, sort and paging as the page, strictly validated
import { withApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { preferredTimeZone } from "@/lib/preferences/time-zone";
import { countTransactions, findTransactions, type TransactionListRow } from "@/lib/transactions/find-transactions";
import { parseTransactionQueryStrict } from "@/lib/transactions/transaction-filters";
import { errorResponse } from "@/lib/webhooks/json-response";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function toJson(row: TransactionListRow) {
  return {
    id: row.id,
    provider: row.provider,
    kind: row.kind,
    merchantOrderId: row.merchantOrderId,
    providerTransactionId: row.providerTransactionId,
    status: row.status,
    providerStatus: row.providerStatus,
    statusConflict: row.statusConflict,
    conflictingStatus: row.conflictingStatus,
    amount: row.amount,
    currency: row.currency,
    rawAmount: row.rawAmount,
    channel: row.channel,
    paymentMethod: row.paymentMethod,
    referenceNumber: row.referenceNumber,
    duplicateCaseId: row.duplicateCaseId,
    duplicateSource: row.duplicateSource,
    firstSeenAt: row.firstSeenAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function GET(request: Request): Promise<Response> {
  return withApiUser("viewer", async () => {
    const parsed = parseTransactionQueryStrict(new URL(request.url).searchParams);
    if (!parsed.ok) {
      const { parameter, message } = parsed.problem;
      return Response.json({ error: { code: "invalid_parameter", parameter, message: `${parameter} ${message}` } }, { status: 400 });
    }
    const { query } = parsed;
    // from/to are whole days in the zone the user picked, as on the page.
    const timeZone = await preferredTimeZone();
    try {
      const db = await getDb();
      const [page, total] = await Promise.all([findTransactions(db, query, timeZone), countTransactions(db, query, timeZone)]);
      return Response.json({
        data: page.rows.map(toJson),
        page: page.page,
        pageSize: query.pageSize,
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        // Pass as `after` (or `before`) with the same filters, sort and dir for the next (previous) page.
        nextCursor: page.nextCursor,
        previousCursor: page.previousCursor,
        total,
      });
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        return errorResponse(503, "database_unavailable", "the ledger's database is unreachable: try again in a moment", { "Retry-After": "30" });
      }
      throw error;
    }
  });
}
