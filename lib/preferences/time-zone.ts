import { cookies } from "next/headers";
import { isValidTimeZone } from "@/lib/format";

// The zone times are shown in: the user's pick, kept in a cookie so server
// rendering and CSV exports agree with what the page shows. Until the browser
// has told us its own zone, UTC.
export const TIME_ZONE_COOKIE = "payhook_tz";

export async function preferredTimeZone(): Promise<string> {
  const value = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
  return value && isValidTimeZone(value) ? value : "UTC";
}
