import { formatDateTime } from "@/lib/format";

/** A stored UTC instant shown in the reader's zone; the exact UTC instant is in the title and the datetime attribute. */
export function ZonedTime({ value, timeZone, showZone = false }: { value: Date | null; timeZone: string; showZone?: boolean }) {
  if (!value) return <span className="text-slate-400">—</span>;
  const iso = value.toISOString();
  return (
    <time dateTime={iso} title={`${iso} (UTC)`} className="tabular whitespace-nowrap">
      {formatDateTime(value, timeZone)}
      {showZone ? <span className="ml-1 text-xs text-slate-500">{timeZone}</span> : null}
    </time>
  );
}
