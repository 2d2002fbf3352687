import { expect, keepScreenshot, test } from "./support/fixtures";
import type { Ledger } from "./support/ledger";
import { signInThroughForm } from "./support/sign-in";

// Every dashboard page sends a signed-out visitor to sign-in and, once signed
// in, back to the page asked for. Each run keeps a screenshot of each page.

test.use({ storageState: { cookies: [], origins: [] } });

type Route = {
  name: string;
  /** The path to visit; detail pages need a transaction or delivery this test makes. */
  path: (ledger: Ledger) => Promise<string>;
  heading: RegExp;
};

const ROUTES: Route[] = [
  { name: "overview", path: async () => "/overview", heading: /^Overview$/ },
  { name: "transactions", path: async () => "/transactions?status=succeeded", heading: /^Transactions$/ },
  {
    name: "transaction-detail",
    path: async (ledger) => {
      const sent = await ledger.send("paycools");
      return `/transactions/${(await ledger.transaction(sent)).id}`;
    },
    heading: /^PayCools payment C\d+$/,
  },
  { name: "duplicates", path: async () => "/duplicates", heading: /^Duplicate payments$/ },
  { name: "deliveries", path: async () => "/deliveries", heading: /^Deliveries$/ },
  // Signed in as a viewer, this page only says whom to ask; the admin's view is in users.spec.ts.
  { name: "users", path: async () => "/users", heading: /^Users$/ },
  {
    name: "delivery-detail",
    path: async (ledger) => {
      const sent = await ledger.send("payermax");
      const [deliveryId] = await ledger.deliveryIds((await ledger.transaction(sent)).id);
      return `/deliveries/${deliveryId}`;
    },
    heading: /^PayerMax delivery$/,
  },
];

for (const route of ROUTES) {
  test(`${route.name}: signed out, it asks to sign in and comes back afterwards`, async ({ page, ledger, run }) => {
    const path = await route.path(ledger);
    await page.goto(path);
    await expect(page).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("callbackUrl") === path);
    await expect(page.getByRole("heading", { name: "Sign in to Payhook" })).toBeVisible();
    if (route.name === "overview") await keepScreenshot(page, "sign-in");

    await signInThroughForm(page, run.users.viewer);
    await expect(page).toHaveURL((url) => `${url.pathname}${url.search}` === path);
    await expect(page.getByRole("heading", { level: 1, name: route.heading })).toBeVisible();
    await keepScreenshot(page, `page-${route.name}`);
  });
}
