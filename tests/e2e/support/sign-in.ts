import { expect, type APIRequestContext, type Page } from "@playwright/test";
import type { Credentials } from "./run-info";

/**
 * Signs in the way next-auth's own client does, over HTTP: a CSRF token (and its
 * cookie), then the credentials form-encoded. For tests whose subject is not the
 * sign-in form; the request context keeps the session cookie.
 */
export async function signInOverHttp(request: APIRequestContext, { email, password }: Credentials): Promise<void> {
  const csrf = await request.get("/api/auth/csrf");
  expect(csrf.status()).toBe(200);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, callbackUrl: "/overview", json: "true" },
    maxRedirects: 0,
  });
  expect(response.status(), await response.text()).toBe(200);
  const session = (await (await request.get("/api/auth/session")).json()) as { user?: { email?: string } };
  expect(session.user?.email, "the session cookie should name the user who signed in").toBe(email);
}

/** Signs in through the form on /sign-in, as a person does; the page must already show it. */
export async function signInThroughForm(page: Page, { email, password }: Credentials): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
