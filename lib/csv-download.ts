import { getDb, type Db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { errorResponse } from "@/lib/webhooks/json-response";

/**
 * A CSV file as a download, its rows streamed from the database by `stream`.
 * The database is asked first, so that when it is away the answer is a 503
 * rather than a 200 whose file breaks off after its header.
 */
export async function csvDownload(filename: string, stream: (db: Db) => ReadableStream<Uint8Array>): Promise<Response> {
  let db: Db;
  try {
    db = await getDb();
    await db.$queryRaw`SELECT 1`;
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      return errorResponse(503, "database_unavailable", "the ledger's database is unreachable: try again in a moment", { "Retry-After": "30" });
    }
    throw error;
  }
  return new Response(stream(db), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
