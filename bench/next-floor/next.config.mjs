// The Next floor: a Next.js app with one route handler that does the ingest
// baseline's work (bench/lib/baseline-work.ts). `npm run bench` builds and
// starts it beside the app and the baseline; what it costs over the baseline is
// what Next costs a route handler, before any of Payhook's code.
import app from "../../next.config.mjs";

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  serverExternalPackages: ["pg"],
  // The app's response headers, which Next's router applies to every request, webhooks included.
  headers: app.headers,
};

export default nextConfig;
