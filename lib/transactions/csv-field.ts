// One CSV field, written the same way by the server (csvField) and by
// PostgreSQL (csvFieldSql), which writes most of each exported line itself
// (see exportStatement in ./find-transactions.ts). A test feeds both the same
// awkward values and compares what they wrote.

// A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field, neutralised against formulas and quoted per RFC 4180 when it needs to be. */
export function csvField(value: string | null | undefined): string {
  let text = value ?? "";
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: readonly (string | null | undefined)[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

/**
 * csvField as a SQL expression over `expression` (SQL text, never a value:
 * values are parameters): written here beside csvField rather than as a
 * function in the schema, so the rule has one home and needs no migration.
 * Most values need nothing done, and one regular expression (compiled once
 * per session) tells them apart. The apostrophe that neutralises a formula
 * is no character that needs quoting, so whether to quote is read off the
 * value as stored.
 */
export function csvFieldSql(expression: string): string {
  const text = `coalesce((${expression})::text, '')`;
  const neutralised = `(CASE WHEN left(${text}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || ${text} ELSE ${text} END)`;
  const quoted = `(CASE WHEN ${text} ~ E'[",\\r\\n]' THEN '"' || replace(${neutralised}, '"', '""') || '"' ELSE ${neutralised} END)`;
  return `(CASE WHEN ${text} ~ E'^[-=+@\\t\\r]|[",\\r\\n]' THEN ${quoted} ELSE ${text} END)`;
}
