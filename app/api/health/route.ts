// GET /api/health — liveness and database reachability, for uptime checks and load balancers
import { getDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  try {
    const db = await getDb();
    await db.$queryRaw`SELECT 1`;
    return Response.json({ status: "ok", database: "reachable" });
  } catch (error) {
    const reason = isDatabaseUnavailable(error) ? "unreachable" : "error";
    return Response.json({ status: "degraded", database: reason }, { status: 503 });
  }
}
