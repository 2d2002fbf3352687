import net from "node:net";

// A TCP proxy on loopback between the app and PostgreSQL, so a test can take
// the database away from one app without touching the server others use:
// - cut():     nothing listens any more and every open connection is reset;
// - stall():   connections are accepted and held, nothing is forwarded (a network partition);
// - restore(): forwarding again on the same port.

type Mode = "forward" | "stall" | "down";

export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private mode: Mode = "down";
  connectionsAccepted = 0;

  constructor(
    readonly port: number,
    private readonly upstream: { host: string; port: number },
  ) {}

  get state(): Mode {
    return this.mode;
  }

  async start(): Promise<void> {
    await this.listen();
    this.mode = "forward";
  }

  /** Closes the listener and resets every open connection: the port refuses connections. */
  async cut(): Promise<void> {
    this.mode = "down";
    this.destroyAll();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Keeps accepting connections but forwards nothing, and freezes the open ones. */
  async stall(): Promise<void> {
    if (!this.server) await this.listen();
    this.mode = "stall";
    for (const socket of this.sockets) {
      socket.pause();
      socket.unpipe();
    }
  }

  async restore(): Promise<void> {
    // Frozen connections would deliver stale bytes out of order: drop them, as a healed partition does.
    if (this.mode === "stall") this.destroyAll();
    if (!this.server) await this.listen();
    this.mode = "forward";
  }

  async close(): Promise<void> {
    await this.cut();
  }

  private destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  }

  private listen(): Promise<void> {
    const server = net.createServer((client) => {
      this.connectionsAccepted++;
      this.track(client);
      if (this.mode !== "forward") {
        client.pause();
        return;
      }
      const upstream = net.connect(this.upstream.port, this.upstream.host);
      this.track(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  }
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
