import Link from "next/link";
import { notFound } from "next/navigation";
import { DeliveryBody } from "@/components/deliveries/delivery-body";
import { DeliveryHeaders } from "@/components/deliveries/delivery-headers";
import { DeliverySummary } from "@/components/deliveries/delivery-summary";
import { ReprocessingSection } from "@/components/deliveries/reprocessing-section";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { getDelivery } from "@/lib/deliveries/get-delivery";
import { isCronConfigured } from "@/lib/deliveries/handle-prune-request";
import { isPrunable, retentionEnds } from "@/lib/deliveries/prune-refused-deliveries";
import { reprocessRefusal } from "@/lib/deliveries/reprocess-delivery";
import { getEnv } from "@/lib/env";
import { PROVIDER_LABELS } from "@/lib/format";
import { preferredTimeZone } from "@/lib/preferences/time-zone";
import { hasRole } from "@/lib/users/user-rules";

export const dynamic = "force-dynamic";

export default async function DeliveryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/deliveries/${encodeURIComponent(id)}`);
  const [db, timeZone] = await Promise.all([getDb(), preferredTimeZone()]);
  const delivery = await getDelivery(db, id);
  if (!delivery) notFound();

  const env = getEnv();
  const days = env.REFUSED_DELIVERY_RETENTION_DAYS;
  // Only where the job can run: without a usable CRON_SECRET nothing is ever deleted.
  const retention = isCronConfigured(env.CRON_SECRET) && isPrunable(delivery) ? { days, from: retentionEnds(delivery.receivedAt, days) } : null;
  const refusal = delivery.outcome === "rejected" && !delivery.reprocessedAt ? (reprocessRefusal(delivery)?.message ?? null) : null;

  return (
    <>
      <PageHeader
        title={`${PROVIDER_LABELS[delivery.provider] ?? delivery.provider} delivery`}
        description={<span className="font-mono text-xs">{delivery.id}</span>}
        actions={
          <Link
            href="/deliveries"
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-300"
          >
            ← All deliveries
          </Link>
        }
      />
      <div className="space-y-6">
        <DeliverySummary delivery={delivery} timeZone={timeZone} retention={retention} />
        <ReprocessingSection delivery={delivery} isAdmin={hasRole(user.role, "admin")} refusal={refusal} timeZone={timeZone} />
        <DeliveryHeaders headers={delivery.headers} />
        <DeliveryBody delivery={delivery} />
      </div>
    </>
  );
}
