// POST /api/webhooks/:provider on the Next floor: the same dynamic route as the
// app's, carrying the baseline's work (bench/lib/baseline-work.ts) and nothing else.
// JavaScript, so that this folder needs no tsconfig.json of its own.
import { handleNotification } from "../../../../../lib/baseline-work";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** @param {Request} request @param {{ params: Promise<{ provider: string }> }} context */
export async function POST(request, context) {
  const receivedAt = new Date();
  const { provider } = await context.params;
  const body = Buffer.from(await request.arrayBuffer());
  const headers = JSON.stringify(Object.fromEntries(request.headers));
  const result = await handleNotification(provider, request.method, body, request.headers.get("sign"), headers, receivedAt);
  return new Response(result.body, { status: result.status, headers: { "content-type": "application/json" } });
}
