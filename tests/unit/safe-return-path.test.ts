import { describe, expect, it } from "vitest";
import { safeReturnPath } from "@/lib/auth/safe-return-path";

// The callbackUrl a sign-in link carries, as the page reads it (already
// percent-decoded): only a path on this site comes back out.

describe("safeReturnPath", () => {
  it.each([
    "/transactions?status=failed&q=ORD-1",
    "/transactions/0190f0a0-0000-7000-8000-000000000000#deliveries",
    "/duplicates?case=abc",
  ])("keeps %j", (path) => {
    expect(safeReturnPath(path)).toBe(path);
  });

  it.each([
    ["no value", undefined],
    ["an empty one", ""],
    ["another site", "https://evil.example/"],
    ["a protocol-relative URL", "//evil.example/"],
    ["a backslash the browser reads as a slash", "/\\evil.example"],
    ["a tab the browser drops (?callbackUrl=/%09/evil.example)", "/\t/evil.example"],
    ["a line break the browser drops", "/\n/evil.example"],
    ["a carriage return and line feed", "/\r\n/evil.example"],
    ["a dot segment that normalises to //", "/.//evil.example"],
    ["a parent segment that normalises to //", "/..//evil.example"],
    ["a deeper parent segment that normalises to //", "/a/..//evil.example"],
    ["an encoded dot segment", "/%2e//evil.example"],
    ["a script URL", "javascript:alert(1)"],
    ["the sign-in page itself", "/sign-in?callbackUrl=/overview"],
    ["a path without its leading slash", "transactions"],
  ])("refuses %s", (_, value) => {
    expect(safeReturnPath(value)).toBe("/overview");
  });

  it("takes the first of repeated values and normalises the path", () => {
    expect(safeReturnPath(["/transactions", "https://evil.example"])).toBe("/transactions");
    expect(safeReturnPath("/transactions/../overview")).toBe("/overview");
    expect(safeReturnPath("/a b")).toBe("/a%20b");
  });
});
