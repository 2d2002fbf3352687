import Link from "next/link";
import type { ReactNode } from "react";
import { Money } from "@/components/ui/money";
import { StatusBadge } from "@/components/ui/status-badge";
import type { DeliveryDetail } from "@/lib/deliveries/get-delivery";
import { formatDateTime, PROVIDER_LABELS } from "@/lib/format";
import { formatBytes, SignatureSummary } from "./signature-summary";

function Item({ term, children, wide = false }: { term: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? "sm:col-span-2 lg:col-span-3" : undefined}>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{term}</dt>
      <dd className="mt-0.5 break-words text-sm text-slate-900">{children}</dd>
    </div>
  );
}

type Retention = { days: number; from: Date };

/** `retention`: set for a refusal the retention job will delete (no signature vouched for it), when the job is set up. */
export function DeliverySummary({ delivery, timeZone, retention = null }: { delivery: DeliveryDetail; timeZone: string; retention?: Retention | null }) {
  const { transaction } = delivery;
  return (
    <section aria-labelledby="summary-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="summary-heading" className="sr-only">
        Summary
      </h2>
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Item term="Outcome">
          <StatusBadge status={delivery.outcome} /> <span className="ml-1 font-mono text-xs">HTTP {delivery.httpStatus}</span>
        </Item>
        <Item term={`Received (${timeZone})`}>{formatDateTime(delivery.receivedAt, timeZone)}</Item>
        <Item term="Provider">{PROVIDER_LABELS[delivery.provider] ?? delivery.provider}</Item>
        {delivery.errorCode || delivery.reason ? (
          <Item term="Why it was rejected" wide>
            {delivery.errorCode ? <span className="font-mono text-red-800">{delivery.errorCode}</span> : null}
            {delivery.reason ? <span className="mt-1 block whitespace-pre-wrap">{delivery.reason}</span> : null}
          </Item>
        ) : null}
        {retention ? (
          <Item term="Retention" wide>
            No signature vouched for this request, so it is kept {retention.days} days: the retention job deletes it from{" "}
            {formatDateTime(retention.from, timeZone)}.
          </Item>
        ) : null}
        <Item term="Signature">
          <SignatureSummary valid={delivery.signatureValid} fingerprint={delivery.keyFingerprint} full />
        </Item>
        <Item term="Request">
          <span className="font-mono">{delivery.method}</span> · {formatBytes(delivery.bodySize)}
          {delivery.bodyTruncated ? " (truncated)" : ""}
        </Item>
        <Item term="Source IP">
          <span className="font-mono">{delivery.sourceIp ?? "not reported"}</span>
        </Item>
        {delivery.event ? (
          <Item term="Event">
            <span className="break-all font-mono text-xs">{delivery.event.eventKey}</span>
          </Item>
        ) : null}
        <Item term="Transaction">
          {transaction ? (
            <span className="flex flex-col">
              <Link
                href={`/transactions/${transaction.id}`}
                className="text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-300"
              >
                {transaction.kind} {transaction.merchantOrderId}
              </Link>
              <span className="text-xs text-slate-600">
                <Money amount={transaction.amount} currency={transaction.currency} /> · {transaction.status}
              </span>
            </span>
          ) : (
            <span className="text-slate-500">None</span>
          )}
        </Item>
      </dl>
    </section>
  );
}
