import { z } from "zod";

// The one place that reads process.env. Parsed once, on first use, so that a
// missing or malformed variable is reported by name with what to do about it.

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() !== "" ? value.trim() : undefined));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number({ error: "PORT must be a whole number" }).int().min(1).max(65535).default(3000),
  DATABASE_URL: optionalString.refine(
    (value) => value === undefined || /^postgres(ql)?:\/\//.test(value),
    "DATABASE_URL must be a postgresql:// URL; leave it unset to use the embedded database",
  ),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  DATABASE_QUERY_TIMEOUT_MS: z.coerce
    .number({ error: "DATABASE_QUERY_TIMEOUT_MS must be a whole number of milliseconds" })
    .int()
    .min(1_000, "DATABASE_QUERY_TIMEOUT_MS must be at least 1000: shorter would cut off the dashboard's ordinary queries")
    .max(600_000)
    .default(5_000),
  DATABASE_PREPARED_STATEMENTS: z
    .enum(["true", "false"], {
      error: "DATABASE_PREPARED_STATEMENTS must be true or false (false behind a connection pooler that cannot keep prepared statements)",
    })
    .default("true")
    .transform((value) => value === "true"),
  PGLITE_DIR: z.string().default(".data/pglite"),
  PAYCOOLS_PUBLIC_KEY: optionalString,
  PAYCOOLS_ID_PUBLIC_KEY: optionalString,
  PAYERMAX_PUBLIC_KEY: optionalString,
  /** This merchant's PayerMax merchant id(s), comma-separated: a notification for any other is refused. */
  PAYERMAX_MERCHANT_IDS: optionalString,
  /** The prefixes this merchant's PayCools order ids start with, comma-separated: a notification for any other is refused. */
  PAYCOOLS_ORDER_ID_PREFIXES: optionalString,
  PAYCOOLS_ID_ORDER_ID_PREFIXES: optionalString,
  PAYCOOLS_AMOUNT_EXPONENTS: optionalString,
  PAYCOOLS_ID_AMOUNT_EXPONENTS: optionalString,
  NEXTAUTH_SECRET: optionalString,
  NEXTAUTH_URL: optionalString,
  /** Set by Vercel on its deployments. */
  VERCEL: optionalString,
  /** The bearer token a scheduler sends to /api/cron/* (Vercel Cron Jobs send this variable as it is). */
  CRON_SECRET: optionalString,
  REFUSED_DELIVERY_RETENTION_DAYS: z.coerce
    .number({ error: "REFUSED_DELIVERY_RETENTION_DAYS must be a whole number of days" })
    .int("REFUSED_DELIVERY_RETENTION_DAYS must be a whole number of days")
    .min(1, "REFUSED_DELIVERY_RETENTION_DAYS must be at least 1")
    .max(3650, "REFUSED_DELIVERY_RETENTION_DAYS must be at most 3650 (ten years)")
    .default(30),
  /** Refusals no signature vouched for that are recorded per sender and minute; past it they are answered as before but not kept. */
  WEBHOOK_REFUSALS_PER_MINUTE: z.coerce
    .number({ error: "WEBHOOK_REFUSALS_PER_MINUTE must be a whole number" })
    .int("WEBHOOK_REFUSALS_PER_MINUTE must be a whole number")
    .min(1, "WEBHOOK_REFUSALS_PER_MINUTE must be at least 1: a refusal is how a misconfigured key is seen")
    .max(1_000_000)
    .default(30),
  /** Bytes of body and headers those recorded refusals may take per sender and minute (the last one may go past it). */
  WEBHOOK_REFUSAL_BYTES_PER_MINUTE: z.coerce
    .number({ error: "WEBHOOK_REFUSAL_BYTES_PER_MINUTE must be a whole number of bytes" })
    .int("WEBHOOK_REFUSAL_BYTES_PER_MINUTE must be a whole number of bytes")
    .min(1_024, "WEBHOOK_REFUSAL_BYTES_PER_MINUTE must be at least 1024")
    .max(1_073_741_824)
    .default(262_144),
  /**
   * Refusals no signature vouched for that one process counts and records at once; past it they are answered
   * without being kept. A quarter of DATABASE_POOL_SIZE when unset.
   */
  WEBHOOK_REFUSALS_AT_ONCE: z.coerce
    .number({ error: "WEBHOOK_REFUSALS_AT_ONCE must be a whole number" })
    .int("WEBHOOK_REFUSALS_AT_ONCE must be a whole number")
    .min(1, "WEBHOOK_REFUSALS_AT_ONCE must be at least 1")
    .max(100, "WEBHOOK_REFUSALS_AT_ONCE must be at most 100 (the largest DATABASE_POOL_SIZE)")
    .optional(),
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  SIGN_IN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function getEnv(): Env {
  if (!cached) {
    const parsed = envSchema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues
        .map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)
        .join("\n");
      throw new Error(`Invalid environment:\n${problems}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** Tests that change process.env call this so the next getEnv() reads it again. */
export function resetEnvCache(): void {
  cached = undefined;
}
