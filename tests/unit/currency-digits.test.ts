import { describe, expect, it, vi } from "vitest";

describe("currenciesWithUnusualDigits", () => {
  it("asks Intl about every code, withdrawn ones too, without holding the event loop", async () => {
    // A fresh copy of the module: the table is computed once per process.
    vi.resetModules();
    const { amountText, currenciesWithUnusualDigits } = await import("@/lib/transactions/currency-digits");
    let turns = 0;
    let finding = true;
    const turn = () => {
      turns++;
      if (finding) setImmediate(turn);
    };
    setImmediate(turn);
    // Two exports starting at once on a fresh process share the one search.
    const first = currenciesWithUnusualDigits();
    expect(currenciesWithUnusualDigits()).toBe(first);
    const unusual = await first;
    finding = false;
    // It gives the event loop back every 26 codes; all at once, other work would wait the whole 0.2 s.
    expect(turns).toBeGreaterThanOrEqual(600);
    expect(await currenciesWithUnusualDigits()).toBe(unusual);

    const table = new Map(unusual.codes.map((code, i) => [code, unusual.digits[i]!]));
    expect(table.get("JPY")).toBe(0);
    expect(table.get("KWD")).toBe(3);
    expect(table.get("CLF")).toBe(4);
    // Withdrawn: Intl.supportedValuesOf leaves it out, Intl.NumberFormat still writes it without decimals.
    expect(Intl.supportedValuesOf("currency")).not.toContain("ITL");
    expect(table.get("ITL")).toBe(0);
    expect(table.has("PHP")).toBe(false);
    expect(table.has("USD")).toBe(false);
    // The table agrees with amountText, the page's rule, for every code it lists.
    for (const [code, digits] of table) expect(amountText("1", code), code).toBe(digits === 0 ? "1" : `1.${"0".repeat(digits)}`);
  });
});
