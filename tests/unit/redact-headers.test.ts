import { describe, expect, it } from "vitest";
import { REDACTED, redactHeaders, sourceIpOf } from "@/lib/webhooks/redact-headers";

describe("redactHeaders", () => {
  it.each([
    "authorization",
    "Proxy-Authorization",
    "cookie",
    "x-api-key",
    "X-Api-Key",
    "apikey",
    "x-auth-token",
    "x-access-token",
    "x-webhook-secret",
    "client-secret",
    "x-session-id",
    "x-password",
    "x-vercel-oidc-token",
    "x-vercel-protection-bypass",
  ])("hides the value of %s", (name) => {
    const kept = redactHeaders(new Headers({ [name]: "s3cr3t-value" }));

    expect(kept[name.toLowerCase()]).toBe(REDACTED);
    expect(JSON.stringify(kept)).not.toContain("s3cr3t-value");
  });

  it("keeps the signature and ordinary headers, with lowercased names", () => {
    const sign = "FPFVT3o227JrFRbqu19boZCpVVTF9KznxyRawUmxpfXilHV/0yK46haPhAjNu1hPUMy7Vw==";

    const kept = redactHeaders(
      new Headers({ sign, "Content-Type": "application/json", "User-Agent": "PayerMax-Notify/1.0", "X-Forwarded-For": "203.0.113.7" }),
    );

    expect(kept).toEqual({
      sign,
      "content-type": "application/json",
      "user-agent": "PayerMax-Notify/1.0",
      "x-forwarded-for": "203.0.113.7",
    });
  });

  it("uses [redacted] as the placeholder", () => {
    expect(REDACTED).toBe("[redacted]");
  });

  it("cuts very long values to 4096 characters", () => {
    const kept = redactHeaders(new Headers({ "x-long": "a".repeat(10_000) }));

    expect(kept["x-long"]).toHaveLength(4096);
  });
});

describe("sourceIpOf", () => {
  it("takes the first address of x-forwarded-for", () => {
    expect(sourceIpOf(new Headers({ "x-forwarded-for": " 203.0.113.7 , 10.0.0.1" }))).toBe("203.0.113.7");
  });

  it("falls back to x-real-ip, then to nothing", () => {
    expect(sourceIpOf(new Headers({ "x-real-ip": "198.51.100.2" }))).toBe("198.51.100.2");
    expect(sourceIpOf(new Headers())).toBeNull();
  });
});
