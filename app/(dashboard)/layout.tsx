import { headers } from "next/headers";
import Link from "next/link";
import type { ReactNode } from "react";
import { NavLinks } from "@/components/layout/nav-links";
import { SignOutButton } from "@/components/layout/sign-out-button";
import { TimeZonePicker } from "@/components/layout/time-zone-picker";
import { RETURN_TO_HEADER, safeReturnPath } from "@/lib/auth/safe-return-path";
import { requireUser } from "@/lib/auth/session";
import { preferredTimeZone } from "@/lib/preferences/time-zone";
import { hasRole } from "@/lib/users/user-rules";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  // A cookie that looks valid but names a revoked session passes the proxy: after signing in again, back to the page asked for.
  const user = await requireUser(safeReturnPath((await headers()).get(RETURN_TO_HEADER)));
  const timeZone = await preferredTimeZone();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <div className="flex flex-wrap items-center gap-4">
            <Link href="/overview" className="text-lg font-semibold text-indigo-700">Payhook</Link>
            <NavLinks admin={hasRole(user.role, "admin")} />
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <TimeZonePicker current={timeZone} />
            <span className="text-sm text-slate-600" data-testid="current-user">
              {user.email} <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs uppercase tracking-wide">{user.role}</span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
    </div>
  );
}
