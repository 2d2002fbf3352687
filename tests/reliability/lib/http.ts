import http from "node:http";
import { Readable } from "node:stream";

// A small HTTP client over node:http, so a test controls exactly what goes on
// the wire (bytes, repeated headers, chunked bodies, any method) and how many
// connections are used. Transport failures are answers too (status 0): a test
// that kills the server must be able to record "not acknowledged".

export type HttpRequest = {
  method?: string;
  path: string;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string;
  /** Send the body with Transfer-Encoding: chunked, in pieces of this many bytes. */
  chunkSize?: number;
  timeoutMs?: number;
};

export type HttpResponse = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  ms: number;
  /** Time spent waiting for a free connection before the request went out (a client-side queue, not the server). */
  queuedMs: number;
  /** Set when no complete answer arrived: the connection failed, was reset, or timed out. */
  error?: string;
};

export type HttpClient = {
  baseURL: string;
  request(request: HttpRequest): Promise<HttpResponse>;
  close(): void;
};

/**
 * `resendOnStaleConnection` (default true): a request reset on a kept-alive connection before any answer is sent
 * once more on a fresh one. The fault phases turn it off: there a reset is what they measure.
 */
export function createHttpClient(baseURL: string, connections = 16, { resendOnStaleConnection = true } = {}): HttpClient {
  const base = new URL(baseURL);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  return {
    baseURL,
    close: () => agent.destroy(),
    async request(request) {
      const answer = await send(request);
      // A kept-alive connection the server closed as the request went out (its idle timeout, or the close after
      // a refused request) resets before the server read anything: Node's documented race. Sent again on a fresh
      // connection, as an HTTP client does; a reset on a fresh connection stays an answer of its own.
      return resendOnStaleConnection && answer.reusedSocketReset ? (await send(request, true)).response : answer.response;
    },
  };

  function send(request: HttpRequest, fresh = false): Promise<{ response: HttpResponse; reusedSocketReset: boolean }> {
    const started = performance.now();
    return new Promise((resolve) => {
      let settled = false;
      let sentAt = started;
      let answered = false;
      const finish = (response: Omit<HttpResponse, "ms" | "queuedMs">, reusedSocketReset = false) => {
        if (settled) return;
        settled = true;
        resolve({ response: { ...response, ms: performance.now() - sentAt, queuedMs: sentAt - started }, reusedSocketReset });
      };
      const body = typeof request.body === "string" ? Buffer.from(request.body, "utf8") : request.body;
      const headers: Record<string, string | string[] | number> = { ...request.headers };
      if (body && !request.chunkSize) headers["content-length"] = body.length;
      // Node frames a GET/HEAD/DELETE body as chunked only when told to; unframed bytes would read as a second request.
      if (body && request.chunkSize && !Object.keys(headers).some((name) => name.toLowerCase() === "transfer-encoding")) headers["transfer-encoding"] = "chunked";
      const req = http.request(
        { host: base.hostname, port: base.port, method: request.method ?? "GET", path: request.path, headers, agent: fresh ? false : agent },
        (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => finish({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on("error", (error) => finish({ status: 0, headers: res.headers, body: Buffer.concat(chunks), error: error.message }));
        },
      );
      req.once("socket", () => {
        sentAt = performance.now();
      });
      req.setTimeout(request.timeoutMs ?? 30_000, () => req.destroy(new Error("timeout")));
      // A server that answers early (413) and closes makes the rest of the write fail; the answer stands.
      req.on("error", (error) =>
        finish(
          { status: 0, headers: {}, body: Buffer.alloc(0), error: error.message },
          !answered && req.reusedSocket && (error as NodeJS.ErrnoException).code === "ECONNRESET",
        ),
      );
      if (!body) {
        req.end();
      } else if (request.chunkSize) {
        const size = request.chunkSize;
        const pieces = function* () {
          for (let at = 0; at < body.length; at += size) yield body.subarray(at, at + size);
        };
        Readable.from(pieces()).on("error", () => undefined).pipe(req);
      } else {
        req.end(body);
      }
    });
  }
}

/** Cookies kept per name, as a browser would send them back to one site. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: HttpResponse): void {
    const setCookie = response.headers["set-cookie"] ?? [];
    for (const line of setCookie) {
      const [pair, ...attributes] = line.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute) || /expires=Thu, 01 Jan 1970/i.test(attribute));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [name, value] of this.cookies) copy.set(name, value);
    return copy;
  }
}

export function jsonOf(response: HttpResponse): unknown {
  try {
    return JSON.parse(response.body.toString("utf8"));
  } catch {
    return undefined;
  }
}
