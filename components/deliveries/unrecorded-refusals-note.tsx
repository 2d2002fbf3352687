import { NO_ADDRESS, NO_ADDRESS_LABEL, type RefusalLimits, type UnrecordedRefusals } from "@/lib/deliveries/refusal-budget";
import { formatDateTime } from "@/lib/format";

const count = (n: number) => n.toLocaleString("en-US");

/** Says how many refusals went past their sender's limits and were not recorded, and from whom. */
export function UnrecordedRefusalsNote({ unrecorded, limits, hours, timeZone }: { unrecorded: UnrecordedRefusals; limits: RefusalLimits; hours: number; timeZone: string }) {
  if (unrecorded.total === 0) return null;
  return (
    <div role="note" aria-label="Refusals not recorded" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <p>
        In the last {hours} hours, {count(unrecorded.total)} refused {unrecorded.total === 1 ? "request was" : "requests were"} not recorded:
        of the refusals no signature vouched for, Payhook records a sender&apos;s first {count(limits.perMinute)} of each minute, until they
        take {count(Math.round(limits.bytesPerMinute / 1024))} KiB (the limits now set; an IPv6 sender counts by its /64). The others were
        answered as the recorded ones were. A flood is better stopped before the app, by a firewall rule on <code>/api/webhooks/*</code>.
      </p>
      <p className="mt-2">
        {unrecorded.senders > unrecorded.top.length
          ? `By sender: ${count(unrecorded.senders)} senders, the ${unrecorded.top.length} with the most:`
          : "By sender:"}
      </p>
      <ul className="mt-1 list-disc pl-5">
        {unrecorded.top.map((source) => (
          <li key={source.sender}>
            {source.sender === NO_ADDRESS ? NO_ADDRESS_LABEL : <span className="font-mono">{source.sender}</span>}: {count(source.unrecorded)} not
            recorded, last at {formatDateTime(source.lastMinute, timeZone)}
          </li>
        ))}
      </ul>
    </div>
  );
}
