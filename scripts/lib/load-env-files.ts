import { createRequire } from "node:module";
import { getEnv, resetEnvCache } from "@/lib/env";

/**
 * Loads the env files the way Next does (`.env*.local` over `.env*`, the real
 * environment over both), quietly: Next lists them itself when it starts. Every
 * script calls this first, so it reads the same configuration as the app.
 */
export function loadEnvFiles(root = process.cwd()): void {
  // @next/env is a bundled CommonJS file whose named exports Node's ESM loader cannot see.
  const { loadEnvConfig } = createRequire(import.meta.url)("@next/env") as typeof import("@next/env");
  const dev = getEnv().NODE_ENV !== "production";
  loadEnvConfig(root, dev, { info: () => {}, error: (...args: unknown[]) => console.error(...args) });
  resetEnvCache();
}
