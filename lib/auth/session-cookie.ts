import type { JWT } from "next-auth/jwt";
import { getToken } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { getEnv } from "@/lib/env";

/**
 * Whether the session cookie is next-auth's `__Secure-` one. next-auth names the cookie it sets at sign-in from
 * NEXTAUTH_URL (or Vercel's https URL), while its getToken looks for one named from NEXTAUTH_URL or VERCEL: left to
 * themselves they can disagree (say, behind an https proxy without NEXTAUTH_URL), and then nobody stays signed in.
 * Sign-in (lib/auth/options.ts) and every read of the session (below) take this answer.
 */
export function secureSessionCookie(): boolean {
  const { NEXTAUTH_URL, VERCEL } = getEnv();
  if (!NEXTAUTH_URL) return VERCEL !== undefined;
  // As next-auth reads it: a URL without a scheme is an https one.
  return /^https:\/\//i.test(NEXTAUTH_URL) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(NEXTAUTH_URL);
}

type Cookies = { getAll(): { name: string; value: string }[] };

/**
 * The session token in the request's cookies, decrypted and checked for expiry as next-auth does; null when there
 * is none or it does not decrypt. Only the cookie: getToken would also take a token from an Authorization header,
 * and a session is a cookie here, as it is for next-auth.
 */
export async function readSessionToken(cookies: Cookies): Promise<JWT | null> {
  const request = { cookies, headers: new Headers() } as unknown as NextRequest;
  return getToken({ req: request, secret: getEnv().NEXTAUTH_SECRET, secureCookie: secureSessionCookie() });
}
