// GET /api/transactions/export — every row of the filtered, sorted transactions list as a CSV download
import { withApiUser } from "@/lib/auth/session";
import { csvDownload } from "@/lib/csv-download";
import { localDateOf } from "@/lib/overview/zoned-calendar";
import { preferredTimeZone } from "@/lib/preferences/time-zone";
import { streamTransactionsCsv } from "@/lib/transactions/stream-transactions-csv";
import { parseTransactionQuery } from "@/lib/transactions/transaction-filters";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return withApiUser("viewer", async () => {
    // Lenient like the page, so the file holds exactly the rows the page showed for the same link.
    const query = parseTransactionQuery(new URL(request.url).searchParams);
    const timeZone = await preferredTimeZone();
    return csvDownload(`payhook-transactions-${localDateOf(new Date(), timeZone)}.csv`, (db) =>
      streamTransactionsCsv(db, query, timeZone, {
        onError: (error) => console.error("[transactions:export] the CSV stream failed", error instanceof Error ? error.message : String(error)),
      }),
    );
  });
}
