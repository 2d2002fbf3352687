import Link from "next/link";
import { StatusBadge } from "@/components/ui/status-badge";
import type { DeliveryDetail } from "@/lib/deliveries/get-delivery";
import { formatDateTime } from "@/lib/format";
import { ReprocessPanel } from "./reprocess-panel";

/** What happened to an eligible delivery (reprocessRefusal decides which are), in the words an admin acts on. */
const WHY_REFUSED: Record<string, string> = {
  payload_invalid: "This notification was signed correctly but its payload failed validation, which a later version of Payhook may handle.",
  internal_error: "This notification was signed correctly, but an error in Payhook kept it from being stored.",
  provider_misconfigured: "This notification was signed correctly, but the provider's configuration in Payhook was wrong at the time.",
  provider_not_configured: "This request arrived while the provider's key was not configured, so its signature was never checked.",
  merchant_mismatch: "This notification was signed correctly, but for a merchant id this ledger was not configured to accept.",
};
const WHAT_REPROCESSING_DOES =
  "Reprocessing checks the signature with the keys configured now, parses the stored bytes and records the result on its transaction. If it still fails, you will see the current reason and nothing changes.";

const link = "text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-300";

function History({ delivery, isAdmin, refusal, timeZone }: { delivery: DeliveryDetail; isAdmin: boolean; refusal: string | null; timeZone: string }) {
  const { reprocessedInto, reprocessedFrom } = delivery;
  if (reprocessedFrom) {
    return (
      <p>
        Made by reprocessing a stored rejected delivery
        {reprocessedFrom.reprocessedAt ? ` on ${formatDateTime(reprocessedFrom.reprocessedAt, timeZone)}` : ""}:{" "}
        <Link href={`/deliveries/${reprocessedFrom.id}`} className={link}>
          view the original delivery
        </Link>
        .
      </p>
    );
  }
  if (delivery.reprocessedAt) {
    return (
      <p>
        Reprocessed on {formatDateTime(delivery.reprocessedAt, timeZone)}
        {delivery.reprocessedBy ? ` by ${delivery.reprocessedBy.email}` : ""}.
        {reprocessedInto ? (
          <>
            {" "}
            It became a new delivery <StatusBadge status={reprocessedInto.outcome} />:{" "}
            <Link href={`/deliveries/${reprocessedInto.id}`} className={link}>
              view it
            </Link>
          </>
        ) : null}
        {delivery.transaction ? (
          <>
            {" "}
            or{" "}
            <Link href={`/transactions/${delivery.transaction.id}`} className={link}>
              its transaction
            </Link>
          </>
        ) : null}
        .
      </p>
    );
  }
  return (
    <>
      <p>Not reprocessed.</p>
      <p className="text-slate-600">
        {refusal ?? (isAdmin ? `${WHY_REFUSED[delivery.errorCode ?? ""] ?? WHY_REFUSED.payload_invalid} ${WHAT_REPROCESSING_DOES}` : "An admin can reprocess this delivery.")}
      </p>
    </>
  );
}

/** The delivery's reprocessing history and, for an admin, the way to run an eligible one again. */
export function ReprocessingSection({
  delivery,
  isAdmin,
  refusal,
  timeZone,
}: {
  delivery: DeliveryDetail;
  isAdmin: boolean;
  refusal: string | null;
  timeZone: string;
}) {
  if (delivery.outcome !== "rejected" && !delivery.reprocessedFrom) return null;
  const history = <History delivery={delivery} isAdmin={isAdmin} refusal={refusal} timeZone={timeZone} />;
  return (
    <section aria-labelledby="reprocess-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="reprocess-heading" className="font-semibold">
        Reprocessing
      </h2>
      <div className="mt-2 text-sm text-slate-700">
        {isAdmin && delivery.outcome === "rejected" ? (
          <ReprocessPanel deliveryId={delivery.id} canReprocess={!delivery.reprocessedAt && refusal === null}>
            {history}
          </ReprocessPanel>
        ) : (
          <div className="space-y-3">{history}</div>
        )}
      </div>
    </section>
  );
}
