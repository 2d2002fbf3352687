import type { Browser, Page } from "@playwright/test";
import { expect, keepScreenshot, test } from "./support/fixtures";
import type { Role } from "@/lib/users/user-rules";
import { signInThroughForm } from "./support/sign-in";

// The users page: an admin adds a teammate, changes a role, disables an account
// and sets a new password, each seen from the teammate's own browser. Signed in
// as the run's admin unless a test says otherwise.

const SIGNED_OUT = { cookies: [], origins: [] };

function newcomer(label: string) {
  return { email: `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@e2e.payhook.test`, password: `first ${label} password` };
}

/** The teammate's own browser: a context with no session, signed in through the form. */
async function signedInAs(browser: Browser, credentials: { email: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext({ storageState: SIGNED_OUT })).newPage();
  await page.goto("/sign-in");
  await signInThroughForm(page, credentials);
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByTestId("current-user")).toContainText(credentials.email);
  return page;
}

async function addThroughForm(page: Page, user: { email: string; password: string }, role: Role, name = ""): Promise<void> {
  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email").fill(user.email);
  if (name) await form.getByLabel(/^Name/).fill(name);
  await form.getByLabel("Role").selectOption(role);
  await form.getByLabel("First password").fill(user.password);
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByRole("status")).toHaveText(new RegExp(`^Added ${user.email} as (a viewer|an admin)\\.`));
}

const row = (page: Page, email: string) => page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: email }) });

test("an admin adds a teammate, who signs in; a new role applies at once, and both changes are on record", async ({ page, browser, run }) => {
  const teammate = newcomer("teammate");
  await page.goto("/users");
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  await addThroughForm(page, teammate, "viewer", "Tia Teammate");
  await expect(row(page, teammate.email)).toContainText("Tia Teammate");
  await expect(row(page, teammate.email)).toContainText("Active");
  await keepScreenshot(page, "users");

  const theirs = await signedInAs(browser, teammate);
  await expect(theirs.getByTestId("current-user")).toContainText("viewer");
  await expect(theirs.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);

  await row(page, teammate.email).getByLabel(`Role for ${teammate.email}`).selectOption("admin");
  await row(page, teammate.email).getByRole("button", { name: `Change the role of ${teammate.email}` }).click();
  await expect(row(page, teammate.email).getByRole("status")).toHaveText(`${teammate.email} is now an admin.`);

  // The same session, no new sign-in: the role is read from the database on every request.
  await theirs.reload();
  await expect(theirs.getByTestId("current-user")).toContainText("admin");
  await expect(theirs.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toBeVisible();
  await theirs.context().close();

  // Both changes are in the page's history, with who made them (the list is refreshed by the action).
  const history = page.getByRole("table", { name: "Account changes, newest first" });
  const entries = history.getByTestId("user-change").filter({ hasText: teammate.email });
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toContainText("Made an admin");
  await expect(entries.nth(1)).toContainText("Added as a viewer");
  await expect(entries.nth(0)).toContainText(run.users.admin.email);
});

test("the same email twice is refused with a message that says where to look", async ({ page }) => {
  const taken = newcomer("taken");
  await page.goto("/users");
  await addThroughForm(page, taken, "viewer");
  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email").fill(taken.email.toUpperCase());
  await form.getByLabel("First password").fill("another long password");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByRole("alert")).toHaveText(`${taken.email} has an account already: find it in the list below.`);
  await expect(page.getByRole("rowheader", { name: taken.email })).toHaveCount(1);
});

test("disabling signs the teammate out and keeps them out until enabled; a new password ends their sessions", async ({ page, browser }) => {
  const teammate = newcomer("leaver");
  await page.goto("/users");
  await addThroughForm(page, teammate, "viewer");
  const theirs = await signedInAs(browser, teammate);

  // Disabling asks first.
  page.once("dialog", (dialog) => dialog.accept());
  await row(page, teammate.email).getByRole("button", { name: `Disable ${teammate.email}` }).click();
  await expect(row(page, teammate.email).getByRole("status")).toHaveText(`Disabled ${teammate.email}: signed out everywhere, and cannot sign in.`);
  await expect(row(page, teammate.email)).toContainText("Disabled");

  // The session cookie is still in their browser, but it opens nothing.
  await theirs.goto("/transactions?status=failed");
  // Back to the page they asked for once they sign in again, not to the overview.
  await expect(theirs).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("callbackUrl") === "/transactions?status=failed");
  expect((await theirs.request.get("/api/transactions")).status()).toBe(401);
  await signInThroughForm(theirs, teammate);
  await expect(theirs.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();

  await row(page, teammate.email).getByRole("button", { name: `Enable ${teammate.email}` }).click();
  await expect(row(page, teammate.email).getByRole("status")).toHaveText(`Enabled ${teammate.email}: they can sign in again.`);
  await signInThroughForm(theirs, teammate);
  await expect(theirs).not.toHaveURL(/\/sign-in/);
  await expect(theirs.getByTestId("current-user")).toContainText(teammate.email);

  const next = "a brand new password";
  await row(page, teammate.email).getByText("Set a new password").click();
  await row(page, teammate.email).getByLabel(`New password for ${teammate.email}`).fill(next);
  await row(page, teammate.email).getByRole("button", { name: "Set password" }).click();
  await expect(row(page, teammate.email).getByRole("status").filter({ hasText: /^Set a new password for / })).toContainText("signed them out everywhere");

  await theirs.goto("/overview");
  await expect(theirs).toHaveURL(/\/sign-in\?callbackUrl=/);
  await signInThroughForm(theirs, teammate);
  await expect(theirs.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await signInThroughForm(theirs, { email: teammate.email, password: next });
  await expect(theirs).toHaveURL(/\/overview$/);
  await theirs.context().close();
});

test("an admin cannot change their own account from the page", async ({ page, run }) => {
  await page.goto("/users");
  const own = row(page, run.users.admin.email);
  await expect(own).toContainText("(you)");
  await expect(own).toContainText("Your own account");
  await expect(own.getByRole("button")).toHaveCount(0);
});

test("a viewer is told to ask an admin and sees neither the accounts nor the forms", async ({ pageAs, run }) => {
  const page = await pageAs("viewer");
  await page.goto("/overview");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
  await page.goto("/users");
  await expect(page.getByRole("note")).toContainText("Only an admin can manage users.");
  await expect(page.getByRole("note")).toContainText(run.users.admin.email);
  await expect(page.getByRole("button", { name: "Add user" })).toHaveCount(0);
  await expect(page.getByRole("table")).toHaveCount(0);
  // A viewer's account is not among the admins named.
  await expect(page.getByText(run.users.throttled.email)).toHaveCount(0);
});
