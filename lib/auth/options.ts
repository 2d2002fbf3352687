import { randomUUID } from "node:crypto";
import type { NextAuthOptions } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { getEnv } from "@/lib/env";
import { verifyAgainstNothing, verifyPassword } from "@/lib/users/password";
import { isSessionRevoked, revokeSession } from "./revoked-sessions";
import { secureSessionCookie } from "./session-cookie";
import { beginSignInAttempt, endSuccessfulSignIn, throttleSubjects } from "./throttle-sign-in";

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

function clientIp(headers: Record<string, unknown> | undefined): string | null {
  const forwarded = headers?.["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
  const real = headers?.["x-real-ip"];
  return first || (typeof real === "string" ? real : null);
}

export function getAuthOptions(): NextAuthOptions {
  return {
    secret: getEnv().NEXTAUTH_SECRET,
    useSecureCookies: secureSessionCookie(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      Credentials({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const email = credentials?.email?.trim().toLowerCase() ?? "";
          const password = credentials?.password ?? "";
          if (!email || !password) throw new Error("Enter your email and password.");
          const db = await getDb();
          const subjects = throttleSubjects(email, clientIp(req.headers));
          // Counted as a failure until the password proves right.
          const attempt = await beginSignInAttempt(db, subjects);
          if (attempt.wait > 0) {
            throw new Error(`Too many failed sign-ins. Wait ${attempt.wait} minute${attempt.wait === 1 ? "" : "s"} and try again.`);
          }
          const user = await db.user.findUnique({ where: { email } });
          const valid = user && !user.disabledAt ? await verifyPassword(password, user.passwordHash) : await verifyAgainstNothing(password);
          if (!user || !valid) throw new Error("Wrong email or password.");
          await endSuccessfulSignIn(db, email, attempt);
          // No role: it would be frozen into the token at sign-in. The role is read from the database on every request.
          return { id: user.id, email: user.email, name: user.name ?? user.email };
        },
      }),
    ],
    callbacks: {
      // Runs on sign-in (with `user`) and when next-auth itself reads the session (/api/auth/session). Pages, APIs
      // and actions check the session in lib/auth/session.ts instead, in one statement with the account.
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sid = randomUUID();
          // When this session began: an admin setting a new password or disabling the account ends the sessions before it.
          token.signedInAt = Date.now();
          return token;
        }
        // Signed out (or from before session ids existed): the token stays readable but names nobody.
        if (typeof token.sid !== "string") return {};
        let revoked: boolean;
        try {
          revoked = await isSessionRevoked(await getDb(), token.sid);
        } catch (error) {
          // The database is away. Nothing is served meanwhile: every page, API and action reads the user from
          // it and fails (a 503), so the token is left as it is rather than signing everyone out. Any other
          // failure (say, migrations not applied) propagates, and next-auth then treats the session as absent.
          if (isDatabaseUnavailable(error)) return token;
          throw error;
        }
        return revoked ? {} : token;
      },
      session({ session, token }) {
        if (!token.sub) return { expires: session.expires };
        if (session.user) {
          (session.user as { id?: string }).id = token.sub;
          (session.user as { signedInAt?: unknown }).signedInAt = token.signedInAt;
        }
        return session;
      },
    },
    events: {
      // next-auth logs a failure here and signs the browser out anyway; the token then lives until it expires.
      async signOut({ token }) {
        if (typeof token?.sid !== "string") return;
        const expiresAt = typeof token.exp === "number" ? new Date(token.exp * 1000) : new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
        await revokeSession(await getDb(), token.sid, expiresAt);
      },
    },
  };
}
