// Where sign-in may send the user back to. Anything but a path on this site
// falls back: a link to the real sign-in page must never end on another site.

const BASE = "https://payhook.invalid";

/** The request header proxy.ts writes with the path asked for (set on every request it passes on, so never the sender's). */
export const RETURN_TO_HEADER = "x-payhook-return-to";
// Browsers drop tabs and line breaks from a URL and read "\" as "/": to them "/\t/evil.example" is "//evil.example".
const UNSAFE = /[\u0000-\u001f\u007f\\]/;

/** Only a path on this site may be a place to come back to after sign-in; the result is that path, normalised. */
export function safeReturnPath(value: string | string[] | undefined | null, fallback = "/overview"): string {
  const path = Array.isArray(value) ? value[0] : value;
  if (!path || !path.startsWith("/") || path.startsWith("//") || UNSAFE.test(path)) return fallback;
  let url: URL;
  try {
    url = new URL(path, BASE);
  } catch {
    return fallback;
  }
  // Checked after normalising: dot segments collapse, so "/.//evil.example" comes out as "//evil.example".
  if (url.origin !== BASE || url.pathname.startsWith("//") || url.pathname.startsWith("/sign-in")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
