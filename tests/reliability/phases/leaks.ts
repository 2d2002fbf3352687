import { readFileSync } from "node:fs";
import path from "node:path";
import { concreteUrls } from "../lib/access-matrix";
import { listAppRoutes } from "../lib/app-routes";
import { get, signIn } from "../lib/auth-http";
import { createHttpClient, jsonOf, type HttpResponse } from "../lib/http";
import { findLeaks, pemFragments, secret, type Leak, type Secret } from "../lib/leak-scan";
import { encodeListCursor } from "@/lib/transactions/list-cursor";
import { PROVIDERS } from "../lib/keys";
import { deliver, makeNotification, uniqueId } from "../lib/notifications";
import type { PhaseResult, RunContext } from "../lib/run-context";

// Leaks and hardening: secrets in logs, stored headers, API answers and HTML;
// redaction of headers that carry secrets; security headers on every kind of
// response; search fields and filters under SQL injection.

const SECRET_HEADERS = [
  "authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "x-auth-token", "x-access-token", "x-amz-security-token",
  "x-forwarded-authorization", "x-forwarded-access-token", "x-goog-iap-jwt-assertion", "cf-access-jwt-assertion", "x-amzn-oidc-data",
  "x-client-secret", "x-webhook-secret", "x-csrf-token", "x-vercel-protection-bypass", "x-session-token",
];

const INJECTIONS = ["' OR 1=1 --", "' OR '1'='1", "%", "_", "\\", "'; DROP TABLE transactions; --", '" OR ""="', "1 UNION SELECT id FROM users", "$1", "*", ")", "\u0000", "ORD%' OR 1=1 --"];

/** Records in CSV text: line breaks inside quoted fields (payload text may hold them) do not end a record. */
function csvRecords(text: string): number {
  let records = 0;
  let quoted = false;
  let empty = true;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if (char === "\n" && !quoted) {
      if (!empty) records++;
      empty = true;
    } else if (char !== "\r") {
      empty = false;
    }
  }
  return records + (empty ? 0 : 1);
}

function securityHeaderProblems(where: string, response: HttpResponse, production: boolean): string[] {
  const problems: string[] = [];
  const h = response.headers;
  const csp = String(h["content-security-policy"] ?? "");
  if (!/frame-ancestors 'none'/.test(csp)) problems.push(`${where}: no Content-Security-Policy with frame-ancestors 'none' (${csp.slice(0, 80) || "none"})`);
  if (!/script-src[^;]*'nonce-[^']+'/.test(csp) || /script-src[^;]*'unsafe-inline'/.test(csp)) problems.push(`${where}: the CSP's script-src is not nonce-based`);
  if (!h["referrer-policy"]) problems.push(`${where}: no Referrer-Policy`);
  if (h["x-content-type-options"] !== "nosniff") problems.push(`${where}: no X-Content-Type-Options: nosniff`);
  if (production && !/max-age=\d{7,}/.test(String(h["strict-transport-security"] ?? ""))) problems.push(`${where}: no Strict-Transport-Security in production`);
  return problems;
}

export async function runLeaks(ctx: RunContext): Promise<PhaseResult> {
  const started = Date.now();
  const failures: string[] = [];
  const notes: string[] = [];
  const db = ctx.database.pool;
  const client = createHttpClient(ctx.server.baseURL, 4);
  const admin = await signIn(client, ctx.users.admin);
  const viewer = await signIn(client, ctx.users.viewer);
  if (!admin.ok || !viewer.ok) throw new Error("could not sign in");
  const sessionToken = admin.jar.get("next-auth.session-token") ?? "";
  // Without it, the searches below would have no needles for the token and find nothing, whatever leaks.
  if (!sessionToken) throw new Error("signed in, but no next-auth.session-token cookie: the session token cannot be searched for");

  // A webhook request carrying every kind of secret header a proxy or a caller might add.
  const headerSecrets = Object.fromEntries(SECRET_HEADERS.map((name) => [name, name === "cookie" ? `next-auth.session-token=${sessionToken}` : `s3cr3t-${name}-${uniqueId("")}`]));
  const n = makeNotification("paycools", ctx.keys.providers.paycools.privateKey, { orderId: uniqueId("LK") });
  n.signed = { ...n.signed, headers: { ...n.signed.headers, ...headerSecrets } };
  if ((await deliver(client, n, "leak")).status !== 200) failures.push("the notification with secret headers was not acknowledged");
  const { rows: [stored] } = await db.query<{ headers: Record<string, string> }>("SELECT headers FROM deliveries WHERE headers->>'x-reliability-probe' = $1", [n.attempts[0]!.probe]);
  for (const name of SECRET_HEADERS) {
    if (stored?.headers[name] !== "[redacted]") failures.push(`the ${name} header was stored as ${JSON.stringify(stored?.headers[name] ?? null).slice(0, 60)}, not redacted`);
  }

  const { rows: hashes } = await db.query<{ password_hash: string }>("SELECT password_hash FROM users");
  const manifest = JSON.parse(readFileSync(path.join(ctx.buildDir, "server", "server-reference-manifest.json"), "utf8")) as { encryptionKey?: string };
  const secrets: Secret[] = [
    ...PROVIDERS.map((p) => ({ name: `the ${p} private key`, needles: pemFragments(ctx.keys.providers[p].privateKeyPem) })),
    { name: "a stranger's private key", needles: pemFragments(ctx.keys.strangers.rsa2048.privateKeyPem) },
    secret("NEXTAUTH_SECRET", ctx.secret),
    secret("CRON_SECRET", ctx.cronSecret),
    ...Object.values(ctx.users).map((user) => secret(`${user.email}'s password`, user.password)),
    ...hashes.map((row) => secret("a stored password hash", row.password_hash)),
    // The JWE's first part is a header every token shares; the encrypted part is what identifies this one.
    { name: "the admin's session token", needles: (sessionToken.split(".")[3] ?? "").match(/.{32}/g)?.slice(0, 3) ?? [] },
    ...(manifest.encryptionKey ? [secret("the Server Actions encryption key", manifest.encryptionKey)] : []),
    ...Object.entries(headerSecrets).filter(([name]) => name !== "cookie").map(([name, value]) => secret(`the ${name} header's value`, value)),
  ];
  const leaks: Leak[] = [];
  const sources: Record<string, number> = {};
  const scan = (text: string, source: string, kind: string) => {
    sources[kind] = (sources[kind] ?? 0) + 1;
    leaks.push(...findLeaks(text, source, secrets));
  };

  const { rows: headerRows } = await db.query<{ id: string; headers: unknown }>("SELECT id, headers FROM deliveries");
  for (const row of headerRows) scan(JSON.stringify(row.headers), `stored headers of delivery ${row.id}`, "stored header sets");

  const { rows: [tx] } = await db.query<{ id: string }>("SELECT id FROM transactions ORDER BY first_seen_at DESC LIMIT 1");
  const { rows: [delivery] } = await db.query<{ id: string }>("SELECT id FROM deliveries WHERE headers->>'x-reliability-probe' = $1", [n.attempts[0]!.probe]);
  const data = { transactionId: tx!.id, deliveryId: delivery!.id, providers: PROVIDERS };
  const routes = listAppRoutes(ctx.root);
  for (const [role, jar] of [["admin", admin.jar], ["viewer", viewer.jar], ["signed-out", null]] as const) {
    for (const route of routes) {
      if (route.kind === "api" && !route.methods.includes("GET")) continue;
      for (const url of concreteUrls(route, data)) {
        const response = await get(client, jar, url);
        // A fresh session cookie in Set-Cookie is where a session token belongs.
        const { "set-cookie": _setCookie, ...headers } = response.headers;
        scan(`${JSON.stringify(headers)}\n${response.body.toString("utf8")}`, `${role} GET ${url}`, route.kind === "page" ? "page answers" : "API answers");
        if (route.kind === "page" && response.status === 200) failures.push(...securityHeaderProblems(`${role} GET ${url}`, response, true));
      }
    }
  }
  // The retention job run for real, so that its answer and its log line are among what is searched for secrets.
  const retention = await client.request({ path: "/api/cron/prune-deliveries", headers: { authorization: `Bearer ${ctx.cronSecret}` } });
  if (retention.status !== 200) failures.push(`the retention job answered ${retention.status} to its bearer token`);
  scan(`${JSON.stringify(retention.headers)}\n${retention.body.toString("utf8")}`, "the retention job's answer", "API answers");
  for (const [what, response] of [
    ["a webhook answer", await client.request({ method: "POST", path: "/api/webhooks/payermax", body: "{}" })],
    ["the signed-out redirect", await get(client, null, "/overview")],
    ["the signed-out 401", await get(client, null, "/api/transactions")],
    ["a 404 page", await get(client, admin.jar, "/no-such-page")],
    ["the CSV export", await get(client, admin.jar, "/api/transactions/export")],
    ["the retention job's answer", retention],
  ] as const) {
    failures.push(...securityHeaderProblems(what, response, true));
  }
  const nonces = new Set(await Promise.all([1, 2].map(async () => /'nonce-([^']+)'/.exec(String((await get(client, admin.jar, "/overview")).headers["content-security-policy"]))?.[1])));
  if (nonces.size !== 2) failures.push("the CSP nonce is the same on two requests");
  const overview = await get(client, admin.jar, "/overview");
  const nonce = /'nonce-([^']+)'/.exec(String(overview.headers["content-security-policy"]))?.[1];
  const scripts = [...overview.body.toString("utf8").matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
  const unnonced = scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`));
  if (unnonced.length > 0) failures.push(`${unnonced.length} of ${scripts.length} script tags on /overview lack the request's nonce, e.g. ${unnonced[0]!.slice(0, 100)}`);

  // Injection through every search and filter field: an answer may hold exactly the rows whose field equals the text.
  const total = (await db.query<{ n: string }>("SELECT COUNT(*) AS n FROM transactions")).rows[0]?.n;
  const exact = async (param: string, value: string) => {
    if (value.includes("\u0000")) return null;
    const sql = param === "q" ? "merchant_order_id = $1 OR provider_transaction_id = $1 OR reference_number = $1" : "channel = $1 OR payment_method = $1";
    return Number((await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM transactions WHERE ${sql}`, [value])).rows[0]?.n);
  };
  let injections = 0;
  for (const payload of INJECTIONS) {
    for (const param of ["q", "channel", "currency", "provider", "status", "kind", "from", "sort", "after", "before"]) {
      injections++;
      const api = await get(client, admin.jar, `/api/transactions?${new URLSearchParams({ [param]: payload })}`);
      const body = jsonOf(api) as { data?: unknown[] } | undefined;
      if (api.status >= 500) failures.push(`GET /api/transactions?${param}=${JSON.stringify(payload)} answered ${api.status}`);
      if (api.status === 200 && (param === "q" || param === "channel")) {
        const expected = await exact(param, payload);
        if (expected !== null && (body?.data?.length ?? 0) !== Math.min(expected, 50)) failures.push(`GET /api/transactions?${param}=${JSON.stringify(payload)} returned ${body?.data?.length} rows; ${expected} hold exactly that text`);
      }
    }
    // A page cursor is the server's own token, but a caller can forge one: its value must reach the query as a parameter.
    const forged = encodeListCursor({ sort: "merchantOrderId", dir: "desc", value: payload, id: "0190f000-0000-7000-8000-000000000000" });
    // And times no calendar has, which a cast would refuse with an error.
    const badTime = encodeListCursor({ sort: "time", dir: "desc", value: "2024-02-30T00:00:00.000Z", id: "0190f000-0000-7000-8000-000000000000" });
    // The deliveries list's cursor is a time and an id: a year PostgreSQL has not, and a day no month has.
    const deliveriesCursor = (time: string) => Buffer.from(`${time}|0190f000-0000-7000-8000-000000000000`).toString("base64url");
    const [yearZero, dayThirty] = [deliveriesCursor("0000-01-01T00:00:00.000Z"), deliveriesCursor("2024-02-30T00:00:00.000Z")];
    const casesYearZero = Buffer.from(JSON.stringify(["next", "0000-01-01T00:00:00.000Z", "0190f000-0000-7000-8000-000000000000"])).toString("base64url");
    for (const url of [`/api/transactions?sort=merchantOrderId&after=${forged}`, `/transactions?sort=merchantOrderId&before=${forged}&page=2`, `/api/transactions?after=${badTime}`, `/transactions?before=${badTime}`, `/deliveries?after=${yearZero}`, `/deliveries?sender=${encodeURIComponent(payload)}&before=${dayThirty}`, `/duplicates?cursor=${casesYearZero}`]) {
      injections++;
      const response = await get(client, admin.jar, url);
      if (response.status >= 500) failures.push(`GET ${url} (a cursor holding ${JSON.stringify(payload)}) answered ${response.status}`);
    }
    for (const url of [`/transactions?q=${encodeURIComponent(payload)}`, `/api/transactions/export?q=${encodeURIComponent(payload)}`, `/api/duplicates/export?status=${encodeURIComponent(payload)}&provider=${encodeURIComponent(payload)}`, `/deliveries?errorCode=${encodeURIComponent(payload)}&provider=${encodeURIComponent(payload)}`, `/deliveries?sender=${encodeURIComponent(payload)}&provider=paycools`, `/duplicates?cursor=${encodeURIComponent(payload)}&provider=${encodeURIComponent(payload)}&case=${encodeURIComponent(payload)}`, `/transactions/${encodeURIComponent(payload)}`, `/deliveries/${encodeURIComponent(payload)}`]) {
      injections++;
      const response = await get(client, admin.jar, url);
      if (response.status >= 500) failures.push(`GET ${url} answered ${response.status}`);
      if (url.startsWith("/api/transactions/export") && response.status === 200) {
        // The export is lenient like the page: a value its schema refuses means "no filter".
        const expected = (await exact("q", payload)) ?? Number(total);
        const rows = csvRecords(response.body.toString("utf8")) - 1;
        if (rows !== expected) failures.push(`GET ${url} exported ${rows} rows; ${expected} expected`);
      }
    }
  }
  const after = (await db.query<{ n: string }>("SELECT COUNT(*) AS n FROM transactions")).rows[0]?.n;
  if (after !== total) failures.push(`the transactions table changed from ${total} to ${after} rows during the injection checks`);

  sources["server log bytes"] = ctx.server.logs().length;
  leaks.push(...findLeaks(ctx.server.logs(), "the server's stdout/stderr", secrets));
  client.close();
  for (const leak of leaks.slice(0, 20)) failures.push(`${leak.secret} appears in ${leak.source}: …${leak.excerpt}…`);
  notes.push(
    `leaks: ${secrets.length} secrets (3 provider private keys and a stranger's, NEXTAUTH_SECRET, CRON_SECRET, ${Object.keys(ctx.users).length} passwords and their bcrypt hashes, a session token, the Server Actions key, ${SECRET_HEADERS.length - 1} secret header values) searched in ${Object.entries(sources).map(([kind, count]) => `${count} ${kind}`).join(", ")}: ${leaks.length} found; ${SECRET_HEADERS.length} secret-carrying headers checked for redaction; security headers checked on pages, APIs, webhook answers, redirects, 401s and 404s; ${injections} injection probes across every search and filter field`,
  );
  return { name: "leaks", seconds: (Date.now() - started) / 1000, figures: [], notes, failures };
}
