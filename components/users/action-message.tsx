import type { UserActionResult } from "@/lib/users/user-rules";

/** What the last change on a form did: announced to screen readers, red when it was refused. */
export function ActionMessage({ result, id }: { result: UserActionResult | null; id?: string }) {
  if (!result) return null;
  return result.ok ? (
    <p id={id} role="status" className="text-sm text-emerald-800">
      {result.message}
    </p>
  ) : (
    <p id={id} role="alert" className="text-sm font-medium text-red-800">
      {result.message}
    </p>
  );
}
