import { randomUUID } from "node:crypto";
import { ACTION_ROLES, actionRole, checkActions, checkActionsOffered, checkRoutes, checkSessionIsCookieOnly, checkSignInThrottle, checkSignOutEndsSession, userActionForms, type ActionCheck, type Identity } from "../lib/access-matrix";
import { listAppRoutes, listServerActionModules, readActionManifest } from "../lib/app-routes";
import { signIn } from "../lib/auth-http";
import { createHttpClient } from "../lib/http";
import { PROVIDERS } from "../lib/keys";
import { deliver, makeNotification, uniqueId } from "../lib/notifications";
import type { PhaseResult, RunContext } from "../lib/run-context";

// Who may see and do what: every page and API route found in app/, for each
// role; every Server Action from the build's manifest, refused to the signed
// out, to viewers and to cross-site callers; sign-in throttling; sign-out.

export async function runAccess(ctx: RunContext): Promise<PhaseResult> {
  const started = Date.now();
  const failures: string[] = [];
  const notes: string[] = [];
  const db = ctx.database.pool;
  const client = createHttpClient(ctx.server.baseURL, 4);

  // Data the dynamic routes and the actions need: a declared duplicate (an open case) and a rejected delivery.
  const order = uniqueId("AC");
  const key = ctx.keys.providers.payermax.privateKey;
  const original = makeNotification("payermax", key, { orderId: order, major: "120.00" });
  const duplicate = makeNotification("payermax", key, { orderId: order, major: "120.00", duplicateOf: { orderId: order, tradeOrderNo: original.providerTransactionId } });
  for (const n of [original, duplicate]) if ((await deliver(client, n, "access")).status !== 200) failures.push(`could not store the access phase's ${n.providerTransactionId}`);
  const { rows: [tx] } = await db.query<{ id: string; duplicate_case_id: string }>("SELECT id, duplicate_case_id FROM transactions WHERE provider_transaction_id = $1", [original.providerTransactionId]);
  const { rows: [delivery] } = await db.query<{ id: string }>("SELECT id FROM deliveries WHERE transaction_id = $1 LIMIT 1", [tx!.id]);
  // A payment reported failed, then paid: a conflict for an admin to decide.
  const conflictOrder = uniqueId("AX");
  const conflictTrade = uniqueId("AXT");
  for (const failed of [true, false]) {
    const n = makeNotification("payermax", key, { orderId: conflictOrder, transactionId: conflictTrade, major: "33.00", failed });
    if ((await deliver(client, n, "access")).status !== 200) failures.push(`could not store the access phase's conflicting ${conflictTrade}`);
  }
  const { rows: [conflict] } = await db.query<{ id: string; conflicting_status: string | null }>(
    "SELECT id, conflicting_status FROM transactions WHERE provider_transaction_id = $1",
    [conflictTrade],
  );
  if (!conflict?.conflicting_status) failures.push(`${conflictTrade}, reported failed then paid, was not kept as a conflict`);
  // A genuine notification that an older Payhook refused as payload_invalid: what reprocessing exists for.
  const later = makeNotification("payermax", key, { orderId: uniqueId("AR"), major: "7.00" });
  const rejectedId = randomUUID();
  await db.query(
    `INSERT INTO deliveries (id, provider, method, outcome, http_status, error_code, reason, signature_valid, headers, body, body_size)
     VALUES ($1, 'payermax', 'POST', 'rejected', 422, 'payload_invalid', 'refused by an older version', true, $2, $3, $4)`,
    [rejectedId, JSON.stringify(later.signed.headers), later.signed.body, later.signed.body.length],
  );

  // The user the users page's actions change: a viewer of this phase's own, who never signs in.
  const managed = { id: randomUUID() };
  await db.query("INSERT INTO users (id, email, password_hash, role) VALUES ($1, $2, 'no sign-in', 'viewer')", [managed.id, `${uniqueId("managed").toLowerCase()}@reliability.payhook.test`]);
  const admin = await signIn(client, ctx.users.admin);
  const finance = await signIn(client, ctx.users.finance);
  const viewer = await signIn(client, ctx.users.viewer);
  if (!admin.ok || !finance.ok || !viewer.ok) throw new Error(`could not sign in (admin: ${admin.error}, finance: ${finance.error}, viewer: ${viewer.error})`);
  const identities: Identity[] = [
    { role: "signed-out", jar: null, email: null },
    { role: "viewer", jar: viewer.jar, email: ctx.users.viewer.email },
    { role: "finance", jar: finance.jar, email: ctx.users.finance.email },
    { role: "admin", jar: admin.jar, email: ctx.users.admin.email },
  ];

  const routes = listAppRoutes(ctx.root);
  const manifest = readActionManifest(ctx.buildDir);
  const { modules, inline } = listServerActionModules(ctx.root);
  for (const file of inline) failures.push(`${file} declares a Server Action inside a function: the matrix only knows file-level "use server" modules`);
  for (const module of modules) {
    for (const name of module.exports) {
      if (!manifest.some((action) => action.file === module.file && action.exportedName === name)) notes.push(`${module.file} exports ${name}, which no page uses (not in the build's action manifest)`);
    }
  }

  // The conflict's page carries the decision form and the refusal's the reprocess form: both opened by every role.
  const data = { transactionId: tx!.id, deliveryId: delivery!.id, providers: PROVIDERS, moreTransactionIds: conflict ? [conflict.id] : [], moreDeliveryIds: [rejectedId] };
  const matrix = await checkRoutes(client, routes, identities, data, manifest.filter((action) => ACTION_ROLES[action.exportedName]).map((action) => ({ id: action.id, role: actionRole(action) })));
  for (const action of manifest) if (!ACTION_ROLES[action.exportedName]) failures.push(`${action.exportedName} (${action.file}) has no role in ACTION_ROLES (tests/reliability/lib/access-matrix.ts)`);
  failures.push(...matrix.failures);
  failures.push(
    ...(await checkActionsOffered(client, manifest, [
      ...(conflict ? [{ url: `/transactions/${conflict.id}`, who: "finance", jar: finance.jar, action: "decideStatusConflictAction" }] : []),
      { url: `/duplicates?case=${tx!.duplicate_case_id}`, who: "finance", jar: finance.jar, action: "resolveCaseAction" },
      { url: `/deliveries/${rejectedId}`, who: "admin", jar: admin.jar, action: "reprocessDeliveryAction" },
    ])),
  );

  const caseId = tx!.duplicate_case_id;
  const state = (sql: string, id: string) => async () => JSON.stringify((await db.query(sql, [id])).rows);
  const forms: Record<string, Omit<ActionCheck, "action">> = {
    resolveCaseAction: { form: { caseId, resolution: "refunded", note: "Refunded (reliability suite)." }, state: state("SELECT resolved_at FROM duplicate_cases WHERE id = $1", caseId) },
    reopenCaseAction: { form: { caseId, note: "Reopened (reliability suite)." }, state: state("SELECT resolved_at FROM duplicate_cases WHERE id = $1", caseId) },
    reprocessDeliveryAction: { form: { deliveryId: rejectedId }, state: state("SELECT reprocessed_at FROM deliveries WHERE id = $1", rejectedId) },
    decideStatusConflictAction: {
      form: { transactionId: conflict?.id ?? "", decision: "keep", laterSeen: conflict?.conflicting_status ?? "", note: "Kept (reliability suite)." },
      state: state("SELECT status_conflict FROM transactions WHERE id = $1", conflict?.id ?? randomUUID()),
    },
    ...userActionForms(managed.id, `${uniqueId("user").toLowerCase()}@reliability.payhook.test`, state),
  };
  const order_ = Object.keys(forms);
  const checks: ActionCheck[] = [];
  for (const action of [...manifest].sort((a, b) => order_.indexOf(a.exportedName) - order_.indexOf(b.exportedName))) {
    const known = forms[action.exportedName];
    if (!known) failures.push(`no form known for the Server Action ${action.exportedName} (${action.file}): add one to tests/reliability/phases/access.ts`);
    else checks.push({ action, ...known });
  }
  const actions = await checkActions(client, checks.filter((check) => ACTION_ROLES[check.action.exportedName]), { viewer: viewer.jar, finance: finance.jar, admin: admin.jar }, data);
  failures.push(...actions.failures);

  const signOutFailures = await checkSignOutEndsSession(client, ctx.users.viewer);
  failures.push(...signOutFailures);
  const bearerFailures = await checkSessionIsCookieOnly(client, ctx.users.viewer);
  failures.push(...bearerFailures);
  const throttle = await checkSignInThrottle(client, { locked: ctx.users.throttled, other: ctx.users.viewer }, 5);
  failures.push(...throttle.failures);
  notes.push(...throttle.notes);
  client.close();

  const pages = routes.filter((route) => route.kind === "page").length;
  notes.unshift(
    `access matrix: ${routes.length} routes read from app/ (${pages} pages, ${routes.length - pages} route handlers); checks per role: signed out ${matrix.checked["signed-out"]}, viewer ${matrix.checked.viewer}, finance ${matrix.checked.finance}, admin ${matrix.checked.admin}; ${checks.length} Server Actions, each refused to the signed out, to the roles below the one it needs and cross-site, then run by the least role that may: ${actions.checked} calls; sign-out ${signOutFailures.length === 0 ? "ends the session (a copied cookie is refused afterwards)" : "does NOT end the session"}; the session token as a bearer token ${bearerFailures.length === 0 ? "is refused" : "is ACCEPTED"}`,
  );
  return { name: "access", seconds: (Date.now() - started) / 1000, figures: [], notes, failures };
}
