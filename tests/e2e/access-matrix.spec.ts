import { createPrivateKey } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { payermaxBody } from "../../lib/simulator/samples";
import { signPayermax } from "../../lib/simulator/sign";
import { ACTION_ROLES, actionRole, checkActions, checkActionsOffered, checkRoutes, checkSessionIsCookieOnly, checkSignOutEndsSession, userActionForms, type ActionCheck, type Identity } from "../reliability/lib/access-matrix";
import { listAppRoutes, readActionManifest } from "../reliability/lib/app-routes";
import { signIn } from "../reliability/lib/auth-http";
import { createHttpClient, type HttpClient } from "../reliability/lib/http";
import { PROVIDERS } from "../reliability/lib/keys";
import { expect, test } from "./support/fixtures";

// The access matrix of the reliability suite, against this suite's server:
// every page and route handler read from app/ (so a new one is checked without
// anyone adding it), for a signed-out client, a viewer, a finance user and an
// admin; every Server Action in the build refused to the signed out, to the roles
// below the one it needs and to a cross-site caller, and run by the least role
// that may; sign-out ends the session even for a copied cookie.
// Over HTTP, as a client that is not a browser would try it.

const root = path.resolve(import.meta.dirname, "../..");
// The build the suite's server runs (scripts/e2e-server.ts builds into .next-e2e).
const buildDir = path.join(root, process.env.E2E_BUILD_DIR || ".next-e2e");

test.describe("access matrix", () => {
  let client: HttpClient;
  test.beforeEach(({ run }) => {
    client = createHttpClient(run.baseURL, 4);
  });
  test.afterEach(() => client.close());

  test("every page and route answers each role as it must, and every Server Action refuses who it must", async ({ ledger, run }) => {
    test.setTimeout(120_000);
    const original = await ledger.send("payermax");
    await ledger.send("payermax", { orderId: original.orderId, duplicateOf: { orderId: original.orderId, tradeOrderNo: original.providerTransactionId } });
    const transaction = await ledger.transaction(original);
    const [deliveryId] = await ledger.deliveryIds(transaction.id);
    // A genuine notification refused as payload_invalid: what reprocessing is for.
    const refused = signPayermax(payermaxBody({ currency: "XXX" }), createPrivateKey(run.privateKeys.payermax));
    expect((await client.request({ method: "POST", path: "/api/webhooks/payermax", headers: refused.headers, body: refused.body })).status).toBe(422);

    // A payment reported failed, then paid: a conflict for the admin to decide.
    const failedFirst = await ledger.send("payermax", { failed: true });
    await ledger.send("payermax", { orderId: failedFirst.orderId, transactionId: failedFirst.providerTransactionId });
    const conflict = await ledger.transaction(failedFirst);

    const admin = await signIn(client, run.users.admin);
    const finance = await signIn(client, run.users.finance);
    const viewer = await signIn(client, run.users.viewer);
    expect(admin.ok && finance.ok && viewer.ok, `${admin.error ?? ""} ${finance.error ?? ""} ${viewer.error ?? ""}`).toBe(true);
    const identities: Identity[] = [
      { role: "signed-out", jar: null, email: null },
      { role: "viewer", jar: viewer.jar, email: run.users.viewer.email },
      { role: "finance", jar: finance.jar, email: run.users.finance.email },
      { role: "admin", jar: admin.jar, email: run.users.admin.email },
    ];
    expect(existsSync(path.join(buildDir, "server", "server-reference-manifest.json")), `no build in ${buildDir}`).toBe(true);
    const actions = readActionManifest(buildDir);
    expect(actions.filter((action) => !ACTION_ROLES[action.exportedName]).map((action) => action.exportedName), "Server Actions without a role in ACTION_ROLES").toEqual([]);

    const database = run.databaseUrl ? new pg.Client({ connectionString: run.databaseUrl }) : null;
    await database?.connect();
    try {
      const detail = (await (await client.request({ path: `/api/transactions/${transaction.id}`, headers: { cookie: admin.jar.header() } })).body.toString()) as string;
      const caseId = (JSON.parse(detail) as { duplicateCase?: { id?: string } }).duplicateCase?.id ?? "";
      const rejected = database ? (await database.query<{ id: string }>("SELECT id FROM deliveries WHERE body = $1", [refused.body])).rows[0]?.id : undefined;

      // The conflict's page carries the decision form and the refusal's the reprocess form: both opened by every role.
      const data = { transactionId: transaction.id, deliveryId: deliveryId!, providers: PROVIDERS, moreTransactionIds: [conflict.id], moreDeliveryIds: rejected ? [rejected] : [] };
      const routes = await checkRoutes(client, listAppRoutes(root), identities, data, actions.map((action) => ({ id: action.id, role: actionRole(action) })));
      expect(routes.failures).toEqual([]);
      const offered = await checkActionsOffered(client, actions, [
        { url: `/transactions/${conflict.id}`, who: "finance", jar: finance.jar, action: "decideStatusConflictAction" },
        { url: `/duplicates?case=${caseId}`, who: "finance", jar: finance.jar, action: "resolveCaseAction" },
        ...(rejected ? [{ url: `/deliveries/${rejected}`, who: "admin", jar: admin.jar, action: "reprocessDeliveryAction" }] : []),
      ]);
      expect(offered).toEqual([]);

      const state = (sql: string, id: string) => (database ? async () => JSON.stringify((await database.query(sql, [id])).rows) : undefined);
      const forms: Record<string, Omit<ActionCheck, "action">> = {
        resolveCaseAction: { form: { caseId, resolution: "refunded", note: "Access matrix." }, state: state("SELECT resolved_at FROM duplicate_cases WHERE id = $1", caseId) },
        reopenCaseAction: { form: { caseId, note: "Access matrix." }, state: state("SELECT resolved_at FROM duplicate_cases WHERE id = $1", caseId) },
        // Still rejected when an admin runs it (the payload is still invalid): the answer shows that it ran.
        reprocessDeliveryAction: { form: { deliveryId: rejected ?? deliveryId! } },
        decideStatusConflictAction: {
          form: { transactionId: conflict.id, decision: "keep", laterSeen: conflict.conflictingStatus ?? "", note: "Access matrix." },
          state: state("SELECT status_conflict FROM transactions WHERE id = $1", conflict.id),
        },
        ...userActionForms(run.users.managed.id, `matrix-${Date.now()}@e2e.payhook.test`, state),
      };
      const order = Object.keys(forms);
      const unknown = actions.filter((action) => !forms[action.exportedName]).map((action) => `${action.exportedName} (${action.file})`);
      expect(unknown, "Server Actions this matrix has no form for: add them to tests/e2e/access-matrix.spec.ts").toEqual([]);
      const checks = [...actions].sort((a, b) => order.indexOf(a.exportedName) - order.indexOf(b.exportedName)).map((action) => ({ action, ...forms[action.exportedName]! }));
      const result = await checkActions(client, checks, { viewer: viewer.jar, finance: finance.jar, admin: admin.jar }, data);
      expect(result.failures).toEqual([]);
    } finally {
      await database?.end();
    }
  });

  test("OPTIONS on a webhook route says it takes POST, carries the route's policy and keeps nothing", async ({ run }) => {
    const database = run.databaseUrl ? new pg.Client({ connectionString: run.databaseUrl }) : null;
    await database?.connect();
    try {
      // Other tests run alongside and send webhooks: count only what an OPTIONS would have left.
      const count = async () => (database ? Number((await database.query<{ n: string }>("SELECT count(*) AS n FROM deliveries WHERE method = 'OPTIONS'")).rows[0]!.n) : 0);
      const before = await count();
      for (const provider of PROVIDERS) {
        const response = await client.request({ method: "OPTIONS", path: `/api/webhooks/${provider}` });
        expect(response.status, provider).toBe(204);
        expect(response.headers.allow, provider).toBe("POST");
        expect(response.headers["content-security-policy"], provider).toContain("frame-ancestors 'none'");
      }
      expect(await count()).toBe(before);
    } finally {
      await database?.end();
    }
  });

  test("signing out ends the session, even for a copy of its cookie", async ({ run }) => {
    expect(await checkSignOutEndsSession(client, run.users.viewer)).toEqual([]);
  });

  test("a session is its cookie: its token as a bearer token opens nothing", async ({ run }) => {
    expect(await checkSessionIsCookieOnly(client, run.users.viewer)).toEqual([]);
  });
});
