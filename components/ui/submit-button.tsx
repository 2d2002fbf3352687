import type { ReactNode } from "react";

const VARIANTS = {
  primary:
    "rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:ring-offset-2 disabled:cursor-not-allowed disabled:opacity-60",
  secondary:
    "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400 disabled:cursor-not-allowed disabled:opacity-60",
} as const;

/** A form's submit button: disabled, with `pendingLabel`, while its action runs. */
export function SubmitButton({
  pending,
  pendingLabel,
  variant = "primary",
  label,
  children,
}: {
  pending: boolean;
  pendingLabel: string;
  variant?: keyof typeof VARIANTS;
  /** An accessible name that says which row the button acts on, when the visible text does not. */
  label?: string;
  children: ReactNode;
}) {
  return (
    <button type="submit" disabled={pending} aria-label={label} className={VARIANTS[variant]}>
      {pending ? pendingLabel : children}
    </button>
  );
}
