import { CookieJar, jsonOf, type HttpClient, type HttpResponse } from "./http";

// Signing in and out over HTTP, the way next-auth's own client does: a CSRF
// token (and its cookie) first, then a form post. Nothing here uses the UI.

export type Credentials = { email: string; password: string };

export type SignInResult = { ok: boolean; jar: CookieJar; status: number; error: string | null };

export const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token$/;

async function send(client: HttpClient, jar: CookieJar, request: Parameters<HttpClient["request"]>[0]): Promise<HttpResponse> {
  const cookie = jar.header();
  const response = await client.request({ ...request, headers: { ...(cookie ? { cookie } : {}), ...request.headers } });
  jar.store(response);
  return response;
}

export async function csrfToken(client: HttpClient, jar: CookieJar): Promise<string> {
  const response = await send(client, jar, { path: "/api/auth/csrf" });
  const token = (jsonOf(response) as { csrfToken?: string } | undefined)?.csrfToken;
  if (!token) throw new Error(`GET /api/auth/csrf answered ${response.status} without a token`);
  return token;
}

/** Signs in with a fresh cookie jar; `forwardedFor` sets X-Forwarded-For, as a proxy in front of the app would. */
export async function signIn(client: HttpClient, credentials: Credentials, options: { forwardedFor?: string } = {}): Promise<SignInResult> {
  const jar = new CookieJar();
  const token = await csrfToken(client, jar);
  const form = new URLSearchParams({ csrfToken: token, email: credentials.email, password: credentials.password, callbackUrl: "/overview", json: "true" });
  const response = await send(client, jar, {
    method: "POST",
    path: "/api/auth/callback/credentials",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(options.forwardedFor ? { "x-forwarded-for": options.forwardedFor } : {}) },
    body: form.toString(),
  });
  const url = (jsonOf(response) as { url?: string } | undefined)?.url ?? response.headers.location ?? "";
  const error = url.includes("error=") ? decodeURIComponent(new URL(url, "http://x").searchParams.get("error") ?? "") : null;
  const hasSession = [...sessionCookieNames(jar)].length > 0;
  return { ok: hasSession && !error, jar, status: response.status, error };
}

export function* sessionCookieNames(jar: CookieJar): Generator<string> {
  for (const name of ["next-auth.session-token", "__Secure-next-auth.session-token"]) if (jar.get(name)) yield name;
}

/** Signs out through next-auth's endpoint (CSRF token included); the jar loses its session cookie. */
export async function signOut(client: HttpClient, jar: CookieJar): Promise<HttpResponse> {
  const token = await csrfToken(client, jar);
  return send(client, jar, {
    method: "POST",
    path: "/api/auth/signout",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken: token, callbackUrl: "/sign-in", json: "true" }).toString(),
  });
}

/** A GET with the jar's cookies, not following redirects. */
export function get(client: HttpClient, jar: CookieJar | null, path: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
  const cookie = jar?.header();
  return client.request({ path, headers: { ...(cookie ? { cookie } : {}), ...headers } });
}
