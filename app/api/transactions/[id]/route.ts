// GET /api/transactions/:id — one transaction with its deliveries (sizes, no bodies), events, duplicate case and related ids
import { withApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { getTransaction, type RelatedTransaction } from "@/lib/transactions/get-transaction";
import { errorResponse } from "@/lib/webhooks/json-response";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const relatedJson = (t: RelatedTransaction) => ({ ...t, url: `/api/transactions/${t.id}` });

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return withApiUser("viewer", async () => {
    let t;
    try {
      t = await getTransaction(await getDb(), id);
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        return errorResponse(503, "database_unavailable", "the ledger's database is unreachable: try again in a moment", { "Retry-After": "30" });
      }
      throw error;
    }
    if (!t) {
      return errorResponse(404, "transaction_not_found", `no transaction with id "${id.slice(0, 64)}": ids are UUIDs, as listed by GET /api/transactions`);
    }
    // Dates serialise as ISO UTC and amounts are already strings; raw bodies stay out, their sizes stay in.
    return Response.json({
      ...t,
      related: {
        original: t.related.original ? relatedJson(t.related.original) : null,
        duplicates: t.related.duplicates.map(relatedJson),
        sameOrder: t.related.sameOrder.map(relatedJson),
      },
    });
  });
}
