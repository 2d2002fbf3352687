import { describe, expect, it, vi } from "vitest";

describe("currenciesWithUnusualDigits", () => {
  it("asks Intl about every code, withdrawn ones too, without holding the event loop", async () => {
    // A fresh copy of the module: the table is computed once per process.
    vi.resetModules();
    const { amountText, currenciesWithUnusualDigits } = await import("@/lib/transactions/find-transactions");
    let turns = 0;
    let finding = true;
    const turn = () => {
      turns++;
      if (finding) setImmediate(turn);
    };
    setImmediate(turn);
    const unusual = await currenciesWithUnusualDigits();
    finding = false;
    // It gives the event loop back after each first letter; all at once, other work would wait the whole 0.2 s.
    expect(turns).toBeGreaterThanOrEqual(20);
    expect(await currenciesWithUnusualDigits()).toBe(unusual);

    const table = new Map(unusual.codes.map((code, i) => [code, unusual.digits[i]!]));
    expect(table.get("IDR")).toBe(0);
    expect(table.get("KWD")).toBe(3);
    expect(table.get("CLF")).toBe(4);
    // Withdrawn: Intl.supportedValuesOf leaves it out, Intl.NumberFormat still writes it without decimals.
    expect(Intl.supportedValuesOf("currency")).not.toContain("ITL");
    expect(table.get("ITL")).toBe(0);
    expect(table.has("PHP")).toBe(false);
    // The table agrees with amountText, the page's rule, for every code it lists.
    for (const [code, digits] of table) expect(amountText("1", code), code).toBe(digits === 0 ? "1" : `1.${"0".repeat(digits)}`);
  });
});
