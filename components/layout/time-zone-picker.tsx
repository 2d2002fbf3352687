"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

const COOKIE = "payhook_tz";
const CHOSEN = "payhook_tz_chosen";
const ZONES = ["UTC", "Asia/Jakarta", "Asia/Manila", "Asia/Kuala_Lumpur", "Asia/Bangkok", "Asia/Singapore", "Europe/Moscow", "Europe/London", "America/New_York"];

function writeCookie(name: string, value: string) {
  document.cookie = `${name}=${encodeURIComponent(value)}; path=/; max-age=31536000; samesite=lax`;
}

function readCookie(name: string): string | undefined {
  return document.cookie.split("; ").find((part) => part.startsWith(`${name}=`))?.split("=")[1];
}

/** Shows times in the zone the user picks; until they pick one, the browser's own. */
export function TimeZonePicker({ current }: { current: string }) {
  const router = useRouter();
  const [browserZone, setBrowserZone] = useState<string | null>(null);

  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    setBrowserZone(zone);
    if (!readCookie(CHOSEN) && zone && zone !== current) {
      writeCookie(COOKIE, zone);
      router.refresh();
    }
  }, [current, router]);

  const options = Array.from(new Set([current, ...(browserZone ? [browserZone] : []), ...ZONES]));
  return (
    <label className="flex items-center gap-2 text-sm text-slate-600">
      <span className="hidden sm:inline">Times in</span>
      <select
        aria-label="Time zone"
        value={current}
        onChange={(event) => {
          writeCookie(COOKIE, event.target.value);
          writeCookie(CHOSEN, "1");
          router.refresh();
        }}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
      >
        {options.map((zone) => (
          <option key={zone} value={zone}>
            {zone}
            {zone === browserZone ? " (browser)" : ""}
          </option>
        ))}
      </select>
    </label>
  );
}
