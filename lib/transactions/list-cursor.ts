import { isUuid } from "@/lib/db/is-uuid";
import { instantFromCursor } from "@/lib/time";
import { SORT_KEYS, STATUSES, type SortKey, type TransactionQuery } from "./transaction-query-params";

// A page of the transactions list begins after (or ends before) a row, named
// by a cursor: the list's order, that row's sort value as exact text, and its
// id. Pages found this way keep their rows while notifications arrive (an
// offset would shift them) and cost the same deep in the list as at its top.
//
// The cursor is opaque to the browser (base64url of JSON). It names the order
// it was made in, so a cursor pasted into a link with another sort is refused
// instead of comparing a date with an amount, and its value is checked against
// the sort column's type: PostgreSQL would fail the query on a bad cast.

/** Where a page starts or ends: the sort value of a row as exact text, and the row's id. */
export type KeysetPosition = { value: string; id: string };

export type ListCursor = KeysetPosition & { sort: SortKey; dir: "asc" | "desc" };

// The longest the server writes: a 128-character order id, every character escaped or multi-byte, in base64.
const MAX_CURSOR_LENGTH = 1_200;
// numeric(28, 8): what Decimal.toFixed() writes for the column, and nothing a cast could misread.
const AMOUNT = /^-?\d{1,20}(\.\d{1,8})?$/;

function isSortValue(sort: SortKey, value: string): boolean {
  switch (sort) {
    case "time":
      return instantFromCursor(value) !== null;
    case "amount":
      return AMOUNT.test(value);
    case "status":
      return (STATUSES as readonly string[]).includes(value);
    case "provider":
    case "merchantOrderId":
      // The columns hold 128 characters; a character outside the BMP is two in a JavaScript string.
      return [...value].length <= 128 && !value.includes("\u0000");
  }
}

export function encodeListCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.dir, cursor.value, cursor.id]), "utf8").toString("base64url");
}

/** The cursor's position, or null when the text is no cursor of this order (made for another sort, edited, cut short). */
export function decodeListCursor(text: string, order: Pick<TransactionQuery, "sort" | "dir">): KeysetPosition | null {
  if (text.length > MAX_CURSOR_LENGTH) return null;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parts) || parts.length !== 4 || !parts.every((part) => typeof part === "string")) return null;
  const [sort, dir, value, id] = parts as [string, string, string, string];
  if (!(SORT_KEYS as readonly string[]).includes(sort) || sort !== order.sort || dir !== order.dir) return null;
  if (!isUuid(id) || !isSortValue(sort as SortKey, value)) return null;
  return { value, id };
}
