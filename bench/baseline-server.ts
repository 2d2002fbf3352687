import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { endPool, handleNotification, MAX_BODY } from "./lib/baseline-work";

// The ingest baseline: node:http and a pg Pool, nothing else. Per notification
// it does what the app does (bench/lib/baseline-work.ts): read the exact bytes
// (1 MiB cap), check the signature, read the JSON, send the app's statement and
// acknowledge once it has returned. The gap between this and the app is the
// cost of Next (measured on its own by bench/next-floor) and of the app's own
// request handling (schema validation, header redaction, the checks that
// answer a malformed request with its reason).
//
// PORT, and the variables bench/lib/baseline-work.ts reads.

function answer(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  response.end(body);
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const provider = /^\/api\/webhooks\/([a-z-]+)$/.exec(request.url ?? "")?.[1];
  const receivedAt = new Date();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return answer(response, 413, '{"error":"body_too_large"}');
    chunks.push(chunk as Buffer);
  }
  const sign = request.headers.sign;
  const result = await handleNotification(provider, request.method ?? "", Buffer.concat(chunks), typeof sign === "string" ? sign : null, JSON.stringify(request.headers), receivedAt);
  answer(response, result.status, result.body);
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: Error) => {
    console.error("ingest failed:", error.message);
    if (!response.headersSent) answer(response, 500, '{"error":"internal_error"}');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3231), "127.0.0.1", () => console.log(`baseline listening on ${process.env.PORT ?? 3231}`));
const shutdown = () => server.close(() => void endPool().then(() => process.exit(0)));
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
