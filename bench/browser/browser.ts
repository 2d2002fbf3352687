import { gzipSync } from "node:zlib";
import { chromium, type Browser } from "@playwright/test";
import { median } from "../lib/stats";
import type { Session } from "../lib/session";

// The transactions page in Chromium against the warm production server:
// every script it loads (gzip size, as `next start` compresses them), and the
// time from navigation to the table's first row on screen and to that row
// being hydrated (React attached: sorting and paging respond). Each run opens a
// fresh browser context, so the browser cache is cold and the server warm.

export type BrowserResult = {
  scripts: { url: string; bytes: number; gzipBytes: number }[];
  jsBytes: number;
  jsGzipBytes: number;
  firstRowMs: number[];
  hydratedMs: number[];
  firstRowMedian: number;
  hydratedMedian: number;
};

const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

async function visit(browser: Browser, base: string, session: Session, record?: Map<string, Buffer>): Promise<{ firstRow: number; hydrated: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const host = new URL(base).hostname;
  await context.addCookies(session.cookies.map((cookie) => ({ ...cookie, domain: host, path: "/" })));
  const page = await context.newPage();
  const pending: Promise<void>[] = [];
  if (record) {
    page.on("response", (response) => {
      if (response.request().resourceType() !== "script") return;
      pending.push(
        response.body().then(
          (body) => void record.set(response.url(), body),
          () => undefined,
        ),
      );
    });
  }
  try {
    const started = performance.now();
    await page.goto(`${base}/transactions`, { waitUntil: "commit", timeout: 30_000 });
    const row = page.locator("table tbody tr").first();
    await row.waitFor({ state: "visible", timeout: 30_000 });
    const firstRow = performance.now() - started;
    await page.waitForFunction(
      () => {
        const element = document.querySelector("table tbody tr");
        return element !== null && Object.keys(element).some((key) => key.startsWith("__reactFiber"));
      },
      undefined,
      { timeout: 30_000, polling: 10 },
    );
    const hydrated = performance.now() - started;
    if (record) {
      await page.waitForLoadState("networkidle", { timeout: 30_000 }).catch(() => undefined);
      await Promise.all(pending);
    }
    return { firstRow, hydrated };
  } finally {
    await context.close();
  }
}

export async function benchBrowser(base: string, session: Session, executablePath: string, runs: number): Promise<BrowserResult> {
  const browser = await chromium.launch({ executablePath, args: ARGS, headless: true });
  try {
    const scripts = new Map<string, Buffer>();
    // The first visit warms the server's render path and records the scripts.
    await visit(browser, base, session, scripts);
    const firstRowMs: number[] = [];
    const hydratedMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { firstRow, hydrated } = await visit(browser, base, session);
      firstRowMs.push(firstRow);
      hydratedMs.push(hydrated);
    }
    const list = [...scripts].map(([url, body]) => ({ url: new URL(url).pathname, bytes: body.length, gzipBytes: gzipSync(body).length }));
    list.sort((a, b) => b.gzipBytes - a.gzipBytes);
    return {
      scripts: list,
      jsBytes: list.reduce((sum, script) => sum + script.bytes, 0),
      jsGzipBytes: list.reduce((sum, script) => sum + script.gzipBytes, 0),
      firstRowMs,
      hydratedMs,
      firstRowMedian: median(firstRowMs),
      hydratedMedian: median(hydratedMs),
    };
  } finally {
    await browser.close();
  }
}
