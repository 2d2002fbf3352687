import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeliveriesTable } from "@/components/transaction-detail/deliveries-table";
import { DuplicateCasePanel } from "@/components/transaction-detail/duplicate-case-panel";
import { EventsTable } from "@/components/transaction-detail/events-table";
import { KIND_LABELS } from "@/components/transaction-detail/labels";
import { RawBody } from "@/components/transaction-detail/raw-body";
import { RelatedTransactions } from "@/components/transaction-detail/related-transactions";
import { Section } from "@/components/transaction-detail/section";
import { StatusConflictPanel } from "@/components/transaction-detail/status-conflict-panel";
import { TransactionSummary } from "@/components/transaction-detail/transaction-summary";
import { JsonView } from "@/components/ui/json-view";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { PROVIDER_LABELS } from "@/lib/format";
import { preferredTimeZone } from "@/lib/preferences/time-zone";
import {
  getTransaction,
  getTransactionDeliveryBody,
  transactionIdSchema,
  type TransactionDetail,
} from "@/lib/transactions/get-transaction";

import { hasRole } from "@/lib/users/user-rules";
import { decideStatusConflictAction } from "./actions";

export const metadata: Metadata = { title: "Transaction" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The delivery whose body and payload are shown: the one asked for, else the first delivery of the latest applied event. */
function pickDelivery(t: TransactionDetail, asked: string | undefined) {
  const chosen = asked ? t.deliveries.find((d) => d.id === asked) : undefined;
  if (chosen) return chosen;
  const latestApplied = t.events.filter((e) => e.applied).at(-1);
  return t.deliveries.find((d) => d.eventId === latestApplied?.id && d.outcome === "accepted") ?? t.deliveries.at(-1) ?? null;
}

export default async function TransactionPage({ params, searchParams }: Props) {
  const { id } = await params;
  const search = await searchParams;
  const asked = typeof search.delivery === "string" ? search.delivery : undefined;
  const user = await requireUser(`/transactions/${encodeURIComponent(id)}${asked ? `?delivery=${encodeURIComponent(asked)}` : ""}`);
  if (!transactionIdSchema.safeParse(id).success) notFound();

  const db = await getDb();
  const t = await getTransaction(db, id);
  if (!t) notFound();
  const timeZone = await preferredTimeZone();

  const shown = pickDelivery(t, asked);
  const body = shown ? await getTransactionDeliveryBody(db, t.id, shown.id) : null;
  const shownEvent = shown ? t.events.find((e) => e.id === shown.eventId) : undefined;
  const payload = shownEvent?.payload ?? t.payload;
  const payloadName = t.provider === "payermax" ? "body" : "param";
  const deliveryCounts = new Map<string, number>();
  for (const d of t.deliveries) if (d.eventId) deliveryCounts.set(d.eventId, (deliveryCounts.get(d.eventId) ?? 0) + 1);
  const basePath = `/transactions/${t.id}`;
  const provider = PROVIDER_LABELS[t.provider] ?? t.provider;

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/transactions" className="text-indigo-700 underline-offset-2 hover:underline">
          Transactions
        </Link>
        <span aria-hidden="true" className="mx-2 text-slate-400">
          /
        </span>
        <span className="break-all font-mono text-slate-700">{t.providerTransactionId}</span>
      </nav>
      <PageHeader
        title={`${provider} ${(KIND_LABELS[t.kind] ?? t.kind).toLowerCase()} ${t.providerTransactionId}`}
        description={
          <>
            Merchant order <span className="font-mono">{t.merchantOrderId}</span>. Times are in {timeZone}.
          </>
        }
      />
      <StatusConflictPanel t={t} action={hasRole(user.role, "finance") ? decideStatusConflictAction : null} timeZone={timeZone} />
      <DuplicateCasePanel t={t} timeZone={timeZone} />

      <Section id="summary" title="Summary">
        <TransactionSummary t={t} timeZone={timeZone} />
      </Section>

      <Section id="related" title="Related transactions" description="The original of a duplicate, its duplicates, and other transactions for the same merchant order.">
        <RelatedTransactions related={t.related} timeZone={timeZone} />
      </Section>

      <Section
        id="deliveries"
        title={`Deliveries (${t.deliveries.length})`}
        description="Every request that carried this transaction, provider retries included, oldest first."
      >
        <DeliveriesTable deliveries={t.deliveries} shownId={shown?.id ?? null} basePath={basePath} timeZone={timeZone} />
      </Section>

      <Section id="events" title={`Event history (${t.events.length})`} description="Each distinct event once; retries of it are counted under deliveries.">
        <EventsTable events={t.events} deliveryCounts={deliveryCounts} timeZone={timeZone} />
      </Section>

      <Section
        id="payload"
        title={`Decoded payload (${payloadName})`}
        description={
          shownEvent
            ? `The ${payloadName} of the event ${shownEvent.eventName ?? shownEvent.eventKey}, from the delivery shown below.`
            : `The latest applied ${payloadName}.`
        }
      >
        <JsonView value={payload} label={`${payloadName} payload`} />
      </Section>

      <div id="raw-body" className="scroll-mt-4">
        <Section id="raw" title="Raw body" description="Exactly as received, for the delivery highlighted above. Choose another with “Show body”.">
          {shown && body ? (
            <RawBody delivery={shown} body={body} timeZone={timeZone} />
          ) : (
            <p className="text-sm text-slate-600">No delivery of this transaction is stored.</p>
          )}
        </Section>
      </div>
    </div>
  );
}
