/** An error's name, code and message for a log line, never its payload or anything it may carry. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${code ? ` ${String(code)}` : ""}: ${error.message.slice(0, 500)}`;
  }
  return String(error).slice(0, 500);
}
