// The Next floor: a Next.js app with one route handler that does the ingest
// baseline's work (bench/lib/baseline-work.ts). `npm run bench` builds and
// starts it beside the app and the baseline; what it costs over the baseline is
// Next's own per-request work, before any of Payhook's code.

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  serverExternalPackages: ["pg"],
};

export default nextConfig;
