import type { ChangeEvent } from "react";
import { PROVIDER_LABELS } from "@/lib/format";

// The filter forms' shared pieces: a labelled select whose first option means
// "no filter", and the classes their other fields use.

export const FILTER_LABEL = "block text-xs font-medium text-slate-600";
export const FILTER_CONTROL =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-400 focus:outline-none focus:ring-2 focus:ring-indigo-300";

export type FilterOption = { value: string; label: string };

export const PROVIDER_OPTIONS: FilterOption[] = Object.entries(PROVIDER_LABELS).map(([value, label]) => ({ value, label }));

/** Options whose label is their value (statuses, kinds, error codes). */
export const sameLabel = (values: readonly string[]): FilterOption[] => values.map((value) => ({ value, label: value }));

export function FilterSelect({
  label,
  name,
  value,
  anyLabel,
  options,
  onChange,
  className,
}: {
  label: string;
  name: string;
  value: string | undefined;
  /** The first option, which clears the filter ("All", "Any error code"). */
  anyLabel: string;
  options: readonly FilterOption[];
  onChange?: (event: ChangeEvent<HTMLSelectElement>) => void;
  className?: string;
}) {
  return (
    <label className={className}>
      <span className={FILTER_LABEL}>{label}</span>
      <select name={name} defaultValue={value ?? ""} onChange={onChange} className={FILTER_CONTROL}>
        <option value="">{anyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
