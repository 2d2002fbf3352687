import { describe, expect, it } from "vitest";
import { decimalScale, isDecimalString, minorToMajor, parseExponentTable, sumDecimals } from "@/lib/money";

describe("minorToMajor", () => {
  it.each([
    [50000n, 2, "500.00"],
    [50010n, 2, "500.10"],
    [5n, 2, "0.05"],
    [0n, 2, "0.00"],
    [10000n, 0, "10000"],
    [0n, 0, "0"],
    [1n, 3, "0.001"],
    [123456789012345678901234567890n, 2, "1234567890123456789012345678.90"],
    [9007199254740993n, 2, "90071992547409.93"],
    [12345678n, 8, "0.12345678"],
    [-5n, 2, "-0.05"],
    [-50010n, 2, "-500.10"],
    [-7n, 0, "-7"],
  ])("turns %s minor units with exponent %i into %s", (minor, exponent, expected) => {
    expect(minorToMajor(minor, exponent)).toBe(expected);
  });

  it.each([-1, 9, 1.5, Number.NaN])("refuses exponent %s", (exponent) => {
    expect(() => minorToMajor(1n, exponent)).toThrow(RangeError);
  });
});

describe("sumDecimals", () => {
  it.each([
    [["0.1", "0.2"], "0.3"],
    [["33.50", "33.50", "33.00"], "100.00"],
    [["1", "2.5", "0.125"], "3.625"],
    [["-1.5", "1"], "-0.5"],
    [["-0.05"], "-0.05"],
    [["500.10", "-500.10"], "0.00"],
    [[], "0"],
    [["99999999999999999999.99", "0.01"], "100000000000000000000.00"],
  ])("sums %j exactly to %s", (values, expected) => {
    expect(sumDecimals(values)).toBe(expected);
  });

  it("keeps the largest scale among the values", () => {
    expect(sumDecimals(["1", "1.5", "1.25000000"])).toBe("3.75000000");
  });
});

describe("isDecimalString and decimalScale", () => {
  it.each(["0", "12", "33.50", "0.00000001", "12345678901234567890"])("accepts %s", (value) => {
    expect(isDecimalString(value)).toBe(true);
  });

  it.each(["", "-1", "+1", "1e5", "1.", ".5", "01", "1,5", " 1", "1 ", "NaN", "Infinity", "0x10"])("refuses %j", (value) => {
    expect(isDecimalString(value)).toBe(false);
  });

  it.each([
    ["33.50", 2],
    ["12", 0],
    ["0.00000001", 8],
  ])("counts the decimals of %s as %i", (value, scale) => {
    expect(decimalScale(value)).toBe(scale);
  });
});

describe("parseExponentTable", () => {
  const VARIABLE = "PAYCOOLS_ID_AMOUNT_EXPONENTS";

  it("reads an unset or empty table as no overrides", () => {
    expect(parseExponentTable(undefined, VARIABLE).size).toBe(0);
    expect(parseExponentTable("", VARIABLE).size).toBe(0);
  });

  it("reads currency:exponent pairs, with = accepted and spaces ignored", () => {
    const table = parseExponentTable("IDR:0, PHP = 2 ,MYR:2", VARIABLE);

    expect([...table.entries()]).toEqual([
      ["IDR", 0],
      ["PHP", 2],
      ["MYR", 2],
    ]);
  });

  it.each([
    ["a lowercase currency", "idr:0"],
    ["a missing exponent", "IDR"],
    ["a word for the exponent", "IDR:two"],
    ["a negative exponent", "IDR:-1"],
    ["a two-digit exponent", "IDR:10"],
    ["an exponent the converter cannot use", "IDR:9"],
    ["a trailing comma", "IDR:0,"],
    ["a four-letter code", "IDRX:0"],
    ["a semicolon separator", "IDR:0;PHP:2"],
  ])("refuses %s naming the variable and the entry", (_case, spec) => {
    expect(() => parseExponentTable(spec, VARIABLE)).toThrow(VARIABLE);
  });

  it("quotes the offending entry in its error", () => {
    expect(() => parseExponentTable("IDR:0,PHP:x", VARIABLE)).toThrow(/"PHP:x" is not CURRENCY:EXPONENT/);
  });
});
