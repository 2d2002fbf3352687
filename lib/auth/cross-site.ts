// A browser says which site a request comes from in its Origin header. A POST,
// PUT, PATCH or DELETE from another site, carrying the user's cookies, is a
// cross-site request forgery: proxy.ts refuses it with a 403 before any page,
// Server Action or API sees it. (Next refuses a cross-site Server Action too,
// but with a bare 500, and only Server Actions.)
//
// The rule is Next's own, so that nothing Next accepts is refused here: the
// Origin's host must equal the first X-Forwarded-Host (set by Vercel, and by
// Next's server when absent) or else the Host header. A request without an
// Origin is let through, as Next does: browsers send one with every unsafe
// request, and a script that leaves it out holds no victim's cookies.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The request's own host, as Next compares it: the first X-Forwarded-Host, else Host. */
function ownHost(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return forwarded || headers.get("host");
}

/**
 * The Origin of an unsafe request from another site, or null when the request
 * may go on (a safe method, no Origin, or the request's own host). An opaque
 * origin ("null": a sandboxed frame, a redirect across sites) counts as another site.
 */
export function crossSiteOrigin(method: string, headers: Headers): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const origin = headers.get("origin");
  if (origin === null) return null;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return origin;
  }
  return originHost === ownHost(headers) ? null : origin;
}
