import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Payhook", template: "%s · Payhook" },
  description: "Payment-notification ledger",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Scripts run only with the per-request CSP nonce (proxy.ts), and only a page rendered per request can carry
  // it: a prerendered page (the 404) would have every script blocked. This keeps every page request-time.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
