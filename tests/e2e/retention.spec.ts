import pg from "pg";
import { expect, test } from "./support/fixtures";
import { ownSenderAddress } from "./support/sender";

// The retention job for refused deliveries, as a scheduler calls it (Vercel Cron
// Jobs: GET with the CRON_SECRET as a bearer token), and what an integration
// engineer sees of it on a refused delivery's page.

const JOB = "/api/cron/prune-deliveries";
const SIGNED_OUT = { cookies: [], origins: [] };

test("the job runs for the scheduler's bearer token only, and a session is no substitute for it", async ({ playwright, page, run }) => {
  const scheduler = await playwright.request.newContext({ baseURL: run.baseURL, storageState: SIGNED_OUT });
  try {
    const anonymous = await scheduler.get(JOB);
    expect(anonymous.status()).toBe(401);
    expect(anonymous.headers()["www-authenticate"]).toBe('Bearer realm="payhook-cron"');
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe("cron_unauthorized");
    expect((await scheduler.get(JOB, { headers: { authorization: "Bearer not-the-secret-at-all" } })).status()).toBe(401);
    // The test's page is signed in as an admin: its session cookie opens no job.
    expect((await page.request.get(JOB)).status()).toBe(401);

    const ran = await scheduler.get(JOB, { headers: { authorization: `Bearer ${run.cronSecret}` } });
    expect(ran.status()).toBe(200);
    expect(ran.headers()["cache-control"]).toBe("no-store");
    const result = (await ran.json()) as { deleted: number; complete: boolean; cutoff: string; retentionDays: number };
    expect(result).toMatchObject({ complete: true, retentionDays: 30 });
    expect(Date.now() - Date.parse(result.cutoff)).toBeGreaterThan(30 * 86_400_000 - 60_000);
  } finally {
    await scheduler.dispose();
  }
});

test("a refused, unsigned request shows when it will go, and is gone once past its retention period", async ({ page, run }) => {
  test.skip(!run.databaseUrl, "ages a delivery in the run's PostgreSQL database; the embedded database is the server's own");
  const marker = `retention-${Date.now()}`;
  // A webhook ignores the page's session: only a signature counts, and this request has none.
  const refused = await page.request.post("/api/webhooks/paycools", {
    data: JSON.stringify({ param: marker }),
    headers: { "content-type": "application/json", "x-forwarded-for": ownSenderAddress() },
  });
  expect(refused.status()).toBe(401);

  const database = new pg.Client({ connectionString: run.databaseUrl! });
  await database.connect();
  try {
    const { rows } = await database.query<{ id: string }>("SELECT id FROM deliveries WHERE convert_from(body, 'UTF8') LIKE $1", [`%${marker}%`]);
    expect(rows).toHaveLength(1);
    const id = rows[0]!.id;

    await page.goto(`/deliveries/${id}`);
    await expect(page.getByText("signature_missing", { exact: true })).toBeVisible();
    await expect(page.getByText(/No signature vouched for this request, so it is kept 30 days: the retention job deletes it from/)).toBeVisible();

    // Thirty-one days on, as far as this delivery is concerned.
    await database.query("UPDATE deliveries SET received_at = received_at - interval '31 days' WHERE id = $1", [id]);
    const ran = await page.request.get(JOB, { headers: { authorization: `Bearer ${run.cronSecret}` } });
    expect(ran.status()).toBe(200);
    expect(((await ran.json()) as { deleted: number }).deleted).toBeGreaterThanOrEqual(1);
    expect((await database.query("SELECT 1 FROM deliveries WHERE id = $1", [id])).rowCount).toBe(0);

    expect((await page.reload())?.status()).toBe(404);
    await expect(page.getByText("No such delivery", { exact: true })).toBeVisible();
    await expect(page.getByText(/deleted once past its retention period/)).toBeVisible();
  } finally {
    await database.end();
  }
});
