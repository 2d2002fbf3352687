import { headers } from "next/headers";
import Link from "next/link";
import { DailyVolumeChart } from "@/components/overview/daily-volume-chart";
import { AttentionCard } from "@/components/overview/attention-card";
import { GettingStarted } from "@/components/overview/getting-started";
import { OpenDuplicatesCard } from "@/components/overview/open-duplicates-card";
import { TotalsCard } from "@/components/overview/totals-card";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { countOpenDuplicateCases, findDuplicateCases } from "@/lib/duplicates/find-duplicate-cases";
import { getDailyVolume } from "@/lib/overview/get-daily-volume";
import { ATTENTION_DAYS, getDeliveryAttention } from "@/lib/overview/get-delivery-attention";
import { getOverviewTotals } from "@/lib/overview/get-overview-totals";
import { hasAnyDelivery } from "@/lib/overview/has-any-delivery";
import { preferredTimeZone } from "@/lib/preferences/time-zone";
import { providers } from "@/lib/providers/registry";
import { countStatusConflicts } from "@/lib/transactions/count-status-conflicts";

export const dynamic = "force-dynamic";

const RECENT_CASES = 5;

async function requestOrigin(): Promise<string> {
  const incoming = await headers();
  const host = incoming.get("x-forwarded-host") ?? incoming.get("host") ?? "localhost:3000";
  const protocol = incoming.get("x-forwarded-proto") ?? (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  return `${protocol}://${host}`;
}

export default async function OverviewPage() {
  await requireUser("/overview");
  const [db, timeZone] = await Promise.all([getDb(), preferredTimeZone()]);

  if (!(await hasAnyDelivery(db))) {
    return (
      <>
        <PageHeader title="Overview" />
        <GettingStarted
          origin={await requestOrigin()}
          providers={providers.map(({ name, label, keyVariable }) => ({ name, label, keyVariable }))}
        />
      </>
    );
  }

  const now = new Date();
  const [totals, volume, openCount, openCases, attention, conflicts] = await Promise.all([
    getOverviewTotals(db, { timeZone, now }),
    getDailyVolume(db, { timeZone, now }),
    countOpenDuplicateCases(db),
    findDuplicateCases(db, { status: "open", limit: RECENT_CASES }),
    getDeliveryAttention(db, { now }),
    countStatusConflicts(db),
  ]);

  return (
    <>
      <PageHeader
        title="Overview"
        description={`Succeeded and failed transactions by the day Payhook first received them, in ${timeZone}.`}
      />
      <div className="space-y-6">
        {conflicts > 0 ? (
          <p role="note" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
            {conflicts === 1 ? "1 transaction has" : `${conflicts.toLocaleString("en-US")} transactions have`} conflicting final states: the
            provider reported two different outcomes, Payhook counts the first.{" "}
            <Link href="/transactions?conflicts=1" className="font-medium underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-300">
              Check {conflicts === 1 ? "it" : "them"} against the provider
            </Link>
          </p>
        ) : null}
        <div className="grid gap-6 lg:grid-cols-2">
          <TotalsCard
            title="Today"
            subtitle={totals.today.label}
            rows={totals.rows}
            pick="today"
            emptyText="No succeeded or failed transactions yet today."
          />
          <TotalsCard
            title="This month"
            subtitle={totals.month.label}
            rows={totals.rows}
            pick="month"
            emptyText="No succeeded or failed transactions yet this month."
          />
        </div>
        <DailyVolumeChart series={volume.series} days={volume.days} timeZone={timeZone} />
        <div className="grid gap-6 lg:grid-cols-2">
          <OpenDuplicatesCard count={openCount} recent={openCases.cases} timeZone={timeZone} />
          <AttentionCard groups={attention} days={ATTENTION_DAYS} timeZone={timeZone} />
        </div>
      </div>
    </>
  );
}
