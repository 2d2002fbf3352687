import { describe, expect, it } from "vitest";
import { instantFromCursor, zonedLocalTimeToUtc } from "@/lib/time";

const iso = (text: string, zone: string) => zonedLocalTimeToUtc(text, zone)?.toISOString() ?? null;

describe("zonedLocalTimeToUtc", () => {
  it.each([
    ["2023-01-01 09:38:06", "Asia/Jakarta", "2023-01-01T02:38:06.000Z"],
    ["2023-01-01 09:38:06", "Asia/Manila", "2023-01-01T01:38:06.000Z"],
    ["2023-01-01 09:38:06", "Asia/Kuala_Lumpur", "2023-01-01T01:38:06.000Z"],
    ["2023-01-01 09:38:06", "Asia/Bangkok", "2023-01-01T02:38:06.000Z"],
    ["2023-01-01 09:38:06", "Europe/Moscow", "2023-01-01T06:38:06.000Z"],
    ["2023-01-01 09:38:06", "UTC", "2023-01-01T09:38:06.000Z"],
    ["2023-01-01 03:00:00", "Asia/Jakarta", "2022-12-31T20:00:00.000Z"],
    ["2024-02-29 00:00:00", "Asia/Jakarta", "2024-02-28T17:00:00.000Z"],
    ["2023-12-31 23:59:59", "Asia/Manila", "2023-12-31T15:59:59.000Z"],
  ])("reads %s in %s as %s", (text, zone, expected) => {
    expect(iso(text, zone)).toBe(expected);
  });

  it("accepts a T between date and time", () => {
    expect(iso("2023-01-01T09:38:06", "Asia/Jakarta")).toBe("2023-01-01T02:38:06.000Z");
  });

  it("uses the zone's offset at that date, not today's", () => {
    expect(iso("2012-01-01 12:00:00", "Europe/Moscow")).toBe("2012-01-01T08:00:00.000Z");
    expect(iso("2023-01-01 12:00:00", "America/New_York")).toBe("2023-01-01T17:00:00.000Z");
    expect(iso("2023-07-01 12:00:00", "America/New_York")).toBe("2023-07-01T16:00:00.000Z");
  });

  it("reads years before 100 as themselves, not as 19xx", () => {
    expect(iso("0023-06-15 12:00:00", "UTC")).toBe("0023-06-15T12:00:00.000Z");
  });

  it("reads the first years of the calendar in the zone's local mean time, though the formatter writes them without an era", () => {
    expect(iso("0000-06-15 12:00:00", "UTC")).toBe("0000-06-15T12:00:00.000Z");
    // New York kept local mean time, 4:56:02 behind UTC, until 1883.
    expect(iso("0001-01-01 00:00:00", "America/New_York")).toBe("0001-01-01T04:56:02.000Z");
    expect(iso("0500-03-01 00:00:00", "America/New_York")).toBe("0500-03-01T04:56:02.000Z");
    expect(iso("1800-03-01 00:00:00", "America/New_York")).toBe("1800-03-01T04:56:02.000Z");
  });

  it.each([
    "2023-02-30 10:00:00",
    "2023-02-29 10:00:00",
    "2023-04-31 10:00:00",
    "2023-13-01 10:00:00",
    "2023-00-10 10:00:00",
    "2023-01-00 10:00:00",
    "2023-01-01 24:00:00",
    "2023-01-01 23:60:00",
    "2023-01-01 23:59:60",
  ])("refuses the impossible date or time %s", (text) => {
    expect(zonedLocalTimeToUtc(text, "Asia/Jakarta")).toBeNull();
  });

  it.each([
    "",
    "2023-01-01",
    "09:38:06",
    "2023-1-1 9:38:06",
    "2023/01/01 09:38:06",
    "01/01/2023 09:38:06",
    "2023-01-01 09:38",
    "2023-01-01 09:38:06.123",
    "2023-01-01 09:38:06Z",
    "2023-01-01T09:38:06+07:00",
    " 2023-01-01 09:38:06",
    "2023-01-01 09:38:06 ",
    "1672540686",
  ])("refuses the wrong format %j", (text) => {
    expect(zonedLocalTimeToUtc(text, "Asia/Jakarta")).toBeNull();
  });
});

describe("instantFromCursor", () => {
  it("reads back only a time Date.toISOString() wrote, in a year PostgreSQL has", () => {
    expect(instantFromCursor("2026-11-22T07:30:48.613Z")?.getTime()).toBe(Date.UTC(2026, 10, 22, 7, 30, 48, 613));
    expect(instantFromCursor("0001-01-01T00:00:00.000Z")?.getUTCFullYear()).toBe(1);
    for (const text of ["0000-01-01T00:00:00.000Z", "2024-02-30T00:00:00.000Z", "2026-11-22 07:30", "2026-11-22T07:30:48Z", "+010000-01-01T00:00:00.000Z", "-000001-01-01T00:00:00.000Z", ""]) {
      expect(instantFromCursor(text), text).toBeNull();
    }
  });
});
