import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { keepingBuildRewrites } from "../../scripts/lib/build-rewrites";
import { config } from "./config";
import { start, waitForExit, waitForHttp, type Started } from "./processes";

// The production build of the app and its server, and the baseline server.

const nextBin = path.join(path.dirname(createRequire(import.meta.url).resolve("next/package.json")), "dist", "bin", "next");
const SESSION_SECRET = randomBytes(32).toString("base64url");

export type Server = { base: string; process: Started };

export async function buildApp(): Promise<void> {
  // `next build` with a custom distDir rewrites tsconfig.json and next-env.d.ts; the bench puts them back.
  await keepingBuildRewrites(async () => {
    const build = start("next-build", process.execPath, [nextBin, "build"], {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: config.distDir,
      NEXT_TELEMETRY_DISABLED: "1",
    });
    const code = await waitForExit(build, 12 * 60 * 1000);
    if (code !== 0) throw new Error(`next build failed with exit code ${code}: see ${build.log}`);
  });
}

// The Next floor (bench/next-floor): one route handler around the baseline's work, built in its own folder.
const NEXT_FLOOR_DIR = path.join("bench", "next-floor");

/** Builds the floor; bench/next-floor-variants.ts passes its variants' folders and build arguments. */
export async function buildNextFloor(dir = NEXT_FLOOR_DIR, buildArgs: string[] = []): Promise<void> {
  const build = start("next-floor-build", process.execPath, [nextBin, "build", dir, ...buildArgs], {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
  });
  const code = await waitForExit(build, 5 * 60 * 1000);
  if (code !== 0) throw new Error(`next build of the Next floor (${dir}) failed with exit code ${code}: see ${build.log}`);
}

/** `dir`: the floor's build to start; bench/next-floor-variants.ts passes its variants'. */
export async function startNextFloor(databaseUrl: string, keyEnv: Record<string, string>, dir = NEXT_FLOOR_DIR): Promise<Server> {
  const port = config.nextFloorPort;
  return startBaselineWork("next-floor", port, [nextBin, "start", dir, "--port", String(port), "--hostname", "127.0.0.1"], databaseUrl, keyEnv);
}

/** A server carrying the baseline's work (bench/lib/baseline-work.ts), with the variables it reads, once it answers. */
async function startBaselineWork(name: string, port: number, args: string[], databaseUrl: string, keyEnv: Record<string, string>): Promise<Server> {
  const base = `http://127.0.0.1:${port}`;
  const server = start(name, process.execPath, args, {
    ...process.env,
    ...keyEnv,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    POOL_SIZE: String(config.poolSize),
  });
  // Any answer means it is listening (the Next floor's is a 404: it has no route at /).
  await waitForHttp(`${base}/`, server);
  return { base, process: server };
}

/** `nodeArgs` go to the server's node (e.g. --cpu-prof when profiling it). */
export async function startApp(databaseUrl: string, keyEnv: Record<string, string>, nodeArgs: string[] = []): Promise<Server> {
  const port = config.appPort;
  const base = `http://127.0.0.1:${port}`;
  // BENCH_APP_WORKERS > 1: that many `next start` processes on one port (bench/lib/cluster-start.cjs).
  const cluster = config.appWorkers > 1 ? [path.join("bench", "lib", "cluster-start.cjs")] : [];
  const server = start("next-start", process.execPath, [...nodeArgs, ...cluster, nextBin, "start", "--port", String(port), "--hostname", "127.0.0.1"], {
    ...process.env,
    ...keyEnv,
    NODE_ENV: "production",
    NEXT_DIST_DIR: config.distDir,
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: String(config.poolSize),
    NEXTAUTH_SECRET: SESSION_SECRET,
    NEXTAUTH_URL: base,
  });
  await waitForHttp(`${base}/api/health`, server);
  return { base, process: server };
}

export async function startBaseline(databaseUrl: string, keyEnv: Record<string, string>, nodeArgs: string[] = []): Promise<Server> {
  return startBaselineWork("baseline", config.baselinePort, [...nodeArgs, "--import", "tsx", path.join("bench", "baseline-server.ts")], databaseUrl, keyEnv);
}
