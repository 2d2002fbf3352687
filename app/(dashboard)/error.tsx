"use client";

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="rounded-lg border border-red-200 bg-red-50 p-6">
      <h2 className="text-lg font-semibold text-red-900">This page could not be loaded</h2>
      <p className="mt-1 text-sm text-red-800">
        {error.digest ? `Something went wrong on the server (reference ${error.digest}).` : error.message}
        {" "}If the database is being restarted, try again in a moment.
      </p>
      <button type="button" onClick={reset} className="mt-4 rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800">
        Try again
      </button>
    </div>
  );
}
