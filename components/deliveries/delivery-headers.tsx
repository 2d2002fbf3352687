export function DeliveryHeaders({ headers }: { headers: [string, string][] }) {
  return (
    <section aria-labelledby="headers-heading" className="rounded-lg border border-slate-200 bg-white">
      <div className="border-b border-slate-100 px-4 py-3">
        <h2 id="headers-heading" className="font-semibold">
          Request headers
        </h2>
        <p className="text-xs text-slate-500">As stored: credentials, cookies and session headers are replaced by [redacted].</p>
      </div>
      {headers.length === 0 ? (
        <p className="px-4 py-4 text-sm text-slate-600">No headers were stored.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">Request headers</caption>
            <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="w-64 px-4 py-2">Name</th>
                <th scope="col" className="px-4 py-2">Value</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 font-mono text-xs">
              {headers.map(([name, value]) => (
                <tr key={name} className="align-top">
                  <th scope="row" className="whitespace-nowrap px-4 py-1.5 text-left font-medium text-slate-700">
                    {name}
                  </th>
                  <td className="break-all px-4 py-1.5 text-slate-800">{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
