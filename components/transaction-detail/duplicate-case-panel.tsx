import Link from "next/link";
import { StatusBadge } from "@/components/ui/status-badge";
import { duplicatesHref } from "@/lib/duplicates/duplicates-query";
import { personName, resolutionLabel } from "@/lib/duplicates/resolutions";
import type { TransactionDetail } from "@/lib/transactions/get-transaction";
import { ZonedTime } from "./zoned-time";

export function DuplicateCasePanel({ t, timeZone }: { t: TransactionDetail; timeZone: string }) {
  const c = t.duplicateCase;
  if (!c) return null;
  const role = t.duplicateSource ? `This payment is a ${t.duplicateSource} duplicate.` : "This payment is the original of a duplicated order.";
  return (
    <div className="rounded-lg border border-orange-200 bg-orange-50 p-4 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <p className="font-semibold text-orange-950">Duplicate payment case</p>
        <StatusBadge status={c.state} />
        {c.declared ? <StatusBadge status="declared" label="provider-declared" /> : null}
        {c.detected ? <StatusBadge status="detected" label="detected by Payhook" /> : null}
      </div>
      <p className="mt-1 text-orange-950">{role}</p>
      <p className="mt-1 text-slate-700">
        Opened <ZonedTime value={c.openedAt} timeZone={timeZone} showZone />.
        {c.state === "resolved" && c.resolvedAt ? (
          <>
            {" "}
            Resolved as <strong>{resolutionLabel(c.resolution)}</strong>
            {c.resolvedBy ? ` by ${personName(c.resolvedBy)}` : ""} on <ZonedTime value={c.resolvedAt} timeZone={timeZone} />.
          </>
        ) : null}
      </p>
      <Link
        href={duplicatesHref({ case: c.id })}
        className="mt-2 inline-block font-medium text-indigo-700 underline-offset-2 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400"
      >
        Open this case on the duplicate payments page
      </Link>
    </div>
  );
}
