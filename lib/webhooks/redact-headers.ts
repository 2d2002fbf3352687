// Headers are stored with each delivery so an engineer can see what arrived,
// but nothing that authenticates a caller may be kept in the clear.

const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "x-vercel-oidc-token",
  "x-vercel-protection-bypass",
]);

// "auth" covers x-forwarded-authorization (Cloud Run) and x-auth-*; jwt/assertion/oidc the identity
// tokens that access proxies add (IAP, Cloudflare Access, AWS ALB's x-amzn-oidc-data).
const SECRET_PATTERN = /(secret|token|password|passwd|api-?key|session|credential|auth|jwt|assertion|oidc|private)/i;

export const REDACTED = "[redacted]";

export function redactHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    kept[lower] = SECRET_HEADERS.has(lower) || SECRET_PATTERN.test(lower) ? REDACTED : value.slice(0, 4096);
  });
  return kept;
}

/** The caller's address as the platform reports it (Vercel sets x-forwarded-for). */
export function sourceIpOf(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = (forwarded || headers.get("x-real-ip"))?.slice(0, 64).trim();
  return ip ? ip : null;
}
