import { describe, expect, it } from "vitest";
import { crossSiteOrigin } from "@/lib/auth/cross-site";

const headers = (entries: Record<string, string>) => new Headers(entries);

describe("crossSiteOrigin", () => {
  it("lets a POST from the app's own pages through, by Host or by the first X-Forwarded-Host", () => {
    expect(crossSiteOrigin("POST", headers({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" }))).toBeNull();
    expect(crossSiteOrigin("POST", headers({ host: "payhook-abc.vercel.app", "x-forwarded-host": "pay.example.com, proxy.internal", origin: "https://pay.example.com" }))).toBeNull();
  });

  it("names the Origin of an unsafe request from another site", () => {
    expect(crossSiteOrigin("POST", headers({ host: "pay.example.com", origin: "https://evil.example" }))).toBe("https://evil.example");
    expect(crossSiteOrigin("delete", headers({ host: "pay.example.com", origin: "https://pay.example.com.evil.example" }))).toBe("https://pay.example.com.evil.example");
    // When X-Forwarded-Host is set, Next compares with it alone; so does this.
    expect(crossSiteOrigin("POST", headers({ host: "pay.example.com", "x-forwarded-host": "other.example", origin: "https://pay.example.com" }))).toBe("https://pay.example.com");
    // Another port is another site.
    expect(crossSiteOrigin("PATCH", headers({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3001" }))).toBe("http://127.0.0.1:3001");
  });

  it("counts an opaque or unreadable Origin as another site", () => {
    expect(crossSiteOrigin("POST", headers({ host: "pay.example.com", origin: "null" }))).toBe("null");
    expect(crossSiteOrigin("POST", headers({ host: "pay.example.com", origin: "not a url" }))).toBe("not a url");
  });

  it("leaves safe methods and requests without an Origin alone", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      expect(crossSiteOrigin(method, headers({ host: "pay.example.com", origin: "https://evil.example" })), method).toBeNull();
    }
    expect(crossSiteOrigin("POST", headers({ host: "pay.example.com" }))).toBeNull();
  });
});
