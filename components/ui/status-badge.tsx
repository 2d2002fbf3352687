const STYLES: Record<string, string> = {
  succeeded: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  failed: "bg-red-50 text-red-800 ring-red-600/20",
  cancelled: "bg-slate-100 text-slate-700 ring-slate-500/20",
  pending: "bg-amber-50 text-amber-800 ring-amber-600/20",
  accepted: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  duplicate: "bg-sky-50 text-sky-800 ring-sky-600/20",
  rejected: "bg-red-50 text-red-800 ring-red-600/20",
  declared: "bg-purple-50 text-purple-800 ring-purple-600/20",
  detected: "bg-orange-50 text-orange-800 ring-orange-600/20",
  open: "bg-orange-50 text-orange-800 ring-orange-600/20",
  resolved: "bg-slate-100 text-slate-700 ring-slate-500/20",
};

/** A status word in a coloured pill; the word itself carries the meaning, the colour only helps. */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status] ?? STYLES.cancelled}`}>
      {label ?? status.replace(/_/g, " ")}
    </span>
  );
}
