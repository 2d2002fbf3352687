import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext } from "@playwright/test";
import { concreteUrls } from "../lib/access-matrix";
import { listAppRoutes } from "../lib/app-routes";
import { signIn } from "../lib/auth-http";
import { signFor } from "@/lib/simulator/sign";
import { createHttpClient } from "../lib/http";
import { PROVIDERS } from "../lib/keys";
import { deliver, makeNotification, uniqueId } from "../lib/notifications";
import type { PhaseResult, RunContext } from "../lib/run-context";

// The pages in a real browser, under the Content-Security-Policy they are
// served with: no violation, no script error, and React actually hydrated.
// Payload text made of HTML and script must come out as text.

const SYSTEM_CHROMIUM = "/usr/bin/chromium";
const XSS = {
  remark: `<img src=x onerror="window.__pwned='img'"><script>window.__pwned='script'</script>`,
  order: `<svg onload="window.__pwned='svg'">`,
};

type Probe = { violations: string[]; errors: string[]; hydrated: boolean; pwned: unknown; injected: number; landedOn: string; showsText: boolean };

/** Visits `url`; `text` is what the page must show as text (the payload's markup, escaped), if anything. */
async function visit(context: BrowserContext, url: string, text = ""): Promise<Probe> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text().slice(0, 200));
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message.slice(0, 200)}`));
  await page.goto(url, { waitUntil: "networkidle", timeout: 30_000 });
  // React marks the DOM nodes it has hydrated; with every script blocked, none ever is.
  const hydrated = await page
    .waitForFunction(() => [...document.querySelectorAll("body *")].some((el) => Object.keys(el).some((key) => key.startsWith("__reactFiber$"))), undefined, { timeout: 15_000 })
    .then(() => true, () => false);
  const probe = await page.evaluate((needle) => {
    const w = window as unknown as { __csp?: string[]; __pwned?: unknown };
    return {
      violations: w.__csp ?? [],
      pwned: w.__pwned,
      injected: document.querySelectorAll('img[src="x"], svg[onload]').length,
      showsText: document.body.innerText.includes(needle),
    };
  }, text);
  const landedOn = new URL(page.url()).pathname;
  await page.close();
  return { ...probe, hydrated, errors, landedOn };
}

export async function runBrowser(ctx: RunContext): Promise<PhaseResult> {
  const started = Date.now();
  const failures: string[] = [];
  const client = createHttpClient(ctx.server.baseURL, 2);
  // A genuine notification whose text is HTML and script: it must render as text.
  const order = `${uniqueId("XS")}${XSS.order}`;
  const n = makeNotification("paycools", ctx.keys.providers.paycools.privateKey, { orderId: order });
  const param = JSON.parse(JSON.parse(n.signed.body.toString("utf8")).param as string) as Record<string, unknown>;
  n.signed = signFor("paycools", { ...param, remark: XSS.remark }, ctx.keys.providers.paycools.privateKey);
  if ((await deliver(client, n, "xss")).status !== 200) failures.push("the notification carrying HTML was not acknowledged");
  const admin = await signIn(client, ctx.users.admin);
  client.close();
  const { rows: [tx] } = await ctx.database.pool.query<{ id: string }>("SELECT id FROM transactions WHERE provider_transaction_id = $1", [n.providerTransactionId]);
  const { rows: [delivery] } = await ctx.database.pool.query<{ id: string }>("SELECT id FROM deliveries WHERE transaction_id = $1 LIMIT 1", [tx!.id]);

  const profile = mkdtempSync(path.join(tmpdir(), "payhook-reliability-chromium-"));
  let browser: Browser | undefined;
  let pages = 0;
  try {
    browser = await chromium.launch({
      ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
      env: { ...process.env, XDG_CONFIG_HOME: path.join(profile, "config"), XDG_CACHE_HOME: path.join(profile, "cache") },
    });
    const contexts: [string, BrowserContext][] = [];
    for (const role of ["admin", "signed-out"] as const) {
      // A zone other than UTC, so the time zone picker's effect shows that scripts ran.
      const context = await browser.newContext({ timezoneId: "Asia/Jakarta", locale: "en-US" });
      await context.addInitScript(() => {
        const w = window as unknown as { __csp: string[] };
        w.__csp = [];
        document.addEventListener("securitypolicyviolation", (event) => w.__csp.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`));
      });
      if (role === "admin") await context.addCookies([{ name: "next-auth.session-token", value: admin.jar.get("next-auth.session-token")!, url: ctx.server.baseURL }]);
      contexts.push([role, context]);
    }
    const data = { transactionId: tx!.id, deliveryId: delivery!.id, providers: PROVIDERS };
    const urls = listAppRoutes(ctx.root)
      .filter((route) => route.kind === "page")
      .flatMap((route) => concreteUrls(route, data));
    const visits: [string, string][] = [
      ...urls.map((url): [string, string] => ["admin", url]),
      ["admin", `/transactions?q=${encodeURIComponent(order)}`],
      ["admin", "/no-such-page"],
      ["signed-out", "/sign-in"],
      ["signed-out", "/overview"],
    ];
    for (const [role, url] of visits) {
      const context = contexts.find(([name]) => name === role)![1];
      // The pages that list this order must show its markup as text: an empty page would pass every other check.
      const showsOrder = role === "admin" && (url.startsWith(`/transactions/${tx!.id}`) || url.startsWith("/transactions?q="));
      const probe = await visit(context, `${ctx.server.baseURL}${url}`, showsOrder ? order : "");
      pages++;
      const where = `${role} ${url}`;
      for (const violation of probe.violations) failures.push(`${where}: Content-Security-Policy violation: ${violation}`);
      // A 404 page is itself answered 404, which Chromium logs as a failed load.
      const expected = (error: string) => url === "/no-such-page" && /status of 404/.test(error);
      for (const error of probe.errors.filter((error) => !expected(error))) failures.push(`${where}: console error: ${error}`);
      if (!probe.hydrated) failures.push(`${where}: React did not hydrate (no scripts ran?)`);
      // A signed-in visit that ended on the sign-in page checked the sign-in page, not the one named.
      if (role !== "signed-out" && probe.landedOn === "/sign-in") failures.push(`${where}: landed on /sign-in: the session was not accepted`);
      if (showsOrder && !probe.showsText) failures.push(`${where}: does not show the order id ${JSON.stringify(order)} as text`);
      if (probe.pwned !== undefined || probe.injected > 0) failures.push(`${where}: payload markup ran or was inserted as HTML (${String(probe.pwned)}, ${probe.injected} elements)`);
    }
  } finally {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return {
    name: "browser",
    seconds: (Date.now() - started) / 1000,
    figures: [],
    notes: [`browser: ${pages} page loads in Chromium under the served CSP (every page from app/, a search, a 404, sign-in): violations, console errors and hydration checked; a notification whose remark and order id are HTML/script rendered as text on each`],
    failures,
  };
}
