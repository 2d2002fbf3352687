import { ZonedTime } from "@/components/transaction-detail/zoned-time";
import type { CaseAction } from "@/lib/duplicates/find-duplicate-cases";
import { personName, resolutionLabel } from "@/lib/duplicates/resolutions";

function describe(action: CaseAction): string {
  if (action.action === "resolved") return `Resolved as ${resolutionLabel(action.resolution)}`;
  if (action.action === "reopened") return "Reopened";
  return action.action;
}

/** Every resolution and reopening of a case, oldest first, including those Payhook made itself. */
export function CaseHistory({ actions, timeZone }: { actions: CaseAction[]; timeZone: string }) {
  if (actions.length === 0) return <p className="text-sm text-slate-600">No one has acted on this case yet.</p>;
  return (
    <ol className="space-y-2 text-sm">
      {actions.map((action) => (
        <li key={action.id} className="border-l-2 border-slate-200 pl-3">
          <p>
            <span className="font-medium text-slate-900">{describe(action)}</span>{" "}
            <span className="text-slate-600">
              by {action.user ? personName(action.user) : "Payhook (automatic)"} · <ZonedTime value={action.at} timeZone={timeZone} />
            </span>
          </p>
          {action.note ? <p className="whitespace-pre-wrap break-words text-slate-700">{action.note}</p> : null}
        </li>
      ))}
    </ol>
  );
}
