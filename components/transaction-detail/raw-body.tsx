import { CopyButton } from "@/components/ui/copy-button";
import type { DeliveryBody, DeliverySummary } from "@/lib/transactions/get-transaction";
import { ZonedTime } from "./zoned-time";

/** The body of one delivery exactly as received, as text (React escapes it) and as base64 of the bytes. */
export function RawBody({ delivery, body, timeZone }: { delivery: DeliverySummary; body: DeliveryBody; timeZone: string }) {
  return (
    <div>
      <dl className="mb-3 grid grid-cols-1 gap-2 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Delivery</dt>
          <dd>
            <ZonedTime value={delivery.receivedAt} timeZone={timeZone} showZone /> · {delivery.outcome} · HTTP {delivery.httpStatus}
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Signature</dt>
          <dd>
            {delivery.signatureValid === true ? (
              <span className="font-medium text-emerald-800">Valid (SHA256withRSA)</span>
            ) : delivery.signatureValid === false ? (
              <span className="font-medium text-red-800">Invalid</span>
            ) : (
              "Not checked"
            )}
          </dd>
        </div>
        <div className="min-w-0">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Verified by key</dt>
          <dd className="break-all font-mono text-xs">{delivery.keyFingerprint ?? "—"}</dd>
        </div>
      </dl>
      {!body.validUtf8 ? (
        <p className="mb-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
          These bytes are not valid UTF-8: invalid sequences are shown as �. Copy the base64 for the exact bytes.
        </p>
      ) : null}
      {body.truncated ? (
        <p className="mb-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
          The body was larger than the size limit: only its first part was kept.
        </p>
      ) : null}
      <div className="mb-2 flex flex-wrap items-center gap-3">
        <CopyButton text={body.text} label="Copy body as text" />
        <CopyButton text={body.base64} label="Copy exact bytes as base64" />
        <span className="text-xs text-slate-600">{body.size} bytes</span>
      </div>
      <pre
        tabIndex={0}
        aria-label="Raw body"
        className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded-md border border-slate-200 bg-slate-900 p-3 font-mono text-xs text-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400"
      >
        {body.text}
      </pre>
    </div>
  );
}
