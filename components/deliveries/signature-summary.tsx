/** What the signature check said, in words; the fingerprint names the key that verified it. */
export function SignatureSummary({ valid, fingerprint, full = false }: { valid: boolean | null; fingerprint: string | null; full?: boolean }) {
  const verdict =
    valid === true ? (
      <span className="text-emerald-800">Verified</span>
    ) : valid === false ? (
      <span className="font-medium text-red-800">Invalid</span>
    ) : (
      <span className="text-slate-500">Not checked</span>
    );
  return (
    <span className="inline-flex flex-col">
      {verdict}
      {fingerprint ? (
        <span className={`font-mono text-xs text-slate-500 ${full ? "break-all" : "whitespace-nowrap"}`} title={fingerprint}>
          {full || fingerprint.length <= 20 ? fingerprint : `${fingerprint.slice(0, 17)}…`}
        </span>
      ) : null}
    </span>
  );
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}
