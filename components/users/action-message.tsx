import type { UserActionResult } from "@/lib/users/user-rules";

/** What the last change on a form did: announced to screen readers, red when it was refused; nothing before the first. */
export function ActionMessage({ result, className = "" }: { result: UserActionResult | null; className?: string }) {
  if (!result) return null;
  return result.ok ? (
    <p role="status" className={`text-sm text-emerald-800 ${className}`}>
      {result.message}
    </p>
  ) : (
    <p role="alert" className={`text-sm font-medium text-red-800 ${className}`}>
      {result.message}
    </p>
  );
}
