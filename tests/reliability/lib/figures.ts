import type { LoadFigures, PhaseResult } from "./run-context";

// The suite's closing table, in Markdown so it can go into the README as it is.

const COLUMNS: [keyof LoadFigures, string][] = [
  ["requests", "requests sent"],
  ["notifications", "notifications / inputs"],
  ["acknowledged", "acknowledged"],
  ["stored", "stored"],
  ["lost", "lost"],
  ["duplicatesCreated", "duplicates created"],
  ["serverErrors", "5xx (other than 503 database_unavailable, which the provider retries)"],
  ["violations", "rule violations"],
];

export function formatReport(
  results: PhaseResult[],
  run: { seed: number; scale: number; buildSeconds: number; totalSeconds: number; budgetSeconds: number },
): string {
  const rows = results.flatMap((result) => result.figures);
  const total = rows.reduce(
    (sum, row) => {
      for (const [key] of COLUMNS) (sum[key] as number) += row[key] as number;
      return sum;
    },
    { phase: "**total**", requests: 0, notifications: 0, acknowledged: 0, stored: 0, lost: 0, duplicatesCreated: 0, serverErrors: 0, violations: 0 } as LoadFigures,
  );
  const failures = results.reduce((sum, result) => sum + result.failures.length, 0);
  const lines = [
    `Seed ${run.seed}, scale ${run.scale}; build ${run.buildSeconds.toFixed(0)} s, whole run ${run.totalSeconds.toFixed(0)} s (budget ${run.budgetSeconds} s).`,
    "",
    `| phase | ${COLUMNS.map(([, label]) => label).join(" | ")} |`,
    `| --- | ${COLUMNS.map(() => "---:").join(" | ")} |`,
    ...[...rows, total].map((row) => `| ${row.phase} | ${COLUMNS.map(([key]) => String(row[key])).join(" | ")} |`),
    "",
    ...results.flatMap((result) => result.notes.map((note) => `- ${note}`)),
    "",
    `| phase | seconds | result |`,
    `| --- | ---: | --- |`,
    ...results.map((result) => `| ${result.name} | ${result.seconds.toFixed(1)} | ${result.failures.length === 0 ? "passed" : `**${result.failures.length} failure(s)**`} |`),
    "",
    failures === 0 ? "Result: every rule held." : `Result: ${failures} failure(s):\n${results.flatMap((result) => result.failures.map((failure) => `  - [${result.name}] ${failure}`)).join("\n")}`,
  ];
  return `${lines.join("\n")}\n`;
}
