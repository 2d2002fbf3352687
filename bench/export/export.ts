import { withPgClient } from "@/lib/db/with-pg-client";
import { processTree, rssBytes } from "../lib/processes";
import type { Session } from "../lib/session";

// The CSV export through the real route of the production server: the time to
// download every row, and how far the server's resident memory (the whole
// process tree of `next start`) rose above where it stood before the request.

export type ExportResult = {
  query: string;
  /** The same download on the server before: its first large export, when V8 sizes its heap for the work. */
  first: { seconds: number; growthBytes: number };
  /** Three times the rows on the warm server: memory that does not grow with them shows the stream holds no file in memory. */
  larger: { rows: number; seconds: number; growthBytes: number };
  /** The same rows sorted by amount, an order no index serves: read through one server-side cursor. */
  byAmount: { rows: number; seconds: number; growthBytes: number };
  rows: number;
  bytes: number;
  seconds: number;
  rssBeforeBytes: number;
  rssPeakBytes: number;
  growthBytes: number;
  samples: number;
};

/** The first day of the newest `rows` transactions in the zone, so a from-filter selects a little over that many. */
export async function exportFrom(url: string, rows: number, timeZone: string): Promise<string> {
  return withPgClient(url, async (client) => {
    const { rows: found } = await client.query<{ day: string }>(
      `SELECT to_char(first_seen_at AT TIME ZONE $1, 'YYYY-MM-DD') AS day FROM transactions ORDER BY first_seen_at DESC OFFSET $2 LIMIT 1`,
      [timeZone, rows - 1],
    );
    if (!found[0]) throw new Error(`the database holds fewer than ${rows} transactions`);
    return found[0].day;
  });
}

async function download(url: string, session: Session, maxSeconds: number, onChunk: () => void): Promise<{ bytes: number; lines: number }> {
  const response = await fetch(url, { headers: { cookie: session.header }, signal: AbortSignal.timeout(maxSeconds * 1000) });
  if (response.status !== 200 || !response.body) throw new Error(`export answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  let bytes = 0;
  let lines = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (let i = 0; i < value.length; i++) if (value[i] === 0x0a) lines++;
    onChunk();
  }
  return { bytes, lines };
}

export async function measuredExport(base: string, query: string, tree: number[], session: Session, maxSeconds: number) {
  const rssBeforeBytes = rssBytes(tree);
  let rssPeakBytes = rssBeforeBytes;
  let samples = 0;
  const sample = () => {
    samples++;
    rssPeakBytes = Math.max(rssPeakBytes, rssBytes(tree));
  };
  const timer = setInterval(sample, 50);
  const started = performance.now();
  try {
    const { bytes, lines } = await download(`${base}/api/transactions/export?${query}`, session, maxSeconds, () => {});
    const seconds = (performance.now() - started) / 1000;
    sample();
    return { rows: lines - 1, bytes, seconds, rssBeforeBytes, rssPeakBytes, growthBytes: rssPeakBytes - rssBeforeBytes, samples };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The export twice: the first large download on a fresh server also pays for V8 growing its heap to
 * the size the work needs (reported as `first`); the second, on the warm server, is the figure, and
 * shows whether memory grows with the rows sent.
 */
export async function benchExport(
  base: string,
  serverPid: number,
  session: Session,
  range: { from: string; largerFrom: string },
  maxSeconds: number,
): Promise<ExportResult> {
  const query = `from=${range.from}`;
  const tree = processTree(serverPid);
  const pause = () => new Promise((resolve) => setTimeout(resolve, 1_000));
  const first = await measuredExport(base, query, tree, session, maxSeconds);
  await pause();
  const warm = await measuredExport(base, query, tree, session, maxSeconds);
  await pause();
  const larger = await measuredExport(base, `from=${range.largerFrom}`, tree, session, maxSeconds);
  await pause();
  const byAmount = await measuredExport(base, `${query}&sort=amount&dir=desc`, tree, session, maxSeconds);
  return {
    query,
    first: { seconds: first.seconds, growthBytes: first.growthBytes },
    larger: { rows: larger.rows, seconds: larger.seconds, growthBytes: larger.growthBytes },
    byAmount: { rows: byAmount.rows, seconds: byAmount.seconds, growthBytes: byAmount.growthBytes },
    ...warm,
  };
}
