import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { RUN_DIR_VARIABLE, storageStatePath } from "./support/run-info";

// The browser suite runs against a production build (`next build` + `next start`)
// that scripts/e2e-server.ts prepares with its own port, build folder, database,
// keys and users. `npm run test:e2e` runs it, build included.

const root = path.resolve(import.meta.dirname, "../..");

// This file is evaluated by the runner first and again by every worker: the run
// folder is made once, by the runner, and reaches the server and the workers
// through the environment they inherit.
if (!process.env[RUN_DIR_VARIABLE]) {
  const created = mkdtempSync(path.join(tmpdir(), "payhook-e2e-"));
  process.env[RUN_DIR_VARIABLE] = created;
  // The server deletes it when it stops; this covers runs where it never started.
  process.on("exit", () => rmSync(created, { recursive: true, force: true }));
}
const runDir = process.env[RUN_DIR_VARIABLE];
const port = Number(process.env.E2E_PORT || 3210);
const baseURL = `http://localhost:${port}`;

// Chromium writes its profile caches under XDG folders; keep them in the run folder.
const xdg = { XDG_CONFIG_HOME: path.join(runDir, "xdg-config"), XDG_CACHE_HOME: path.join(runDir, "xdg-cache") };
for (const dir of Object.values(xdg)) mkdirSync(dir, { recursive: true });

// Debian's Chromium where it is installed (CI and machines that cannot download
// browsers), else the Chromium Playwright manages.
const SYSTEM_CHROMIUM = "/usr/bin/chromium";

const inheritedEnv = Object.fromEntries(
  Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
);

export default defineConfig({
  testDir: ".",
  outputDir: path.join(root, "test-results", "e2e"),
  timeout: 45_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: Number(process.env.E2E_WORKERS || 2),
  fullyParallel: false,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "en-US",
    timezoneId: "UTC",
    viewport: { width: 1280, height: 900 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        // Only the app is reachable: no lookups of Google's hosts from a test browser.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
      ],
      env: { ...inheritedEnv, ...xdg },
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts$/ },
    {
      name: "chromium",
      testMatch: /.*\.spec\.ts$/,
      dependencies: ["setup"],
      use: { storageState: storageStatePath("admin") },
    },
  ],
  webServer: {
    command: "node --import tsx scripts/e2e-server.ts",
    cwd: root,
    url: `${baseURL}/api/health`,
    env: { [RUN_DIR_VARIABLE]: runDir, E2E_PORT: String(port) },
    // The build is part of the start-up.
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    // SIGTERM lets the server drop its database and delete the run folder.
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
  },
});
