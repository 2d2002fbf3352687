import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { findProvider } from "@/lib/providers/registry";
import { paycoolsParam } from "@/lib/simulator/samples";
import { signFor } from "@/lib/simulator/sign";
import { decideStatusConflict, type StatusDecisionActor } from "@/lib/transactions/decide-status-conflict";
import { getTransaction } from "@/lib/transactions/get-transaction";
import { createUser } from "@/lib/users/create-user";
import { handleWebhook } from "@/lib/webhooks/handle-webhook";
import { backends, useTestDatabase } from "../helpers/test-database";
import { installProviderKeys } from "../helpers/test-keys";

// A provider that reports a second, different final state (a payment FAILED,
// then COMPLETED): the ingest keeps the first as a conflict, and finance
// decides it. Every notification goes through the real webhook handler.

const keys = installProviderKeys();

async function notify(db: Db, param: Record<string, unknown>): Promise<void> {
  const signed = signFor("paycools", param, keys.paycools.privateKey);
  const request = new Request("http://localhost/api/webhooks/paycools", { method: "POST", headers: signed.headers, body: new Uint8Array(signed.body) });
  const response = await handleWebhook(request, "paycools", { db: async () => db, findProvider, now: () => new Date() });
  expect(response.status).toBe(200);
}

describe.each(backends)("deciding conflicting final states (%s)", (backend) => {
  const database = useTestDatabase(backend);
  let db: Db;
  let admin: StatusDecisionActor & { email: string };
  let finance: StatusDecisionActor & { email: string };

  beforeAll(async () => {
    db = database.db;
    const created = await createUser(db, { email: `finance.${backend}@example.com`, password: "decide carefully 1", role: "admin" });
    admin = { id: created.id, role: "admin", email: created.email };
    const accounts = await createUser(db, { email: `accounts.${backend}@example.com`, password: "decide carefully 2", role: "finance" });
    finance = { id: accounts.id, role: "finance", email: accounts.email };
  });

  /** A payment reported FAILED, then COMPLETED: kept as failed, with the conflict flagged. */
  async function conflicting(orderId: string, transactionId: string) {
    await notify(db, paycoolsParam({ orderId, transactionId, failed: true }));
    await notify(db, paycoolsParam({ orderId, transactionId }));
    const row = await db.transaction.findFirstOrThrow({ where: { provider: "paycools", providerTransactionId: transactionId } });
    expect(row).toMatchObject({ status: "failed", providerStatus: "FAILED", statusConflict: true, conflictingStatus: "COMPLETED" });
    return row.id;
  }

  it("applies the later status, which opens a duplicate case when the order was already paid", async () => {
    // The order was paid once already; the conflicting payment turns out to be a second payment.
    await notify(db, paycoolsParam({ orderId: "DECIDE-1", transactionId: "DECIDE-T1-FIRST" }));
    const id = await conflicting("DECIDE-1", "DECIDE-T1-LATER");
    const decide = (input: Record<string, unknown>, actor: StatusDecisionActor = admin) =>
      decideStatusConflict(db, actor, { transactionId: id, laterSeen: "COMPLETED", ...input });

    expect(await decide({ decision: "apply" }, { id: admin.id, role: "viewer" })).toEqual({ ok: false, message: "Only finance users and admins can decide a conflicting status." });
    expect((await decide({ decision: "undo" })).message).toMatch(/apply the later status or keep the first/);
    expect(await decide({ decision: "apply", laterSeen: "SETTLED" })).toMatchObject({ ok: false, message: expect.stringMatching(/since reported COMPLETED, not SETTLED/) });
    expect((await db.transaction.findUniqueOrThrow({ where: { id } })).status).toBe("failed");

    expect(await decide({ decision: "apply", note: "  Portal shows it paid, ticket 4411  " })).toEqual({ ok: true, message: "Applied COMPLETED: the transaction is now succeeded." });
    const detail = await getTransaction(db, id);
    expect(detail).toMatchObject({ status: "succeeded", providerStatus: "COMPLETED", statusConflict: false, conflictingStatus: null, duplicateSource: "detected" });
    expect(detail!.events.map((e) => [e.providerStatus, e.applied])).toEqual([
      ["FAILED", true],
      ["COMPLETED", true],
    ]);
    expect(detail!.statusDecisions).toEqual([
      expect.objectContaining({ decision: "applied", fromProviderStatus: "FAILED", laterProviderStatus: "COMPLETED", note: "Portal shows it paid, ticket 4411", user: { email: admin.email } }),
    ]);
    // Duplicate detection ran as if the notification had applied: both payments of the order are in one open case.
    const payments = await db.transaction.findMany({ where: { merchantOrderId: "DECIDE-1" }, select: { duplicateCaseId: true } });
    expect(payments).toHaveLength(2);
    expect(new Set(payments.map((p) => p.duplicateCaseId)).size).toBe(1);
    expect(payments[0]!.duplicateCaseId).not.toBeNull();

    // Decided once: a second admin finds nothing left to decide.
    expect(await decide({ decision: "keep" })).toMatchObject({ ok: false, message: expect.stringMatching(/no conflicting status left/) });
  });

  it("keeps the first status, and a later, different final report opens the question again", async () => {
    const id = await conflicting("DECIDE-2", "DECIDE-T2");
    // Finance decides as an admin does, and the decision names them.
    expect(await decideStatusConflict(db, finance, { transactionId: id, decision: "keep", laterSeen: "COMPLETED" })).toEqual({
      ok: true,
      message: "Kept the first status (failed); the later COMPLETED is recorded as decided.",
    });
    const kept = await getTransaction(db, id);
    expect(kept).toMatchObject({ status: "failed", statusConflict: false, conflictingStatus: null, duplicateCaseId: null });
    expect(kept!.events.map((e) => e.applied)).toEqual([true, false]);
    expect(kept!.statusDecisions.map((d) => [d.decision, d.fromProviderStatus, d.laterProviderStatus, d.note, d.user?.email])).toEqual([["kept", "FAILED", "COMPLETED", null, finance.email]]);

    // A retry of the same COMPLETED is a duplicate delivery, not a new question.
    await notify(db, paycoolsParam({ orderId: "DECIDE-2", transactionId: "DECIDE-T2" }));
    expect((await db.transaction.findUniqueOrThrow({ where: { id } })).statusConflict).toBe(false);
    // A new, different final state is.
    await notify(db, { ...paycoolsParam({ orderId: "DECIDE-2", transactionId: "DECIDE-T2" }), eventName: "order.payment.expired", transactionStatus: "EXPIRED" });
    expect(await db.transaction.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "failed", statusConflict: true, conflictingStatus: "EXPIRED" });
    // Decided on the status the page shows, though an older event (COMPLETED) is also unapplied.
    expect(await decideStatusConflict(db, admin, { transactionId: id, decision: "apply", laterSeen: "EXPIRED" })).toEqual({
      ok: true,
      message: "Applied EXPIRED: the transaction is now cancelled.",
    });
    expect((await getTransaction(db, id))!.statusDecisions.map((d) => [d.decision, d.fromProviderStatus, d.laterProviderStatus])).toEqual([
      ["kept", "FAILED", "COMPLETED"],
      ["applied", "FAILED", "EXPIRED"],
    ]);
  });

  it("decides on the status the ingest flagged last, even when an older report carries a later receipt time", async () => {
    // FAILED, then COMPLETED; then an EXPIRED is stored last but carries an older receipt time, as a reprocessed
    // delivery keeps the time it first arrived: EXPIRED is what the page shows, and what is decided.
    const id = await conflicting("DECIDE-3", "DECIDE-T3");
    await notify(db, { ...paycoolsParam({ orderId: "DECIDE-3", transactionId: "DECIDE-T3" }), eventName: "order.payment.expired", transactionStatus: "EXPIRED" });
    await db.$executeRaw`UPDATE events SET received_at = received_at - interval '1 day' WHERE transaction_id = ${id}::uuid AND provider_status = 'EXPIRED'`;
    expect((await db.transaction.findUniqueOrThrow({ where: { id } })).conflictingStatus).toBe("EXPIRED");
    expect(await decideStatusConflict(db, admin, { transactionId: id, decision: "apply", laterSeen: "EXPIRED" })).toMatchObject({ ok: true });
    expect(await db.transaction.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "cancelled", providerStatus: "EXPIRED" });
  });

  it("refuses an unknown transaction", async () => {
    expect(await decideStatusConflict(db, admin, { transactionId: "0196a000-0000-7000-8000-000000000000", decision: "apply", laterSeen: "COMPLETED" })).toEqual({
      ok: false,
      message: "There is no such transaction.",
    });
  });
});
