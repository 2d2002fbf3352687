import { expect, keepScreenshot, test } from "./support/fixtures";
import { signInThroughForm } from "./support/sign-in";

// The sign-in form itself, and sign-out. Failed sign-ins are counted per account
// and per client address (the first X-Forwarded-For address, as the proxy in
// front of the app reports it). Every browser here connects from 127.0.0.1, so
// each test that fails on purpose presents itself as a client of its own with an
// RFC 5737 documentation address: one test's failures never lock out another,
// and the server keeps the production limit.

test.use({ storageState: { cookies: [], origins: [] } });

test.describe("a wrong password", () => {
  test.use({ extraHTTPHeaders: { "x-forwarded-for": "203.0.113.11" } });

  test("shows the error and stays on the sign-in page", async ({ page, run, signInSubjects }) => {
    signInSubjects.push(`email:${run.users.admin.email}`, "ip:203.0.113.11");
    await page.goto("/sign-in");
    await signInThroughForm(page, { email: run.users.admin.email, password: "not the password" });
    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByLabel("Password")).toBeVisible();
    await keepScreenshot(page, "sign-in-wrong-password");
  });
});

test.describe("repeated failures", () => {
  test.use({ extraHTTPHeaders: { "x-forwarded-for": "203.0.113.12" } });

  test("make the account wait, even with the right password", async ({ page, run, signInSubjects }) => {
    const account = run.users.throttled;
    signInSubjects.push(`email:${account.email}`, "ip:203.0.113.12");
    await page.goto("/sign-in");
    for (let attempt = 1; attempt <= run.signIn.maxFailures; attempt++) {
      await signInThroughForm(page, { email: account.email, password: `wrong password ${attempt}` });
      await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
      // The button is busy while a try is under way; the next one starts when it is free again.
      await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    }
    await signInThroughForm(page, account);
    await expect(page.getByRole("alert").filter({ hasText: /Too many failed sign-ins\. Wait \d+ minutes? and try again\./ })).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in/);
    await keepScreenshot(page, "sign-in-throttled");
  });
});

test("signing in lands on the overview", async ({ page, run }) => {
  await page.goto("/sign-in");
  await signInThroughForm(page, run.users.admin);
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page.getByTestId("current-user")).toContainText(run.users.admin.email);
  await keepScreenshot(page, "overview");
});

test("an API route answers 401 JSON when signed out", async ({ playwright, run }) => {
  const request = await playwright.request.newContext({ baseURL: run.baseURL, storageState: { cookies: [], origins: [] } });
  try {
    const response = await request.get("/api/transactions", { maxRedirects: 0 });
    expect(response.status()).toBe(401);
    expect(response.headers()["content-type"]).toContain("application/json");
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    expect(body.error?.code).toBe("unauthenticated");
    expect(body.error?.message).toBeTruthy();
  } finally {
    await request.dispose();
  }
});

test("signing out ends the session", async ({ page, playwright, run }) => {
  await page.goto("/sign-in?callbackUrl=%2Ftransactions");
  await signInThroughForm(page, run.users.viewer);
  await expect(page).toHaveURL(/\/transactions$/);
  const sessionCookie = (await page.context().cookies()).find((cookie) => cookie.name.endsWith("next-auth.session-token"));
  expect(sessionCookie, "signing in should set the session cookie").toBeTruthy();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();

  await page.goto("/transactions");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Ftransactions$/);
  const session = await page.request.get("/api/auth/session");
  expect(await session.json()).toEqual({});

  // A copy of the cookie taken before signing out opens nothing either.
  const copy = await playwright.request.newContext({ baseURL: run.baseURL, storageState: { cookies: [sessionCookie!], origins: [] } });
  try {
    expect((await copy.get("/api/transactions")).status()).toBe(401);
  } finally {
    await copy.dispose();
  }
});

test("a sign-in link cannot send the user to another site", async ({ page, run }) => {
  // %09 is a tab: the browser drops it, and "/\t/evil.example" would become "//evil.example".
  await page.goto("/sign-in?callbackUrl=%2F%09%2Fevil.example%2Fphish");
  await signInThroughForm(page, run.users.viewer);
  await expect(page).toHaveURL((url) => url.origin === run.baseURL.replace(/\/$/, "") && url.pathname === "/overview");
  // Signed in already, the sign-in page redirects on the server: the same rule holds there.
  await page.goto("/sign-in?callbackUrl=%2F%5Cevil.example");
  await expect(page).toHaveURL((url) => url.origin === run.baseURL.replace(/\/$/, "") && url.pathname === "/overview");
  // A dot segment collapses when the path is normalised: "/.//evil.example" would become "//evil.example".
  await page.goto("/sign-in?callbackUrl=%2F.%2F%2Fevil.example");
  await expect(page).toHaveURL((url) => url.origin === run.baseURL.replace(/\/$/, "") && url.pathname === "/overview");
});
