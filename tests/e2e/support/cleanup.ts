import pg from "pg";

// Removes what one test put in the database, when the tests can reach it: the
// run's PostgreSQL database (CI). An embedded PGlite folder is open in the app's
// process alone, so there the test's rows go with the run's folder at the end;
// order ids are unique per test, so no test depends on this for what it sees.

export async function deleteTestData(
  databaseUrl: string,
  orders: Map<string, Set<string>>,
  signInSubjects: string[] = [],
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    for (const [provider, set] of orders) {
      const ids = [...set];
      const cases = await client.query<{ id: string }>(
        "SELECT id FROM duplicate_cases WHERE provider = $1 AND merchant_order_id = ANY($2::text[])",
        [provider, ids],
      );
      const transactions = await client.query<{ id: string }>(
        "SELECT id FROM transactions WHERE provider = $1 AND (merchant_order_id = ANY($2::text[]) OR duplicate_case_id = ANY($3::uuid[]))",
        [provider, ids, cases.rows.map((row) => row.id)],
      );
      const transactionIds = transactions.rows.map((row) => row.id);
      await client.query(
        "DELETE FROM deliveries WHERE transaction_id = ANY($1::uuid[]) OR event_id IN (SELECT id FROM events WHERE transaction_id = ANY($1::uuid[]))",
        [transactionIds],
      );
      await client.query("DELETE FROM events WHERE transaction_id = ANY($1::uuid[])", [transactionIds]);
      await client.query("DELETE FROM status_decisions WHERE transaction_id = ANY($1::uuid[])", [transactionIds]);
      await client.query("DELETE FROM transactions WHERE id = ANY($1::uuid[])", [transactionIds]);
      const caseIds = cases.rows.map((row) => row.id);
      await client.query("DELETE FROM duplicate_case_actions WHERE case_id = ANY($1::uuid[])", [caseIds]);
      await client.query("DELETE FROM duplicate_cases WHERE id = ANY($1::uuid[])", [caseIds]);
    }
    if (signInSubjects.length > 0) {
      await client.query("DELETE FROM sign_in_attempts WHERE subject = ANY($1::text[])", [signInSubjects]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
