// Runs before every page and API route (Next 16's proxy, formerly middleware),
// except the provider webhooks at /api/webhooks/<provider>: they need neither a
// session nor a nonce, take most of the traffic, and set their own
// Content-Security-Policy (app/api/webhooks/[provider]/route.ts).
// 1. Sets a per-request Content-Security-Policy nonce.
// 2. Refuses a POST (or other unsafe method) from another site's page with a 403
//    (lib/auth/cross-site.ts), before any page, Server Action or API runs.
// 3. No session, no data: pages redirect to sign-in and come back after it;
//    APIs answer 401 JSON. Each page, route and action checks the session again.
import { NextResponse, type NextRequest } from "next/server";
import { crossSiteOrigin } from "@/lib/auth/cross-site";
import { RETURN_TO_HEADER } from "@/lib/auth/safe-return-path";
import { readSessionToken } from "@/lib/auth/session-cookie";
import { getEnv } from "@/lib/env";
import { contentSecurityPolicy, newNonce } from "@/lib/security-headers";

// Reachable without a session: provider webhooks, next-auth itself, the health check, sign-in,
// and the retention job (it checks the CRON_SECRET bearer token itself; a new job is listed here once it does too).
const PUBLIC = /^\/(api\/webhooks\/|api\/auth\/|api\/cron\/prune-deliveries$|api\/health$|sign-in$)/;

/** Whether every percent-escape in the path decodes; Next's router throws (a bare 500) on one that does not. */
function decodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export async function proxy(request: NextRequest) {
  const env = getEnv();
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, env.NODE_ENV === "development");
  const { pathname, search } = request.nextUrl;

  // Webhooks come from the providers' servers, not from a browser holding a session.
  const foreignOrigin = pathname.startsWith("/api/webhooks/") ? null : crossSiteOrigin(request.method, request.headers);

  let response: NextResponse;
  if (!decodablePath(pathname)) {
    response = NextResponse.json({ error: { code: "path_malformed", message: "The URL path holds a malformed percent-escape." } }, { status: 400 });
  } else if (foreignOrigin !== null) {
    const message =
      `Refused: this ${request.method} came from another site (Origin ${foreignOrigin.slice(0, 100)}), ` +
      "and Payhook takes changes only from its own pages. Open Payhook itself and submit the form there.";
    response = NextResponse.json({ error: { code: "cross_site_request", message } }, { status: 403 });
  } else if (pathname.startsWith("/api/") && PUBLIC.test(pathname)) {
    // Untouched: webhook deliveries store the request headers exactly as they arrived
    // (a webhook path with an odd shape, e.g. an uppercase provider, still comes here).
    response = NextResponse.next();
  } else if (PUBLIC.test(pathname) || (await readSessionToken(request.cookies))?.sub) {
    const headers = new Headers(request.headers);
    headers.set("content-security-policy", csp);
    headers.set("x-nonce", nonce);
    // Where the dashboard's layout sends a user back to when their session turns out to be revoked (it has no URL of its own).
    headers.set(RETURN_TO_HEADER, `${pathname}${search}`);
    response = NextResponse.next({ request: { headers } });
  } else if (pathname.startsWith("/api/")) {
    response = NextResponse.json({ error: { code: "unauthenticated", message: "Sign in to continue." } }, { status: 401 });
  } else {
    const signIn = new URL("/sign-in", request.url);
    signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    response = NextResponse.redirect(signIn);
  }
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

// Left out: static assets, and webhook paths that are a plain provider name
// (lowercase letters, digits, dashes). Any other path under /api/webhooks/ — a
// percent-escape, a nested path, a trailing slash — still comes here, so a
// malformed escape is still a 400 rather than Next's bare 500. The static
// security headers of next.config.mjs apply to every path, these included.
export const config = {
  matcher: ["/((?!_next/static/|_next/image/|favicon\\.ico$|icon\\.svg$|robots\\.txt$|api/webhooks/[a-z0-9-]+$).*)"],
};
