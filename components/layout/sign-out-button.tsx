"use client";

import type { FormEvent } from "react";

// A plain form POST to next-auth's sign-out endpoint, so the dashboard's pages
// do not ship next-auth's browser client for one button. next-auth checks the
// CSRF token, clears the session cookie, runs events.signOut (which revokes
// the session, lib/auth/options.ts) and redirects to callbackUrl. The token is
// fetched when the button is pressed, as next-auth's own client does: the
// CSRF cookie is a browser-session cookie and may be gone while the session
// cookie is not.

async function submitWithCsrfToken(event: FormEvent<HTMLFormElement>) {
  event.preventDefault();
  const form = event.currentTarget;
  const token = form.elements.namedItem("csrfToken") as HTMLInputElement;
  try {
    const answer = await fetch("/api/auth/csrf", { cache: "no-store" });
    token.value = ((await answer.json()) as { csrfToken?: string }).csrfToken ?? "";
  } catch {
    // Without a token next-auth answers with its own sign-out confirmation page, which still signs out.
  }
  form.submit();
}

export function SignOutButton() {
  return (
    <form method="post" action="/api/auth/signout" onSubmit={submitWithCsrfToken}>
      <input type="hidden" name="csrfToken" defaultValue="" />
      <input type="hidden" name="callbackUrl" value="/sign-in" />
      <button
        type="submit"
        className="rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus:outline-none focus:ring-2 focus:ring-indigo-300"
      >
        Sign out
      </button>
    </form>
  );
}
