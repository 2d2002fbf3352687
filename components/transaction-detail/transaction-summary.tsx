import type { ReactNode } from "react";
import { StatusBadge } from "@/components/ui/status-badge";
import { formatMoney, PROVIDER_LABELS } from "@/lib/format";
import type { TransactionDetail } from "@/lib/transactions/get-transaction";
import { KIND_LABELS } from "./labels";
import { ZonedTime } from "./zoned-time";

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 break-words text-sm text-slate-900">{children ?? <span className="text-slate-400">—</span>}</dd>
    </div>
  );
}

const mono = (value: string | null) => (value ? <span className="font-mono">{value}</span> : null);

export function TransactionSummary({ t, timeZone }: { t: TransactionDetail; timeZone: string }) {
  const payerSide = t.payAmount !== null || t.payCurrency !== null || t.exchangeRate !== null;
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-4 md:grid-cols-3 xl:grid-cols-4">
      <Field label="Provider">{PROVIDER_LABELS[t.provider] ?? t.provider}</Field>
      <Field label="Kind">{KIND_LABELS[t.kind] ?? t.kind}</Field>
      <Field label="Merchant order ID">{mono(t.merchantOrderId)}</Field>
      <Field label="Provider transaction ID">{mono(t.providerTransactionId)}</Field>
      <Field label="Status">
        <span className="flex flex-wrap items-center gap-2">
          <StatusBadge status={t.status} />
          <span className="text-xs text-slate-600">
            provider: <span className="font-mono">{t.providerStatus}</span>
          </span>
          {t.statusConflict ? <StatusBadge status="failed" label={`conflict: ${t.conflictingStatus ?? "?"}`} /> : null}
        </span>
      </Field>
      <Field label="Amount">
        <span className="tabular font-medium">{formatMoney(t.amount, t.currency)}</span>
        <span className="ml-2 text-xs text-slate-600">
          raw from provider: <span className="font-mono">{t.rawAmount}</span>
        </span>
      </Field>
      <Field label="Currency">{t.currency}</Field>
      <Field label="Channel / payment method">
        {t.channel || t.paymentMethod ? [t.channel, t.paymentMethod].filter(Boolean).join(" · ") : null}
      </Field>
      <Field label="Reference / VA number">
        {t.referenceNumber ? (
          <>
            {mono(t.referenceNumber)}
            {t.reusableOrder ? <span className="ml-2 text-xs text-slate-600">(reusable: several payments are normal)</span> : null}
          </>
        ) : null}
      </Field>
      {payerSide ? (
        <>
          <Field label="Payer paid">{t.payAmount && t.payCurrency ? formatMoney(t.payAmount, t.payCurrency) : (t.payAmount ?? null)}</Field>
          <Field label="Payer currency">{t.payCurrency}</Field>
          <Field label="Exchange rate">{mono(t.exchangeRate)}</Field>
        </>
      ) : null}
      <Field label="Created at provider">
        <ZonedTime value={t.providerCreatedAt} timeZone={timeZone} showZone />
      </Field>
      <Field label="Completed at provider">
        <ZonedTime value={t.providerCompletedAt} timeZone={timeZone} showZone />
      </Field>
      <Field label="First seen by Payhook">
        <ZonedTime value={t.firstSeenAt} timeZone={timeZone} showZone />
      </Field>
      {t.orderType ? <Field label="Order type">{mono(t.orderType)}</Field> : null}
      {t.originalMerchantOrderId || t.originalProviderTransactionId ? (
        <Field label="Original payment (per provider)">
          {mono(t.originalProviderTransactionId)}
          {t.originalMerchantOrderId ? <span className="block text-xs text-slate-600">order {t.originalMerchantOrderId}</span> : null}
        </Field>
      ) : null}
    </dl>
  );
}
