// GET /api/transactions/export — every row of the filtered, sorted transactions list as a CSV download
import { withApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { preferredTimeZone } from "@/lib/preferences/time-zone";
import { streamTransactionsCsv } from "@/lib/transactions/stream-transactions-csv";
import { parseTransactionQuery } from "@/lib/transactions/transaction-filters";
import { errorResponse } from "@/lib/webhooks/json-response";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function today(timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

export async function GET(request: Request): Promise<Response> {
  return withApiUser("viewer", async () => {
    // Lenient like the page, so the file holds exactly the rows the page showed for the same link.
    const query = parseTransactionQuery(new URL(request.url).searchParams);
    const timeZone = await preferredTimeZone();
    let db;
    try {
      db = await getDb();
      // Fail before the 200 when the database is away, rather than sending a file that breaks off.
      await db.$queryRaw`SELECT 1`;
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        return errorResponse(503, "database_unavailable", "the ledger's database is unreachable: try again in a moment", { "Retry-After": "30" });
      }
      throw error;
    }
    const body = streamTransactionsCsv(db, query, timeZone, {
      onError: (error) => console.error("[transactions:export] the CSV stream failed", error instanceof Error ? error.message : String(error)),
    });
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="payhook-transactions-${today(timeZone)}.csv"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
}
