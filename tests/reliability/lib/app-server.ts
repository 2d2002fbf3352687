import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { createHttpClient } from "./http";

// One production Payhook server (`next start` on a build folder) that a test can
// start, SIGKILL and start again. Everything it prints is kept, so the leak
// check can read the logs of the whole run.

export type AppServerOptions = {
  root: string;
  port: number;
  distDir: string;
  env: Record<string, string | undefined>;
  logFile: string;
};

export class AppServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly output: string[] = [];
  starts = 0;

  constructor(private readonly options: AppServerOptions) {}

  get baseURL(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Everything the server printed, on stdout and stderr, across every start. */
  logs(): string {
    return this.output.join("");
  }

  /** Starts `next start` and waits until it answers HTTP (whatever the database's state). */
  async start(env: Record<string, string | undefined> = {}): Promise<number> {
    if (this.child) throw new Error("the server is already running");
    const started = Date.now();
    const nextBin = path.join(path.dirname(createRequire(import.meta.url).resolve("next/package.json")), "dist", "bin", "next");
    const child = spawn(process.execPath, [nextBin, "start", "--port", String(this.options.port), "--hostname", "127.0.0.1"], {
      cwd: this.options.root,
      env: { ...this.options.env, ...env, NEXT_DIST_DIR: this.options.distDir, PORT: String(this.options.port) } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    this.starts++;
    const keep = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      this.output.push(text);
      appendFileSync(this.options.logFile, text);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    void this.exited.then(() => {
      if (this.child === child) this.child = undefined;
    });

    const client = createHttpClient(this.baseURL, 1);
    try {
      for (;;) {
        if (!this.child) throw new Error(`next start exited during start-up; see ${this.options.logFile}`);
        const answer = await client.request({ path: "/api/health", timeoutMs: 10_000 });
        if (answer.status > 0) break;
        if (Date.now() - started > 90_000) throw new Error("next start did not answer within 90 s");
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    } finally {
      client.close();
    }
    return Date.now() - started;
  }

  /** Ends the process with `signal` (SIGKILL: no shutdown code runs) and waits for it to be gone. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill(signal);
    await this.exited;
    this.child = undefined;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await this.exited;
    clearTimeout(timer);
    this.child = undefined;
  }
}
