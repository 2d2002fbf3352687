import type { Db } from "@/lib/db/client";
import { findDuplicateCases, countOpenDuplicateCases } from "@/lib/duplicates/find-duplicate-cases";
import { getDailyVolume } from "@/lib/overview/get-daily-volume";
import { getDeliveryAttention } from "@/lib/overview/get-delivery-attention";
import { getOverviewTotals } from "@/lib/overview/get-overview-totals";
import { hasAnyDelivery } from "@/lib/overview/has-any-delivery";
import { countStatusConflicts } from "@/lib/transactions/count-status-conflicts";
import { addDays, localDateOf } from "@/lib/overview/zoned-calendar";
import { countTransactions, findTransactions } from "@/lib/transactions/find-transactions";
import { getTransaction } from "@/lib/transactions/get-transaction";
import { encodeListCursor } from "@/lib/transactions/list-cursor";
import { parseTransactionQuery } from "@/lib/transactions/transaction-filters";
import { withPgClient } from "@/lib/db/with-pg-client";
import { deliveriesQuerySchema, findDeliveries, SEARCH_REFUSALS_READ } from "@/lib/deliveries/find-deliveries";

// What each dashboard page asks the database, called exactly as the pages call
// it (the transactions page runs its list and its bounded count side by side).

export type Scenario = {
  key: string;
  label: string;
  /** "search" has the 20 ms target, "page" the 100 ms one, "info" none (shown for context). */
  kind: "page" | "search" | "info";
  run: (db: Db) => Promise<unknown>;
};

export type Picks = { orderId: string; vaNumber: string; detailId: string; from: string; to: string; deepCursor: string };

/** One of the 128 addresses the fill's refusals come from (bench/fill/fill-sql.ts). */
const BENCH_SENDER = "203.0.113.7";

/** Rows before the deep page: page 2,001 at the default 50 a page. */
const DEEP_ROWS = 100_000;

/** Real values from the filled database to search for and open. */
export async function pickValues(url: string, timeZone: string): Promise<Picks> {
  return withPgClient(url, async (client) => {
    // A repeatable sample: the same rows on every run of the same fill.
    const order = await client.query<{ merchant_order_id: string }>(
      "SELECT merchant_order_id FROM transactions TABLESAMPLE SYSTEM (1) REPEATABLE (7) WHERE provider <> 'paycools-id' LIMIT 1",
    );
    const va = await client.query<{ reference_number: string }>(
      "SELECT reference_number FROM transactions TABLESAMPLE SYSTEM (1) REPEATABLE (11) WHERE provider = 'paycools-id' LIMIT 1",
    );
    // A payment of a duplicate case: the detail page's fullest case (retries, events, case, related payments).
    const detail = await client.query<{ id: string }>("SELECT id::text FROM transactions WHERE duplicate_source = 'detected' LIMIT 1 OFFSET 10");
    // The 100,000th newest row: where "Next" from page 2,000 of the default order starts.
    const deep = await client.query<{ id: string; at: Date }>(
      `SELECT id::text, first_seen_at AS at FROM transactions ORDER BY first_seen_at DESC, id DESC OFFSET ${DEEP_ROWS - 1} LIMIT 1`,
    );
    const orderId = order.rows[0]?.merchant_order_id;
    const vaNumber = va.rows[0]?.reference_number;
    const detailId = detail.rows[0]?.id;
    const deepRow = deep.rows[0];
    if (!orderId || !vaNumber || !detailId || !deepRow) throw new Error("the filled database lacks the rows the dashboard bench looks for");
    const today = localDateOf(new Date(), timeZone);
    const deepCursor = encodeListCursor({ sort: "time", dir: "desc", value: deepRow.at.toISOString(), id: deepRow.id });
    return { orderId, vaNumber, detailId, from: addDays(today, -89), to: today, deepCursor };
  });
}

function transactionsPage(params: Record<string, string>, timeZone: string) {
  const query = parseTransactionQuery(params);
  return (db: Db) => Promise.all([findTransactions(db, query, timeZone), countTransactions(db, query, timeZone)]);
}

export function scenarios(picks: Picks, timeZone: string): Scenario[] {
  return [
    {
      key: "transactions-first",
      label: "Transactions, first page, default order (newest first)",
      kind: "page",
      run: transactionsPage({}, timeZone),
    },
    {
      key: "transactions-deep",
      label: `Transactions, page ${(DEEP_ROWS / 50 + 1).toLocaleString("en-US")} of the default order, by its cursor (Next from page ${(DEEP_ROWS / 50).toLocaleString("en-US")})`,
      kind: "page",
      run: transactionsPage({ page: String(DEEP_ROWS / 50 + 1), after: picks.deepCursor }, timeZone),
    },
    {
      key: "transactions-deep-offset",
      label: `The same page by offset (a link without a cursor): ${DEEP_ROWS.toLocaleString("en-US")} rows skipped`,
      kind: "info",
      run: transactionsPage({ page: String(DEEP_ROWS / 50 + 1) }, timeZone),
    },
    {
      key: "transactions-filtered",
      label: `Transactions: PayCools + succeeded + ${picks.from}…${picks.to}, by amount`,
      kind: "page",
      run: transactionsPage({ provider: "paycools", status: "succeeded", from: picks.from, to: picks.to, sort: "amount" }, timeZone),
    },
    {
      key: "search-order",
      label: `Search: exact merchant order id (${picks.orderId})`,
      kind: "search",
      run: transactionsPage({ q: picks.orderId }, timeZone),
    },
    {
      key: "search-va",
      label: `Search: VA number (${picks.vaNumber})`,
      kind: "search",
      run: transactionsPage({ q: picks.vaNumber }, timeZone),
    },
    {
      key: "search-deliveries",
      label: `Deliveries: search by merchant order id (${picks.orderId}; its transaction's deliveries and the bodies of the newest ${SEARCH_REFUSALS_READ.toLocaleString("en-US")} refusals)`,
      kind: "search",
      run: (db) => findDeliveries(db, deliveriesQuerySchema.parse({ q: picks.orderId })),
    },
    {
      key: "sender-refusals",
      label: `Deliveries: the refusals from one sender address (${BENCH_SENDER}), newest first`,
      kind: "page",
      run: (db) => findDeliveries(db, deliveriesQuerySchema.parse({ sender: BENCH_SENDER })),
    },
    {
      key: "duplicates",
      label: "Duplicate payments, open cases, first page",
      kind: "page",
      run: (db) => findDuplicateCases(db, { status: "open" }),
    },
    {
      key: "overview-totals",
      label: "Overview totals (today and this month)",
      kind: "page",
      run: (db) => getOverviewTotals(db, { timeZone }),
    },
    {
      key: "overview-page",
      label: "Overview page, all its queries (totals, 30-day chart, cases, attention, conflicts)",
      kind: "info",
      run: async (db) => {
        await hasAnyDelivery(db);
        const now = new Date();
        return Promise.all([
          getOverviewTotals(db, { timeZone, now }),
          getDailyVolume(db, { timeZone, now }),
          countOpenDuplicateCases(db),
          findDuplicateCases(db, { status: "open", limit: 5 }),
          getDeliveryAttention(db, { now }),
          countStatusConflicts(db),
        ]);
      },
    },
    {
      key: "detail",
      label: "Transaction detail (a duplicate payment: deliveries, events, case, related)",
      kind: "page",
      run: (db) => getTransaction(db, picks.detailId),
    },
  ];
}
