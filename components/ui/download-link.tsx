import type { ReactNode } from "react";

/** A file download from one of the export routes: a plain link, so it works before the page's scripts have loaded. */
export function DownloadLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a
      href={href}
      download
      className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-indigo-300"
    >
      {children}
    </a>
  );
}
