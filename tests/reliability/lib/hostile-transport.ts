import fc from "fast-check";

// What happens on the way: another method, a content type that lies, a path
// that names no provider (or names one badly), a chunked body, odd headers.

const CONTENT_TYPES = [
  undefined, "application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=----x",
  "application/json; charset=iso-8859-1", "application/json; charset=utf-16", "application/xml", "*/*", "application/octet-stream", "", ";;;",
];
const METHODS = ["GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const ODD_PROVIDERS = ["stripe", "PayerMax", "PAYCOOLS", "paycools ", "pay%00cools", "%2e%2e", "payermax%2f..", "a".repeat(300), "ペイ", "__proto__", "constructor", "%E0%A4%A"];

export type TransportTwist = { contentType: string | undefined | null; method: string | null; oddProvider: string | null; chunked: boolean; extraHeaders: Record<string, string> };

/** `arbitrary` about once in `every` draws, else null. */
const rarely = <T>(every: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: every - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

export const transportTwist: fc.Arbitrary<TransportTwist> = fc.record({
  contentType: rarely(4, fc.constantFrom(...CONTENT_TYPES)),
  method: rarely(12, fc.constantFrom(...METHODS)),
  oddProvider: rarely(15, fc.constantFrom(...ODD_PROVIDERS)),
  chunked: rarely(4, fc.constant(true)).map(Boolean),
  extraHeaders: rarely(
    6,
    fc.constantFrom<Record<string, string>>(
      { "transfer-encoding": "identity" }, { "content-encoding": "br" }, { "x-forwarded-for": "1.2.3.4, 5.6.7.8" },
      { "x-forwarded-for": "' OR 1=1 --" }, { "x-real-ip": "::1" }, { expect: "100-continue" }, { sign: "" },
    ),
  ).map((value) => value ?? {}),
});
