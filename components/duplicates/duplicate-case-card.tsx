import { ZonedTime } from "@/components/transaction-detail/zoned-time";
import { StatusBadge } from "@/components/ui/status-badge";
import type { DuplicateCaseSummary } from "@/lib/duplicates/find-duplicate-cases";
import { personName, resolutionLabel, type CaseActionResult } from "@/lib/duplicates/resolutions";
import { formatMoney, PROVIDER_LABELS } from "@/lib/format";
import { CaseHistory } from "./case-history";
import { CasePaymentsTable } from "./case-payments-table";
import { ReopenCaseForm } from "./reopen-case-form";
import { ResolveCaseForm } from "./resolve-case-form";

type Action = (previous: CaseActionResult | null, form: FormData) => Promise<CaseActionResult>;

function SourceBadges({ c }: { c: DuplicateCaseSummary }) {
  const provider = PROVIDER_LABELS[c.provider] ?? c.provider;
  return (
    <>
      {c.declared ? <StatusBadge status="declared" label={`declared by ${provider}`} /> : null}
      {c.detected ? <StatusBadge status="detected" label="detected by Payhook" /> : null}
    </>
  );
}

export function DuplicateCaseCard({
  c,
  timeZone,
  actions,
}: {
  c: DuplicateCaseSummary;
  timeZone: string;
  /** The server actions, for finance users and admins; viewers get no controls. */
  actions: { resolve: Action; reopen: Action } | null;
}) {
  const headingId = `case-${c.id}-heading`;
  const provider = PROVIDER_LABELS[c.provider] ?? c.provider;
  return (
    <article id={`case-${c.id}`} aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id={headingId} className="text-base font-semibold text-slate-900">
            Order <span className="break-all font-mono">{c.merchantOrderId}</span>
          </h2>
          <p className="mt-0.5 text-sm text-slate-600">
            {provider} · opened <ZonedTime value={c.openedAt} timeZone={timeZone} /> · {c.payments.length} payment{c.payments.length === 1 ? "" : "s"}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <StatusBadge status={c.state} />
          <SourceBadges c={c} />
        </div>
      </header>

      <div className="mt-3 rounded-md bg-orange-50 px-3 py-2 text-sm">
        <span className="font-medium text-orange-950">Overpaid: </span>
        {c.overpaid.length === 0 ? (
          <span className="text-slate-700">nothing yet (the extra payments have not succeeded)</span>
        ) : (
          c.overpaid.map((o, index) => (
            <span key={o.currency} className="tabular font-semibold text-orange-950">
              {index > 0 ? " + " : ""}
              {formatMoney(o.amount, o.currency)}
            </span>
          ))
        )}
      </div>

      <div className="mt-3">
        <CasePaymentsTable payments={c.payments} caption={`Payments for order ${c.merchantOrderId}`} timeZone={timeZone} />
        {c.paymentCount > c.payments.length ? (
          <p className="mt-1 text-sm text-slate-600">
            The first {c.payments.length} of {c.paymentCount} payments; search the transactions for order {c.merchantOrderId} to see them all.
          </p>
        ) : null}
      </div>

      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <div>
          <h3 className="text-sm font-semibold text-slate-900">Resolution</h3>
          {c.state === "resolved" ? (
            <div className="mt-1 text-sm">
              <p>
                <span className="font-medium">{resolutionLabel(c.resolution)}</span>
                <span className="text-slate-600">
                  {" "}
                  — by {c.resolvedBy ? personName(c.resolvedBy) : "unknown"} on{" "}
                  <ZonedTime value={c.resolvedAt} timeZone={timeZone} />
                </span>
              </p>
              {c.resolutionNote ? <p className="mt-1 whitespace-pre-wrap break-words text-slate-700">{c.resolutionNote}</p> : null}
            </div>
          ) : (
            <p className="mt-1 text-sm text-slate-700">Open: waiting for finance to decide.</p>
          )}
          <h3 className="mt-4 text-sm font-semibold text-slate-900">History</h3>
          <div className="mt-1">
            <CaseHistory actions={c.actions} timeZone={timeZone} />
          </div>
        </div>
        <div>
          {actions ? (
            c.state === "open" ? (
              <ResolveCaseForm caseId={c.id} paymentsSeen={c.paymentCount} action={actions.resolve} />
            ) : (
              <ReopenCaseForm caseId={c.id} action={actions.reopen} />
            )
          ) : (
            <p className="text-sm text-slate-600">Only finance users and admins can record or reopen a resolution.</p>
          )}
        </div>
      </div>
    </article>
  );
}
