// GET /api/duplicates/export — the duplicate-payments list (its state and provider filters) as a CSV download
import { withApiUser } from "@/lib/auth/session";
import { csvDownload } from "@/lib/csv-download";
import { duplicatesQuerySchema } from "@/lib/duplicates/duplicates-query";
import { streamDuplicateCasesCsv } from "@/lib/duplicates/stream-duplicate-cases-csv";
import { localDateOf } from "@/lib/overview/zoned-calendar";
import { preferredTimeZone } from "@/lib/preferences/time-zone";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return withApiUser("viewer", async () => {
    // Lenient like the page, so the file holds the cases the page listed for the same filters.
    const { status, provider } = duplicatesQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const timeZone = await preferredTimeZone();
    return csvDownload(`payhook-duplicates-${status}-${localDateOf(new Date(), timeZone)}.csv`, (db) =>
      streamDuplicateCasesCsv(db, { status, provider }, timeZone, {
        onError: (error) => console.error("[duplicates:export] the CSV stream failed", error instanceof Error ? error.message : String(error)),
      }),
    );
  });
}
