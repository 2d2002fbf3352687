import { PrismaPg } from "@prisma/adapter-pg";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { getEnv } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { openPglite } from "./pglite";

export type Db = PrismaClient;

export function createPostgresClient(url: string, poolSize = 10): Db {
  const adapter = new PrismaPg({
    connectionString: url,
    max: poolSize,
    // Fail fast when the server is away, so a webhook answers 503 in seconds, not minutes.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}

export function prismaForPglite(pglite: PGlite): Db {
  return new PrismaClient({ adapter: new PrismaPGlite(pglite) });
}

export async function createPgliteClient(dir: string): Promise<Db> {
  return prismaForPglite(await openPglite(dir));
}

// One client per process. Kept on globalThis because Next may evaluate this
// module more than once (per route bundle, and again on every dev reload), and
// an embedded database folder may be opened by one owner only.
const holder = globalThis as typeof globalThis & { __payhookDb?: Promise<Db> };

export function getDb(): Promise<Db> {
  if (!holder.__payhookDb) {
    const env = getEnv();
    holder.__payhookDb = env.DATABASE_URL
      ? Promise.resolve(createPostgresClient(env.DATABASE_URL, env.DATABASE_POOL_SIZE))
      : createPgliteClient(env.PGLITE_DIR);
    holder.__payhookDb.catch(() => {
      holder.__payhookDb = undefined;
    });
  }
  return holder.__payhookDb;
}
