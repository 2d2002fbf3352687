"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { asRole } from "@/lib/auth/role-action";
import { getDb } from "@/lib/db/client";
import { reprocessDelivery } from "@/lib/deliveries/reprocess-delivery";

export type ReprocessActionState =
  | null
  | { ok: true; message: string; deliveryId: string; transactionId: string }
  | { ok: false; message: string };

const inputSchema = z.object({ deliveryId: z.guid({ error: "That is not a delivery id." }) });

/** Reprocesses a stored rejected delivery (admins only); answers what happened, never throws for an expected refusal. */
export async function reprocessDeliveryAction(_previous: ReprocessActionState, form: FormData): Promise<ReprocessActionState> {
  return asRole("admin", async (user) => {
    const input = inputSchema.safeParse({ deliveryId: form.get("deliveryId") });
    if (!input.success) return { ok: false, message: input.error.issues[0]?.message ?? "That is not a delivery id." };
    const result = await reprocessDelivery(await getDb(), user, input.data.deliveryId);
    if (!result.ok) return { ok: false, message: result.message };
    revalidatePath("/deliveries", "layout");
    revalidatePath("/overview");
    return { ok: true, message: result.message, deliveryId: result.deliveryId, transactionId: result.transactionId };
  });
}
