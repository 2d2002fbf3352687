/** @type {import('next').NextConfig} */
const staticHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig = {
  // A separate build folder lets two servers of one checkout run side by side (tests, benchmarks).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  poweredByHeader: false,
  // Loaded from node_modules at run time: PGlite reads its WebAssembly and data
  // files next to its own module, and pg has optional native bindings.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/adapter-pg", "pg", "bcryptjs"],
  async headers() {
    const production = process.env.NODE_ENV === "production";
    const hsts = { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" };
    // The Content-Security-Policy is set per request, with a nonce, in proxy.ts, and by the provider
    // webhook route for its own answers (proxy.ts does not run there). A header set here would replace
    // the route's.
    return [{ source: "/:path*", headers: production ? [...staticHeaders, hsts] : staticHeaders }];
  },
};

export default nextConfig;
