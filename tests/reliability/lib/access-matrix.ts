import { randomBytes } from "node:crypto";
import { hasRole, onlyWho, type ActingRole, type Role as UserRole } from "@/lib/users/user-rules";
import type { AppRoute, ManifestAction } from "./app-routes";
import { get, sessionCookieNames, signIn, signOut, type Credentials } from "./auth-http";
import { jsonOf, type CookieJar, type HttpClient, type HttpResponse } from "./http";
import { actionResult, callServerAction } from "./server-actions";

// The access matrix: every route from the app/ tree, for each role (signed out,
// viewer, finance, admin), checked against the rule that applies to it. Shared by the
// fast browser suite (tests/e2e/access-matrix.spec.ts) and the full suite.

export type Role = "signed-out" | UserRole;
/** The role a Server Action needs. */
export type ActionRole = ActingRole;

/**
 * What each Server Action needs, by its exported name: recording resolutions is finance's work, reprocessing and
 * accounts an admin's. A new action must be added here, or the matrix fails for it.
 */
export const ACTION_ROLES: Record<string, ActionRole> = {
  resolveCaseAction: "finance",
  reopenCaseAction: "finance",
  decideStatusConflictAction: "finance",
  reprocessDeliveryAction: "admin",
  addUserAction: "admin",
  changeUserRoleAction: "admin",
  setUserDisabledAction: "admin",
  setUserPasswordAction: "admin",
};

const mayRun = (role: Role, needed: ActionRole) => role !== "signed-out" && hasRole(role, needed);
export type Identity = { role: Role; jar: CookieJar | null; email: string | null };
export type MatrixData = {
  transactionId: string;
  deliveryId: string;
  providers: readonly string[];
  /** Further pages to open at those routes: one with a form on it (a conflict to decide, a refusal to reprocess). */
  moreTransactionIds?: string[];
  moreDeliveryIds?: string[];
};
export type MatrixResult = { checked: Record<Role, number>; failures: string[] };

const PUBLIC_API = /^\/api\/(webhooks\/|auth\/|cron\/|health$)/;
const PUBLIC_PAGES = new Set(["/sign-in"]);
const NEXT_AUTH_ENDPOINTS = ["session", "csrf", "providers", "signin", "signout", "error"];
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Real URLs for a route pattern; a dynamic segment nobody taught this function about fails the run, so it cannot be skipped. */
export function concreteUrls(route: AppRoute, data: MatrixData): string[] {
  let urls = [""];
  const segments = route.pattern.split("/").filter(Boolean);
  segments.forEach((segment, index) => {
    let values: string[];
    const parent = segments[index - 1];
    if (!segment.startsWith("[")) values = [segment];
    else if (segment === "[provider]") values = [...data.providers];
    else if (segment === "[...nextauth]") values = NEXT_AUTH_ENDPOINTS;
    else if (segment === "[id]" && parent === "transactions") values = [data.transactionId, ...(data.moreTransactionIds ?? [])];
    else if (segment === "[id]" && parent === "deliveries") values = [data.deliveryId, ...(data.moreDeliveryIds ?? [])];
    else throw new Error(`no value known for ${segment} in ${route.pattern} (${route.file}): add one to concreteUrls in tests/reliability/lib/access-matrix.ts`);
    urls = urls.flatMap((url) => values.map((value) => `${url}/${value}`));
  });
  return urls.map((url) => url || "/");
}

const isRedirect = (response: HttpResponse) => response.status >= 300 && response.status < 400;
const location = (response: HttpResponse) => new URL(String(response.headers.location ?? ""), "http://app.local").pathname;

function judgePage(url: string, identity: Identity, response: HttpResponse): string | null {
  const body = response.body.toString("utf8");
  if (response.status >= 500) return `answered ${response.status}`;
  if (PUBLIC_PAGES.has(url)) {
    if (identity.role === "signed-out") return response.status === 200 && /type="password"/.test(body) ? null : `answered ${response.status} instead of the sign-in form`;
    return response.status === 200 || (isRedirect(response) && location(response) !== "/sign-in") ? null : `answered ${response.status}`;
  }
  if (identity.role === "signed-out") {
    if (!isRedirect(response) || location(response) !== "/sign-in") return `answered ${response.status} ${String(response.headers.location ?? "")} instead of a redirect to /sign-in`;
    return null;
  }
  if (isRedirect(response)) return location(response) === "/sign-in" ? "redirected a signed-in user to sign-in" : url === "/" ? null : `redirected to ${location(response)}`;
  if (response.status !== 200) return `answered ${response.status}`;
  if (identity.email && !body.includes(identity.email)) return "the page does not show who is signed in: did it render for this user?";
  return null;
}

function judgeApi(route: AppRoute, url: string, method: string, identity: Identity, response: HttpResponse): string | null {
  const json = jsonOf(response) as { error?: { code?: string }; user?: { email?: string } } | undefined;
  if (response.status >= 500) return `answered ${response.status}`;
  if (url.startsWith("/api/webhooks/")) {
    // The request reaches the handler whoever sends it: the signature decides, never a session.
    if (method !== "POST") return response.status === 405 ? null : `answered ${response.status} to ${method}, expected 405`;
    return response.status >= 400 && response.status < 500 && json?.error?.code && json.error.code !== "unauthenticated" ? null : `answered ${response.status} ${json?.error?.code ?? ""} to an unsigned POST, expected the handler's own refusal`;
  }
  if (url.startsWith("/api/cron/")) {
    // A scheduled job: the CRON_SECRET bearer token decides, and a session is no substitute for it.
    if (method !== "GET") return response.status === 405 ? null : `answered ${response.status} to ${method}, expected 405`;
    return response.status === 401 && json?.error?.code === "cron_unauthorized" ? null : `answered ${response.status} ${json?.error?.code ?? ""} without the bearer token, expected 401 cron_unauthorized`;
  }
  if (url === "/api/health") return method === "GET" ? (response.status === 200 ? null : `answered ${response.status}`) : null;
  if (url === "/api/auth/session" && method === "GET") {
    const email = json?.user?.email ?? null;
    // A role in the token would be the one at sign-in, stale once an admin changes it.
    if (json?.user && "role" in json.user) return "reports a role, frozen in the token at sign-in";
    return email === identity.email ? null : `reported the session of ${email ?? "nobody"} for ${identity.email ?? "a signed-out client"}`;
  }
  if (PUBLIC_API.test(url)) return null;
  if (identity.role === "signed-out") return response.status === 401 && json?.error?.code === "unauthenticated" ? null : `answered ${response.status} to a signed-out client, expected 401 JSON`;
  if (!route.methods.includes(method)) return response.status === 405 ? null : `answered ${response.status} to ${method}, which the route does not export (expected 405)`;
  if (method === "GET") return response.status === 200 ? null : `answered ${response.status}`;
  // A mutation through an API route is an admin action: anyone else must be refused.
  if (identity.role !== "admin") return response.status === 403 ? null : `let ${identity.role} ${method} (answered ${response.status})`;
  return null;
}

/** `actions`: every Server Action's id and the role it needs; a page must not carry the id of one its user may not run. */
export async function checkRoutes(
  client: HttpClient,
  routes: AppRoute[],
  identities: Identity[],
  data: MatrixData,
  actions: { id: string; role: ActionRole }[],
): Promise<MatrixResult> {
  const checked: Record<Role, number> = { "signed-out": 0, viewer: 0, finance: 0, admin: 0 };
  const failures: string[] = [];
  for (const route of routes) {
    for (const url of concreteUrls(route, data)) {
      for (const identity of identities) {
        const methods = route.kind === "page" ? ["GET"] : METHODS;
        for (const method of methods) {
          const cookie = identity.jar?.header();
          const response = await client.request({
            method,
            path: url,
            headers: { ...(cookie ? { cookie } : {}), ...(method === "GET" ? {} : { "content-type": "application/json" }) },
            body: method === "GET" ? undefined : "{}",
          });
          checked[identity.role]++;
          const problem = route.kind === "page" ? judgePage(url, identity, response) : judgeApi(route, url, method, identity, response);
          if (problem) failures.push(`${identity.role} ${method} ${url} (${route.file}): ${problem}`);
          if (route.kind === "page" && identity.role !== "signed-out") {
            const html = response.body.toString("utf8");
            for (const action of actions) {
              if (!mayRun(identity.role, action.role) && html.includes(action.id)) failures.push(`${identity.role} GET ${url}: the page carries the ${action.role} action ${action.id}`);
            }
          }
        }
      }
    }
  }
  return { checked, failures };
}

export type ActionCheck = {
  action: ManifestAction;
  /** Form fields that make the action do its work when the least role that may run it calls it. */
  form: Record<string, string>;
  /** The state the action changes, read from the database when the caller can; equal before and after a refusal. */
  state?: () => Promise<string>;
};

/** The role an action needs (ACTION_ROLES), or an error naming the action that is missing from it. */
export function actionRole(action: ManifestAction): ActionRole {
  const role = ACTION_ROLES[action.exportedName];
  if (!role) throw new Error(`${action.exportedName} (${action.file}) has no role in ACTION_ROLES (tests/reliability/lib/access-matrix.ts): add the role it needs`);
  return role;
}

/**
 * The users page's actions, aimed at `managedId` (a viewer made for the run, never the caller): an admin's
 * call adds `newEmail`, makes the managed user an admin, disables it and gives it a new password.
 */
export function userActionForms(
  managedId: string,
  newEmail: string,
  state: (sql: string, key: string) => (() => Promise<string>) | undefined,
): Record<string, Omit<ActionCheck, "action">> {
  return {
    addUserAction: { form: { email: newEmail, role: "viewer", password: "access matrix password" }, state: state("SELECT count(*) FROM users WHERE email = $1", newEmail) },
    changeUserRoleAction: { form: { userId: managedId, role: "admin" }, state: state("SELECT role FROM users WHERE id = $1", managedId) },
    setUserDisabledAction: { form: { userId: managedId, disabled: "true" }, state: state("SELECT disabled_at FROM users WHERE id = $1", managedId) },
    setUserPasswordAction: { form: { userId: managedId, password: "access matrix new password" }, state: state("SELECT password_hash FROM users WHERE id = $1", managedId) },
  };
}

/**
 * The other half of "a page must not carry an action its user may not run": where a role may run an action, the page
 * must offer it. `expected`: the page, who opens it, and the action (by exported name) it must carry.
 */
export async function checkActionsOffered(
  client: HttpClient,
  actions: ManifestAction[],
  expected: { url: string; who: string; jar: CookieJar; action: string }[],
): Promise<string[]> {
  const failures: string[] = [];
  for (const { url, who, jar, action: name } of expected) {
    const action = actions.find((candidate) => candidate.exportedName === name);
    if (!action) {
      failures.push(`${name} is not in the build's action manifest`);
      continue;
    }
    const response = await get(client, jar, url);
    if (response.status !== 200 || !response.body.toString("utf8").includes(action.id)) failures.push(`${who} GET ${url} (${response.status}): the page does not offer ${name}, which ${who} may run`);
  }
  return failures;
}

/**
 * Each Server Action refused to the signed out, to every role below the one it needs (with a message saying who
 * may) and to a cross-site caller (a 403); then run by the least role that may, which must change the ledger.
 */
export async function checkActions(
  client: HttpClient,
  checks: ActionCheck[],
  identities: { viewer: CookieJar; finance: CookieJar; admin: CookieJar },
  data: MatrixData,
): Promise<{ checked: number; failures: string[] }> {
  const failures: string[] = [];
  let checked = 0;
  for (const { action, form, state } of checks) {
    const pattern = action.pages[0];
    if (!pattern) {
      failures.push(`${action.exportedName} (${action.file}) is used by no page`);
      continue;
    }
    const page = concreteUrls({ kind: "page", file: action.file, pattern, methods: ["POST"] }, data)[0]!;
    const name = `${action.exportedName} (${action.file})`;
    const needed = actionRole(action);
    const refusal = `${onlyWho(needed)} can`;
    const runner = identities[needed];
    const before = await state?.();
    const attempts: [string, CookieJar | null, string][] = [
      ["signed out", null, client.baseURL],
      ["a viewer", identities.viewer, client.baseURL],
      ...(needed === "admin" ? [["a finance user", identities.finance, client.baseURL] as [string, CookieJar, string]] : []),
      [`${needed === "admin" ? "an admin" : "a finance user"} from another site (Origin https://evil.example)`, runner, "https://evil.example"],
    ];
    for (const [who, jar, origin] of attempts) {
      checked++;
      const response = await callServerAction(client, { page, actionId: action.id, form, jar, origin });
      const result = actionResult(response);
      if (result?.ok) failures.push(`${name} ran for ${who}`);
      else if (origin !== client.baseURL && (response.status !== 403 || !response.body.toString("utf8").includes('"cross_site_request"')))
        failures.push(`${name} answered ${who} ${response.status} instead of a 403 cross_site_request`);
      else if (jar && origin === client.baseURL && !(result?.message ?? "").startsWith(refusal))
        failures.push(`${name} answered ${who} ${response.status} ${result?.message ?? ""} instead of refusing with "${refusal} …"`);
      if (state && (await state()) !== before) failures.push(`${name} changed the ledger when called by ${who}`);
    }
    checked++;
    const response = await callServerAction(client, { page, actionId: action.id, form, jar: runner, origin: client.baseURL });
    const result = actionResult(response);
    if (response.status !== 200 || /^(only |sign in to continue)/i.test(result?.message ?? "")) failures.push(`${name} did not run for ${needed}: ${response.status} ${result?.message ?? ""}`);
    if (state && (await state()) === before) failures.push(`${name} changed nothing when ${needed} called it (${result?.message ?? "no result"})`);
  }
  return { checked, failures };
}

/** Failed sign-ins are limited per account and per address, through HTTP. */
export async function checkSignInThrottle(client: HttpClient, accounts: { locked: Credentials; other: Credentials }, maxFailures: number): Promise<{ failures: string[]; notes: string[] }> {
  const failures: string[] = [];
  const notes: string[] = [];
  // Each part from addresses of its own (X-Forwarded-For), so that one lock does not stand in for the other.
  const fresh = () => `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
  for (let i = 0; i < maxFailures; i++) {
    const attempt = await signIn(client, { email: accounts.locked.email, password: `wrong ${i} ${randomBytes(4).toString("hex")}` }, { forwardedFor: fresh() });
    if (attempt.ok || /too many/i.test(attempt.error ?? "")) failures.push(`failed sign-in ${i + 1} of ${maxFailures} for one account was not simply refused: ${attempt.error}`);
  }
  const locked = await signIn(client, accounts.locked, { forwardedFor: "192.0.2.77" });
  if (locked.ok || !/too many/i.test(locked.error ?? "")) failures.push(`after ${maxFailures} failures the right password still signed in (${locked.error ?? "no error"}): the per-account limit does not hold`);

  const address = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
  for (let i = 0; i < maxFailures; i++) {
    await signIn(client, { email: `nobody-${i}-${randomBytes(4).toString("hex")}@example.invalid`, password: "wrong password" }, { forwardedFor: address });
  }
  const fromAddress = await signIn(client, accounts.other, { forwardedFor: address });
  if (fromAddress.ok || !/too many/i.test(fromAddress.error ?? "")) failures.push(`after ${maxFailures} failures from ${address} another account still signed in from there: the per-address limit does not hold`);
  const elsewhere = await signIn(client, accounts.other, { forwardedFor: "192.0.2.78" });
  notes.push(
    elsewhere.ok
      ? "per-address throttling keys on X-Forwarded-For: behind Vercel (which sets it) that is the client's address; exposed directly, a client can change the header to dodge the per-address limit (the per-account limit still holds)"
      : `the same account from another address was refused too (${elsewhere.error})`,
  );
  notes.push(`sign-in throttling: ${maxFailures} failures lock the account (even the right password is refused) and the address`);
  return { failures, notes };
}

/** A live session's token opens nothing when sent as `Authorization: Bearer` instead of as the cookie. */
export async function checkSessionIsCookieOnly(client: HttpClient, credentials: Credentials): Promise<string[]> {
  const session = await signIn(client, credentials);
  if (!session.ok) return [`could not sign in to test a bearer token: ${session.error}`];
  const [name] = sessionCookieNames(session.jar);
  const token = name ? session.jar.get(name) : undefined;
  if (!token) return ["sign-in set no session cookie"];
  const failures: string[] = [];
  const withCookie = await get(client, session.jar, "/api/transactions");
  if (withCookie.status !== 200) failures.push(`the session's cookie answered ${withCookie.status} on /api/transactions`);
  const bearer = { authorization: `Bearer ${token}` };
  const api = await get(client, null, "/api/transactions", bearer);
  const page = await get(client, null, "/overview", bearer);
  if (api.status !== 401) failures.push(`the session token as a bearer token read /api/transactions (answered ${api.status})`);
  if (!(isRedirect(page) && location(page) === "/sign-in")) failures.push(`the session token as a bearer token opened /overview (answered ${page.status})`);
  return failures;
}

/** A session cookie copied before sign-out must not work after it. */
export async function checkSignOutEndsSession(client: HttpClient, credentials: Credentials): Promise<string[]> {
  const failures: string[] = [];
  const session = await signIn(client, credentials);
  if (!session.ok) return [`could not sign in to test sign-out: ${session.error}`];
  const copy = session.jar.clone();
  const before = await get(client, copy, "/api/transactions");
  if (before.status !== 200) failures.push(`the fresh session answered ${before.status} on /api/transactions`);
  const out = await signOut(client, session.jar);
  if (out.status >= 400) failures.push(`sign-out answered ${out.status}`);
  const api = await get(client, copy, "/api/transactions");
  const page = await get(client, copy, "/overview");
  const who = (jsonOf(await get(client, copy, "/api/auth/session")) as { user?: { email?: string } } | undefined)?.user?.email;
  if (api.status !== 401) failures.push(`a session cookie copied before sign-out still reads /api/transactions after it (answered ${api.status})`);
  if (!(isRedirect(page) && location(page) === "/sign-in")) failures.push(`a session cookie copied before sign-out still opens /overview after it (answered ${page.status})`);
  if (who) failures.push(`a session cookie copied before sign-out still names ${who} on /api/auth/session`);
  return failures;
}
