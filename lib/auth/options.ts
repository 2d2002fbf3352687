import type { NextAuthOptions } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { verifyAgainstNothing, verifyPassword } from "@/lib/users/password";
import { clearFailedSignIns, recordFailedSignIn, signInWaitMinutes, throttleSubjects } from "./throttle-sign-in";

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
          const wait = await signInWaitMinutes(db, subjects);
          if (wait > 0) {
            throw new Error(`Too many failed sign-ins. Wait ${wait} minute${wait === 1 ? "" : "s"} and try again.`);
          }
          const user = await db.user.findUnique({ where: { email } });
          const valid = user && !user.disabledAt ? await verifyPassword(password, user.passwordHash) : await verifyAgainstNothing(password);
          if (!user || !valid) {
            await recordFailedSignIn(db, subjects);
            throw new Error("Wrong email or password.");
          }
          await clearFailedSignIns(db, email);
          return { id: user.id, email: user.email, name: user.name ?? user.email, role: user.role };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.role = (user as { role?: string }).role;
        }
        return token;
      },
      session({ session, token }) {
        if (session.user) {
          (session.user as { id?: string }).id = token.sub;
          (session.user as { role?: unknown }).role = token.role;
        }
        return session;
      },
    },
  };
}
