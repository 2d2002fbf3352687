/** @type {import('next').NextConfig} */
const nextConfig = {
  // A separate build folder lets two servers of one checkout run side by side (tests, benchmarks).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  poweredByHeader: false,
  // Loaded from node_modules at run time: PGlite reads its WebAssembly and data
  // files next to its own module, and pg has optional native bindings.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/adapter-pg", "pg", "bcryptjs"],
};

export default nextConfig;
