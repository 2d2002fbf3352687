import path from "node:path";
import { test as base, type BrowserContext, type Page } from "@playwright/test";
import { deleteTestData } from "./cleanup";
import { Ledger } from "./ledger";
import { readRunInfo, storageStatePath, type E2eRole, type RunInfo } from "./run-info";

export { expect } from "@playwright/test";

const SIGNED_OUT = { cookies: [], origins: [] };

type Fixtures = {
  /** Sends this test's notifications; removes their rows afterwards where the database is reachable. */
  ledger: Ledger;
  /** A page in a context of its own, signed in as `role`, beside the test's own page; closed after the test. */
  pageAs: (role: E2eRole) => Promise<Page>;
  /** Throttle subjects ("email:…", "ip:…") a test fails sign-ins with, removed afterwards where reachable. */
  signInSubjects: string[];
};

type WorkerFixtures = { run: RunInfo };

export const test = base.extend<Fixtures, WorkerFixtures>({
  run: [async ({}, use) => use(readRunInfo()), { scope: "worker" }],

  ledger: async ({ playwright, run }, use) => {
    // The provider is not signed in: its context carries no session.
    const webhook = await playwright.request.newContext({ baseURL: run.baseURL, storageState: SIGNED_OUT });
    const admin = await playwright.request.newContext({ baseURL: run.baseURL, storageState: storageStatePath("admin") });
    const ledger = new Ledger(webhook, admin, run);
    await use(ledger);
    await webhook.dispose();
    await admin.dispose();
    if (run.databaseUrl) await deleteTestData(run.databaseUrl, ledger.orders);
  },

  signInSubjects: async ({ run }, use) => {
    const subjects: string[] = [];
    await use(subjects);
    if (run.databaseUrl && subjects.length > 0) await deleteTestData(run.databaseUrl, new Map(), subjects);
  },

  pageAs: async ({ browser }, use) => {
    const opened: BrowserContext[] = [];
    await use(async (role) => {
      const context = await browser.newContext({ storageState: storageStatePath(role) });
      opened.push(context);
      return context.newPage();
    });
    for (const context of opened) await context.close();
  },
});

/** Keeps a full-page screenshot of what the page shows, in test-results/e2e/pages/, and attaches it to the test. */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  const info = test.info();
  const file = path.join(info.project.outputDir, "pages", `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await info.attach(name, { path: file, contentType: "image/png" });
}
