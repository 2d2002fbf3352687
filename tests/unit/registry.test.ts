import { describe, expect, it } from "vitest";
import { findProvider, providers } from "@/lib/providers/registry";

describe("the provider registry", () => {
  it.each([
    ["paycools", "PAYCOOLS_PUBLIC_KEY", { code: 10000, message: "Success" }],
    ["paycools-id", "PAYCOOLS_ID_PUBLIC_KEY", { code: 10000, message: "Success" }],
    ["payermax", "PAYERMAX_PUBLIC_KEY", { bizCode: "0000", message: "success" }],
  ])("finds %s, reading its key from %s and acknowledging with the body its docs ask for", (name, keyVariable, acknowledgement) => {
    const adapter = findProvider(name);

    expect(adapter).toMatchObject({ name, keyVariable, acknowledgement });
  });

  it("knows exactly the three providers", () => {
    expect(providers.map((provider) => provider.name)).toEqual(["paycools", "paycools-id", "payermax"]);
  });

  it.each(["PayCools", "PAYCOOLS", "unknown", "", "__proto__"])("finds no provider named %j", (name) => {
    expect(findProvider(name)).toBeUndefined();
  });
});
