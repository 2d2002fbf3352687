import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { describe, expect, it } from "vitest";
import { config } from "@/proxy";

const runs = (path: string) => unstable_doesMiddlewareMatch({ config, url: `http://localhost${path}` });

describe("proxy.ts matcher", () => {
  it("leaves out the provider webhooks, whose route sets its own policy", () => {
    for (const path of ["/api/webhooks/paycools", "/api/webhooks/paycools-id", "/api/webhooks/payermax", "/api/webhooks/stripe"]) {
      expect(runs(path), path).toBe(false);
    }
  });

  it("still runs for every other webhook path, so a malformed escape is a 400, not a bare 500", () => {
    for (const path of ["/api/webhooks/%E0%A4%A", "/api/webhooks/PAYCOOLS", "/api/webhooks/payermax/extra", "/api/webhooks", "/api/webhooks/pay%00cools"]) {
      expect(runs(path), path).toBe(true);
    }
  });

  it("runs for pages and the other APIs", () => {
    for (const path of ["/", "/overview", "/transactions", "/api/transactions", "/api/health", "/api/cron/prune-deliveries", "/api/auth/session", "/sign-in", "/no-such-page"]) {
      expect(runs(path), path).toBe(true);
    }
  });
});
