import { createPostgresClient } from "@/lib/db/client";
import { createUser } from "@/lib/users/create-user";
import { config } from "./config";

// A signed-in session on the bench server, the way a browser gets one:
// GET /api/auth/csrf, then POST the credentials with the CSRF token and cookie.

export type Session = { cookies: { name: string; value: string }[]; header: string };

export async function createBenchUser(url: string): Promise<void> {
  const db = createPostgresClient(url, 1);
  try {
    await createUser(db, { email: config.user.email, password: config.user.password, role: config.user.role });
  } finally {
    await db.$disconnect();
  }
}

function cookiesFrom(response: Response): { name: string; value: string }[] {
  return response.headers.getSetCookie().map((line) => {
    const pair = line.split(";")[0]!;
    const at = pair.indexOf("=");
    return { name: pair.slice(0, at), value: pair.slice(at + 1) };
  });
}

export async function signIn(base: string): Promise<Session> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = new Map(cookiesFrom(csrf).map((cookie) => [cookie.name, cookie.value]));
  const form = new URLSearchParams({ csrfToken, email: config.user.email, password: config.user.password, json: "true" });
  const answer = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") },
    body: form,
  });
  await answer.arrayBuffer();
  for (const cookie of cookiesFrom(answer)) jar.set(cookie.name, cookie.value);
  if (![...jar.keys()].some((name) => name.endsWith("next-auth.session-token"))) {
    throw new Error(`sign-in failed (HTTP ${answer.status}): no session cookie was set`);
  }
  // The dashboard shows times in the zone this cookie names; the bench uses a merchant's zone.
  jar.set("payhook_tz", config.timeZone);
  const cookies = [...jar].map(([name, value]) => ({ name, value }));
  return { cookies, header: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ") };
}
