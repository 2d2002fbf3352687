// POST /api/webhooks/:provider — receives payment notifications (paycools, paycools-id, payermax)
import { getEnv } from "@/lib/env";
import { contentSecurityPolicy, newNonce } from "@/lib/security-headers";
import { handleWebhook } from "@/lib/webhooks/handle-webhook";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
// A notification is stored in one short transaction; this bounds a stuck database.
export const maxDuration = 60;

type Context = { params: Promise<{ provider: string }> };

// proxy.ts does not run for these routes; their answers carry the same policy as every other one.
const policy = () => contentSecurityPolicy(newNonce(), getEnv().NODE_ENV === "development");

async function handle(request: Request, context: Context): Promise<Response> {
  const { provider } = await context.params;
  const response = await handleWebhook(request, provider);
  response.headers.set("Content-Security-Policy", policy());
  return response;
}

// Every method reaches the handler, so a wrong one is answered 405 with a reason and kept as a delivery.
export { handle as POST, handle as GET, handle as PUT, handle as PATCH, handle as DELETE };

/** OPTIONS asks what the route takes: POST. It is no delivery attempt, so nothing is kept. */
export function OPTIONS(): Response {
  return new Response(null, { status: 204, headers: { Allow: "POST", "Content-Security-Policy": policy() } });
}
