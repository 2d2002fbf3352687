/** Only a path on this site may be a place to come back to after sign-in. */
export function safeReturnPath(value: string | string[] | undefined | null, fallback = "/overview"): string {
  const path = Array.isArray(value) ? value[0] : value;
  if (!path || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\") || path.startsWith("/sign-in")) {
    return fallback;
  }
  return path;
}
