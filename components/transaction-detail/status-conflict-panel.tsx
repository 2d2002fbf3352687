import type { ComponentProps } from "react";
import { PROVIDER_LABELS } from "@/lib/format";
import type { TransactionDetail } from "@/lib/transactions/get-transaction";
import { DecideStatusForm } from "./decide-status-form";
import { ZonedTime } from "./zoned-time";

type Action = ComponentProps<typeof DecideStatusForm>["action"];

/**
 * A transaction whose provider reported a second, different final state, and
 * what finance decided about such conflicts before. Finance users and admins
 * decide an open one here; everyone sees the decisions.
 */
export function StatusConflictPanel({ t, action, timeZone }: { t: TransactionDetail; action: Action | null; timeZone: string }) {
  if (!t.statusConflict && t.statusDecisions.length === 0) return null;
  const provider = PROVIDER_LABELS[t.provider] ?? t.provider;
  return (
    <section aria-label="Conflicting final states" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
      {t.statusConflict ? (
        <>
          <p className="font-semibold">Conflicting final states</p>
          <p className="mt-1">
            {provider} first reported <strong>{t.providerStatus}</strong> and later <strong>{t.conflictingStatus ?? "another final state"}</strong>.
            Payhook keeps the first until someone decides: check this transaction in the provider&apos;s portal
            {action ? ", then record what you found." : "; a finance user or an admin records the decision here."}
          </p>
          {action && t.conflictingStatus ? <DecideStatusForm transactionId={t.id} first={t.providerStatus} later={t.conflictingStatus} action={action} /> : null}
        </>
      ) : (
        <p className="font-semibold">Conflicting final states, decided</p>
      )}
      {t.statusDecisions.length > 0 ? (
        <ul aria-label="Status decisions" className="mt-3 space-y-1 border-t border-amber-200 pt-3">
          {t.statusDecisions.map((d) => (
            <li key={d.id} data-testid="status-decision">
              <ZonedTime value={d.at} timeZone={timeZone} />:{" "}
              {d.decision === "applied" ? (
                <>
                  applied <strong>{d.laterProviderStatus}</strong> over {d.fromProviderStatus}
                </>
              ) : (
                <>
                  kept <strong>{d.fromProviderStatus}</strong> over the later {d.laterProviderStatus}
                </>
              )}{" "}
              by {d.user?.email ?? "a user since removed"}
              {d.note ? <span className="block pl-4 text-amber-950">“{d.note}”</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
