// `npm run simulate -- <provider>`: plays a payment provider against a running
// Payhook, sending signed sample notifications the way the provider would.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { getEnv } from "@/lib/env";
import { fingerprintOf, parseKeyring } from "@/lib/providers/keyring";
import { samplePayload } from "@/lib/simulator/samples";
import { signFor, type SignedRequest } from "@/lib/simulator/sign";
import {
  DEV_KEYS_DIR,
  DEV_PROVIDERS,
  devKeyPath,
  devPort,
  PUBLIC_KEY_VARIABLES,
  readDevPrivateKey,
  type DevProvider,
} from "./lib/dev-env";
import { loadEnvFiles } from "./lib/load-env-files";

const USAGE = `Usage: npm run simulate -- <provider> [options]

Sends signed sample notifications to a running Payhook, as the provider would.
Providers: ${DEV_PROVIDERS.join(", ")}

Options:
  --url <url>          the app (default http://localhost:<PORT or 3000>)
  --count <n>          distinct notifications to send (default 1)
  --retry <n>          send each one n more times with identical bytes, as a provider retry does
  --failed             a failed payment
  --pending            a pending payment
  --kind <kind>        payment | payout | refund (paycools only; default payment)
  --duplicate          a second payment for an order already paid: for payermax an
                       original PAYMENT then a DUPLICATE_PAYMENT linked to it; for the
                       PayCools providers two payments to one one-time order
  --bad-signature      sign with a key the app does not know (the app must answer 401)
  --order <id>         merchant order id (default: a fresh one per notification)
  --amount <n>         integer minor units for PayCools, decimal major units for PayerMax
  --key <pem file>     sign with this private key instead of the dev key of the provider
  --concurrency <n>    requests in flight at once (default 1)
  -h, --help           show this text`;

const REQUEST_TIMEOUT_MS = 60_000;

class UsageError extends Error {}

type Options = {
  provider: DevProvider;
  url: URL;
  count: number;
  retry: number;
  failed: boolean;
  pending: boolean;
  kind: "payment" | "payout" | "refund";
  duplicate: boolean;
  badSignature: boolean;
  order?: string;
  amount?: number | string;
  keyFile?: string;
  concurrency: number;
};

type Job = { number: number; label: string; signed: SignedRequest };

type Outcome = { status: number; body: string } | { error: string; unreachable: boolean };

function wholeNumber(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`--${name} must be a whole number of at least ${min}, not "${raw}"`);
  }
  return value;
}

function parseOptions(argv: string[]): Options | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: "string" },
        count: { type: "string" },
        retry: { type: "string" },
        failed: { type: "boolean", default: false },
        pending: { type: "boolean", default: false },
        kind: { type: "string" },
        duplicate: { type: "boolean", default: false },
        "bad-signature": { type: "boolean", default: false },
        order: { type: "string" },
        amount: { type: "string" },
        key: { type: "string" },
        concurrency: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";

  if (positionals.length !== 1) throw new UsageError(`name one provider: ${DEV_PROVIDERS.join(", ")}`);
  const provider = DEV_PROVIDERS.find((name) => name === positionals[0]);
  if (!provider) throw new UsageError(`unknown provider "${positionals[0]}": use one of ${DEV_PROVIDERS.join(", ")}`);

  if (values.failed && values.pending) throw new UsageError("--failed and --pending exclude each other");
  if (values.duplicate && (values.failed || values.pending)) {
    throw new UsageError("--duplicate sends successful payments: leave out --failed and --pending");
  }
  if (values["bad-signature"] && values.key) throw new UsageError("--bad-signature signs with a fresh key: leave out --key");

  let kind: Options["kind"] = "payment";
  if (values.kind !== undefined) {
    if (provider !== "paycools") throw new UsageError("--kind applies to paycools only");
    if (values.kind !== "payment" && values.kind !== "payout" && values.kind !== "refund") {
      throw new UsageError(`--kind must be payment, payout or refund, not "${values.kind}"`);
    }
    kind = values.kind;
    if (values.duplicate && kind !== "payment") throw new UsageError("--duplicate applies to payments only");
  }

  let amount: number | string | undefined;
  if (values.amount !== undefined) {
    if (provider === "payermax") {
      if (!/^\d+(\.\d+)?$/.test(values.amount)) {
        throw new UsageError(`--amount for payermax is a decimal in major units such as 33.50, not "${values.amount}"`);
      }
      amount = values.amount;
    } else {
      if (!/^\d+$/.test(values.amount) || !Number.isSafeInteger(Number(values.amount))) {
        throw new UsageError(`--amount for ${provider} is a whole number of minor units such as 50010, not "${values.amount}"`);
      }
      amount = Number(values.amount);
    }
  }

  const defaultUrl = `http://localhost:${devPort()}`;
  let url: URL;
  try {
    url = new URL(values.url ?? defaultUrl);
  } catch {
    throw new UsageError(`--url must be a URL such as ${defaultUrl}, not "${values.url}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError("--url must start with http:// or https://");

  return {
    provider,
    url,
    count: wholeNumber("count", values.count, 1, 1),
    retry: wholeNumber("retry", values.retry, 0, 0),
    failed: values.failed,
    pending: values.pending,
    kind,
    duplicate: values.duplicate,
    badSignature: values["bad-signature"],
    order: values.order,
    amount,
    keyFile: values.key,
    concurrency: wholeNumber("concurrency", values.concurrency, 1, 1),
  };
}

function signingKey(options: Options): KeyObject {
  if (options.badSignature) return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  if (options.keyFile) {
    let pem: Buffer;
    try {
      pem = readFileSync(options.keyFile);
    } catch {
      throw new UsageError(`cannot read the key file ${options.keyFile}`);
    }
    try {
      return createPrivateKey(pem);
    } catch {
      throw new UsageError(`${options.keyFile} is not a PEM private key`);
    }
  }
  const variable = PUBLIC_KEY_VARIABLES[options.provider];
  if (!existsSync(devKeyPath(options.provider)) && configuredKey(variable)) {
    // `npm run dev` leaves a configured key alone, so it would not recreate this file.
    throw new Error(
      `${variable} is set but there is no dev private key for it (${DEV_KEYS_DIR}/${options.provider}.pem): ` +
        `pass --key <file> with its private key, or remove ${variable} from .env.local and run \`npm run dev\` to make a new pair`,
    );
  }
  return readDevPrivateKey(options.provider);
}

/** The provider's public key(s) as the local app would read them; undefined when the env is unusable. */
function configuredKey(variable: (typeof PUBLIC_KEY_VARIABLES)[DevProvider]): string | undefined {
  try {
    return getEnv()[variable];
  } catch {
    return undefined;
  }
}

/** A local app configured with another key answers 401 to everything: say so before sending. */
function warnOnKeyMismatch(options: Options, key: KeyObject): void {
  if (options.badSignature) return;
  const variable = PUBLIC_KEY_VARIABLES[options.provider];
  const keyring = parseKeyring(configuredKey(variable), variable);
  if (!keyring.ok) return;
  const fingerprint = fingerprintOf(createPublicKey(key));
  if (!keyring.keys.some((entry) => entry.fingerprint === fingerprint)) {
    console.warn(
      `warning: the signing key does not match ${variable} in this folder's env files, so an app using them answers 401`,
    );
  }
}

function transactionIdOf(payload: Record<string, unknown>): string {
  return String(payload.transactionId ?? payload.tradeOrderNo ?? "?");
}

function orderIdOf(payload: Record<string, unknown>): string {
  return String(payload.mchOrderId ?? payload.orderId ?? "?");
}

/** The notifications to send, each with a note on what it is, before any retries. */
function buildNotifications(options: Options): { payload: Record<string, unknown>; note: string }[] {
  const { provider, amount } = options;
  const out: { payload: Record<string, unknown>; note: string }[] = [];
  for (let i = 0; i < options.count; i += 1) {
    if (!options.duplicate) {
      const payload = samplePayload(provider, {
        orderId: options.order,
        failed: options.failed,
        pending: options.pending,
        amount,
        kind: options.kind,
      });
      out.push({ payload, note: "" });
      continue;
    }
    if (provider === "payermax") {
      const original = samplePayload(provider, { orderId: options.order, amount });
      const orderId = orderIdOf(original);
      const tradeOrderNo = transactionIdOf(original);
      const duplicate = samplePayload(provider, { orderId, amount, duplicateOf: { orderId, tradeOrderNo } });
      out.push({ payload: original, note: `original, order ${orderId}` });
      out.push({ payload: duplicate, note: `DUPLICATE_PAYMENT of ${tradeOrderNo}` });
    } else {
      // No reference number: a one-time order, where a second payment is a real duplicate.
      const first = samplePayload(provider, { orderId: options.order, amount, referenceNumber: null });
      const orderId = orderIdOf(first);
      const second = samplePayload(provider, { orderId, amount, referenceNumber: null });
      out.push({ payload: first, note: `1st payment, order ${orderId}` });
      out.push({ payload: second, note: `2nd payment, order ${orderId}` });
    }
  }
  return out;
}

function buildJobs(options: Options, key: KeyObject): Job[] {
  const jobs: Job[] = [];
  for (const { payload, note } of buildNotifications(options)) {
    // Signed once: a provider's retry repeats the very same bytes.
    const signed = signFor(options.provider, payload, key);
    for (let attempt = 0; attempt <= options.retry; attempt += 1) {
      const notes = [note, attempt > 0 ? `retry ${attempt}` : ""].filter(Boolean).join(", ");
      const label = `${options.provider} ${transactionIdOf(payload)}${notes ? ` (${notes})` : ""}`;
      jobs.push({ number: jobs.length + 1, label, signed });
    }
  }
  return jobs;
}

function isConnectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
  const codes = [cause?.code, ...(cause?.errors ?? []).map((inner) => inner.code)];
  return codes.some((code) => code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH");
}

async function send(endpoint: URL, job: Job): Promise<Outcome> {
  try {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: job.signed.headers,
      body: new Uint8Array(job.signed.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    return { status: response.status, body: text.replace(/\s*\n\s*/g, " ").trim().slice(0, 500) };
  } catch (error) {
    if (isConnectionRefused(error)) return { error: "connection refused", unreachable: true };
    if (error instanceof Error && error.name === "TimeoutError") {
      return { error: `no reply within ${REQUEST_TIMEOUT_MS / 1000} s`, unreachable: false };
    }
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return { error: cause ?? (error instanceof Error ? error.message : String(error)), unreachable: false };
  }
}

async function main(): Promise<number> {
  loadEnvFiles();
  const options = parseOptions(process.argv.slice(2));
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  const key = signingKey(options);
  warnOnKeyMismatch(options, key);

  const base = options.url.toString().replace(/\/+$/, "");
  const endpoint = new URL(`${base}/api/webhooks/${options.provider}`);
  const jobs = buildJobs(options, key);
  const width = Math.max(...jobs.map((job) => `#${job.number} ${job.label}`.length));
  const expected = (status: number) => (options.badSignature ? status === 401 : status >= 200 && status < 300);

  const tally = { sent: 0, "2xx": 0, "4xx": 0, "5xx": 0, other: 0, noReply: 0, unexpected: 0 };
  let unreachable = false;
  let next = 0;

  const worker = async () => {
    while (!unreachable && next < jobs.length) {
      const job = jobs[next++];
      if (!job) break;
      const outcome = await send(endpoint, job);
      if ("error" in outcome && outcome.unreachable) {
        unreachable = true;
        break;
      }
      tally.sent += 1;
      const head = `#${job.number} ${job.label}`.padEnd(width);
      if ("error" in outcome) {
        tally.noReply += 1;
        tally.unexpected += 1;
        console.log(`${head}  no reply: ${outcome.error}`);
        continue;
      }
      const family = Math.floor(outcome.status / 100);
      if (family === 2) tally["2xx"] += 1;
      else if (family === 4) tally["4xx"] += 1;
      else if (family === 5) tally["5xx"] += 1;
      else tally.other += 1;
      if (!expected(outcome.status)) tally.unexpected += 1;
      console.log(`${head}  ${outcome.status} ${outcome.body}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, jobs.length) }, worker));

  if (unreachable) {
    console.error(`nothing answers at ${base}: start it with \`npm run dev\``);
    return 1;
  }
  const extra = [tally.other ? `, other ${tally.other}` : "", tally.noReply ? `, no reply ${tally.noReply}` : ""].join("");
  console.log(`sent ${tally.sent}, 2xx ${tally["2xx"]}, 4xx ${tally["4xx"]}, 5xx ${tally["5xx"]}${extra}`);
  if (tally.unexpected > 0) {
    console.error(
      options.badSignature
        ? `${tally.unexpected} repl${tally.unexpected === 1 ? "y was" : "ies were"} not the expected 401`
        : `${tally.unexpected} notification(s) were not acknowledged: see the server output`,
    );
  }
  return tally.unexpected === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(error instanceof UsageError ? `${message} (see --help)` : message);
    process.exit(1);
  },
);
