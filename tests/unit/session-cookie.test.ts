import { encode } from "next-auth/jwt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readSessionToken, secureSessionCookie } from "@/lib/auth/session-cookie";
import { resetEnvCache } from "@/lib/env";

// How a request's session is read (proxy.ts, lib/auth/session.ts) and which
// cookie name sign-in and every reading agree on.

const VARIABLES = ["NEXTAUTH_URL", "VERCEL", "NEXTAUTH_SECRET"] as const;
const SECRET = "a test secret that is long enough for next-auth";
// Some type declarations narrow VERCEL to "1"; these tests set it as any string.
const env = process.env as Record<string, string | undefined>;
const saved = VARIABLES.map((name) => [name, env[name]] as const);

function setEnv(values: Partial<Record<(typeof VARIABLES)[number], string>>): void {
  for (const name of VARIABLES) delete env[name];
  Object.assign(env, { NEXTAUTH_SECRET: SECRET, ...values });
  resetEnvCache();
}

const cookies = (pairs: Record<string, string>) => ({ getAll: () => Object.entries(pairs).map(([name, value]) => ({ name, value })) });
const sealed = (maxAge = 3600, secret = SECRET) => encode({ token: { sub: "user-1", sid: "session-1" }, secret, maxAge });

beforeEach(() => setEnv({}));
afterEach(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  resetEnvCache();
});

describe("secureSessionCookie", () => {
  it.each([
    [{}, false],
    [{ VERCEL: "1" }, true],
    [{ NEXTAUTH_URL: "http://localhost:3000" }, false],
    [{ NEXTAUTH_URL: "http://localhost:3000", VERCEL: "1" }, false],
    [{ NEXTAUTH_URL: "https://payhook.example.com" }, true],
    [{ NEXTAUTH_URL: "HTTPS://PAYHOOK.EXAMPLE.COM" }, true],
    // next-auth reads a URL without a scheme as an https one.
    [{ NEXTAUTH_URL: "payhook.example.com" }, true],
  ])("with %j: %s", (env, secure) => {
    setEnv(env);
    expect(secureSessionCookie()).toBe(secure);
  });
});

describe("readSessionToken", () => {
  it("reads the session from the cookie the rule names", async () => {
    const token = await sealed();
    expect(await readSessionToken(cookies({ "next-auth.session-token": token }))).toMatchObject({ sub: "user-1", sid: "session-1" });
    // A __Secure- cookie is not this site's session when the rule says the cookie is a plain one.
    expect(await readSessionToken(cookies({ "__Secure-next-auth.session-token": token }))).toBeNull();
    setEnv({ NEXTAUTH_URL: "https://payhook.example.com" });
    expect(await readSessionToken(cookies({ "__Secure-next-auth.session-token": token }))).toMatchObject({ sub: "user-1" });
    expect(await readSessionToken(cookies({ "next-auth.session-token": token }))).toBeNull();
  });

  it("joins a session split over several cookies, as next-auth writes a large one", async () => {
    const token = await sealed();
    const middle = Math.floor(token.length / 2);
    const split = cookies({ "next-auth.session-token.1": token.slice(middle), "next-auth.session-token.0": token.slice(0, middle) });
    expect(await readSessionToken(split)).toMatchObject({ sub: "user-1" });
  });

  it("finds no session in an expired token, one sealed with another secret, or none at all", async () => {
    expect(await readSessionToken(cookies({ "next-auth.session-token": await sealed(-60) }))).toBeNull();
    expect(await readSessionToken(cookies({ "next-auth.session-token": await sealed(3600, "another secret, also long enough") }))).toBeNull();
    expect(await readSessionToken(cookies({ "next-auth.session-token": "not a token" }))).toBeNull();
    expect(await readSessionToken(cookies({}))).toBeNull();
  });
});
