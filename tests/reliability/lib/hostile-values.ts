import fc from "fast-check";

// Values a hostile or broken sender puts in a field: wrong types, huge and
// odd numbers, negative and fractional amounts, unknown currencies and
// channels, very long strings, control characters, BOMs, lone surrogates.
// A `Raw` value is written into the JSON text as it is (JSON.stringify could
// not produce `1e400` or a 30-digit integer literal).

export class Raw {
  constructor(readonly text: string) {}
}

export type HostileValue = null | boolean | number | string | Raw | HostileValue[] | { [key: string]: HostileValue };

const CONSTANTS: HostileValue[] = [
  null, true, false, 0, -1, 1.5, -0.01, 0.001, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, -(2 ** 31),
  [], {}, [1, 2], { a: 1 }, { value: "33.50" }, [null],
  "", " ", "0", "-1", "-0", "-0.01", "-33.50", "0.5", "1.005", "0.000000001", "0.123456789", "1e3", "1E-7", "0x1F", "NaN",
  "Infinity", "-Infinity", "1,000.00", "1 000", "１２３", "٣٣", "12 ", " 12", "+5", "00012", ".5", "5.", "1..2",
  "99999999999999999999999999999", "123456789012345678901.123456789", "999999999999999999",
  "XXX", "ZZZ", "usd", "US", "USDT", "BTC", "€", "IDR ", "idr", "I D",
  "XX_BANK", "ID_", "_BCA", "id_bca_va", "ZZ_WALLET", "PH_GCASH", "MY_FPX", "RU_CARD", "TH_PROMPTPAY",
  "__proto__", "constructor", "prototype", "toString", "hasOwnProperty",
  "order.refund.success", "order.payout.success", "payment.failed", "order.payment.pending", "order.payment.success ",
  "COMPLETED", "completed", "Completed", "SUCCESS", "FAILED", "PENDING", "CANCELLED", "EXPIRED", "UNKNOWN",
  "1", "2", "3", "PAYMENT", "DUPLICATE_PAYMENT", "duplicate_payment",
  "2023-02-30 25:61:61", "0000-00-00 00:00:00", "9999-12-31 23:59:59", "2023-01-01T09:38:06Z", "1672536000", "yesterday",
  "<script>alert(1)</script>", "'; DROP TABLE transactions; --", "' OR 1=1 --", "${7*7}", "{{7*7}}", "../../etc/passwd",
  "\u0000", "a\u0000b", "\u0001\u0002\u0003", "\u001b[31mred", "\u007f", "\r\n", "\u2028\u2029", "\ufeff", "\ufeffIDR",
  "\ud800", "a\udfffb", "\udbff\udfff", "\uffff", "\ufffd", "e\u0301", "🙂", "مرحبا", "‮reversed",
];

const RAW_LITERALS = [
  "1e400", "-1e400", "1e-400", "123456789012345678901234567890", "-123456789012345678901234567890", "1.0", "-0", "1E2",
  "0.1e1", "3.50", "33.500000000000000001", "1.7976931348623157e309",
].map((text) => new Raw(text));

const controlChars = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: 40 });
const loneSurrogates = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => `x${String.fromCharCode(code)}y`);

/** A long string: at most a few hundred KiB, so a request stays under the body limit when it should. */
const longString = fc
  .tuple(fc.integer({ min: 129, max: 300_000 }), fc.constantFrom("x", "9", "é", "🙂", "\u0001", " "))
  .map(([length, char]) => char.repeat(Math.ceil(length / char.length)));

export const hostileValue: fc.Arbitrary<HostileValue> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...CONSTANTS) },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_LITERALS) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map((value) => new Raw(value.toString())) },
  { weight: 1, arbitrary: fc.double().map((value) => (Number.isFinite(value) ? value : new Raw(String(value).replace("Infinity", "1e999")))) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: controlChars },
  { weight: 1, arbitrary: loneSurrogates },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 64 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 64 }) },
  { weight: 1, arbitrary: longString },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<HostileValue> },
);

/** JSON text for a value that may hold Raw literals anywhere. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof Raw) {
      raws.push(item.text);
      return `\u0000raw${raws.length - 1}\u0000`;
    }
    return item;
  });
  // JSON.stringify writes U+0000 as \u0000, so the markers cannot collide with real text.
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_match, index: string) => raws[Number(index)]!);
}

/** A value nested `depth` levels deep, as JSON text built without recursion. */
export function deeplyNested(depth: number, kind: "array" | "object"): Raw {
  return kind === "array" ? new Raw(`${"[".repeat(depth)}1${"]".repeat(depth)}`) : new Raw(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);
}
