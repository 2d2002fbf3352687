import { EmptyState } from "@/components/ui/empty-state";

// What a fresh install shows: where providers send notifications and how to
// try it out without one.

export function GettingStarted({ origin, providers }: { origin: string; providers: { name: string; label: string; keyVariable: string }[] }) {
  return (
    <EmptyState title="No notifications yet">
      <div className="mx-auto mt-3 max-w-2xl space-y-4 text-left">
        <p>
          Payhook fills this page as payment providers notify it. In each provider&apos;s merchant dashboard, set the
          notification (callback) URL to Payhook&apos;s webhook for that provider, and put the provider&apos;s callback public key in
          the environment variable named beside it:
        </p>
        <table className="w-full text-sm">
          <caption className="sr-only">Webhook URL and public-key variable per provider</caption>
          <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-1 pr-3">Provider</th>
              <th scope="col" className="py-1 pr-3">Webhook URL</th>
              <th scope="col" className="py-1">Public key in</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {providers.map((provider) => (
              <tr key={provider.name}>
                <th scope="row" className="py-1.5 pr-3 text-left font-medium text-slate-800">{provider.label}</th>
                <td className="break-all py-1.5 pr-3 font-mono text-xs">{`${origin}/api/webhooks/${provider.name}`}</td>
                <td className="py-1.5 font-mono text-xs">{provider.keyVariable}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>To try Payhook without a provider, send signed sample notifications from a terminal:</p>
        <pre className="overflow-x-auto rounded-md bg-slate-900 px-3 py-2 text-xs text-slate-100">
          {[
            "npm run simulate -- paycools --count 5",
            "npm run simulate -- payermax --duplicate",
            "npm run simulate -- paycools-id --failed",
            "npm run simulate -- paycools --bad-signature",
          ].join("\n")}
        </pre>
      </div>
    </EmptyState>
  );
}
