// POST /api/webhooks/:provider — receives payment notifications (paycools, paycools-id, payermax)
import { handleWebhook } from "@/lib/webhooks/handle-webhook";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
// A notification is stored in one short transaction; this bounds a stuck database.
export const maxDuration = 60;

type Context = { params: Promise<{ provider: string }> };

async function handle(request: Request, context: Context): Promise<Response> {
  const { provider } = await context.params;
  return handleWebhook(request, provider);
}

// Every method reaches the handler, so a wrong one is answered 405 with a reason and kept as a delivery.
export { handle as POST, handle as GET, handle as PUT, handle as PATCH, handle as DELETE };
