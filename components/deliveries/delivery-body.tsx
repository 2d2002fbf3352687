import { CopyButton } from "@/components/ui/copy-button";
import type { DeliveryDetail } from "@/lib/deliveries/get-delivery";
import { formatBytes } from "./signature-summary";

// The body as text nodes only: whatever a sender put in it is shown, never run.

export function DeliveryBody({ delivery }: { delivery: DeliveryDetail }) {
  const { body } = delivery;
  const notes: string[] = [];
  if (!body.validUtf8) notes.push("These bytes are not valid UTF-8: each invalid sequence is shown as \uFFFD. The stored bytes are unchanged.");
  if (body.startsWithBom) notes.push("The body starts with a UTF-8 byte-order mark (EF BB BF), invisible below.");
  if (delivery.bodyTruncated) {
    notes.push(`The request declared ${formatBytes(delivery.bodySize)}; only the first ${formatBytes(body.storedBytes)} were kept.`);
  }
  return (
    <section aria-labelledby="body-heading" className="rounded-lg border border-slate-200 bg-white">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-4 py-3">
        <div>
          <h2 id="body-heading" className="font-semibold">
            Body, exactly as received
          </h2>
          <p className="text-xs text-slate-500">{formatBytes(body.storedBytes)} stored, shown as UTF-8 text</p>
        </div>
        {body.storedBytes > 0 ? <CopyButton text={body.text} label="Copy body" /> : null}
      </div>
      {notes.length > 0 ? (
        <ul className="space-y-1 border-b border-amber-100 bg-amber-50 px-4 py-2 text-sm text-amber-900">
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
      {body.storedBytes === 0 ? (
        <p className="px-4 py-4 text-sm text-slate-600">The request had no body.</p>
      ) : (
        <pre tabIndex={0} aria-label="Raw body" className="max-h-[32rem] overflow-auto whitespace-pre-wrap break-all px-4 py-3 font-mono text-xs text-slate-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-indigo-300">
          {body.text}
        </pre>
      )}
    </section>
  );
}
