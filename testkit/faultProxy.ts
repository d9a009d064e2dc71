import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * Test support: a loopback TCP proxy of our own between the harness and one
 * of its dependencies (Postgres, Redis), to give that dependency the faults
 * a flaky network gives it, without touching the shared server itself.
 *
 * - `pass()`: bytes flow both ways (held bytes are delivered first).
 * - `stall()`: the connection stays open and says nothing: bytes either way
 *   are held, and a new connection is accepted but not connected onwards.
 *   The case a server-side timeout never catches.
 * - `cut()`: every open connection is reset (RST) now; new ones still pass.
 * - `refuse()`: every new connection is reset as soon as it is accepted
 *   (a server going away), until `pass()` or `stall()`.
 *
 * It listens on 127.0.0.1 only and forwards only to the loopback address it
 * is given.
 */
export interface FaultProxy {
  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string;
  readonly port: number;
  pass(): void;
  stall(): void;
  cut(): void;
  refuse(): void;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Bytes from clients held by a stall so far (a request is in flight, unanswered). */
  readonly heldBytes: number;
  /**
   * Resolves once a client has sent `text` (say, the application_name in a
   * Postgres start-up message): a readiness wait, bounded by `withinMs`.
   */
  sent(text: string, withinMs?: number): Promise<void>;
  /** Resolves once a stall holds bytes from a client, bounded by `withinMs`. */
  holding(withinMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
  /** Held while stalled: bytes for the server, bytes for the client. */
  toServer: Buffer[];
  toClient: Buffer[];
}

/** Polls `condition` every 20 ms until it holds; rejects after `withinMs`, naming `what`. */
async function until(condition: () => boolean, withinMs: number, what: string): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(target.host))
    throw new Error(`the fault proxy forwards to loopback only, not ${target.host}`);
  let stalled = false;
  let refusing = false;
  let heldBytes = 0;
  // What clients sent, the first bytes of each connection (start-up messages name their client).
  let sentText = "";
  const SENT_KEPT = 64 * 1024;
  let accepted = 0;
  const pairs = new Set<Pair>();

  const flush = (pair: Pair) => {
    if (stalled) return;
    if (!pair.upstream) connectUpstream(pair);
    for (const chunk of pair.toServer.splice(0)) pair.upstream?.write(chunk);
    for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
  };

  const drop = (pair: Pair) => {
    pairs.delete(pair);
    pair.client.destroy();
    pair.upstream?.destroy();
  };

  const connectUpstream = (pair: Pair) => {
    const upstream = connect({ host: target.host, port: target.port });
    pair.upstream = upstream;
    upstream.on("data", (chunk: Buffer) => {
      if (stalled) pair.toClient.push(chunk);
      else pair.client.write(chunk);
    });
    upstream.on("error", () => drop(pair));
    upstream.on("close", () => drop(pair));
  };

  const server: Server = createServer((client) => {
    accepted++;
    if (refusing) {
      client.on("error", () => {});
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client, upstream: undefined, toServer: [], toClient: [] };
    pairs.add(pair);
    client.on("data", (chunk: Buffer) => {
      if (sentText.length < SENT_KEPT) sentText += chunk.toString("latin1", 0, 512);
      if (stalled) heldBytes += chunk.length;
      if (stalled || !pair.upstream) pair.toServer.push(chunk);
      else pair.upstream.write(chunk);
    });
    client.on("error", () => drop(pair));
    client.on("close", () => drop(pair));
    if (!stalled) connectUpstream(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the proxy has no port");
  const port = address.port;

  return {
    port,
    get accepted() {
      return accepted;
    },
    get heldBytes() {
      return heldBytes;
    },
    sent: (text, withinMs = 30_000) =>
      until(() => sentText.includes(text), withinMs, `"${text}" sent`),
    holding: (withinMs = 30_000) => until(() => heldBytes > 0, withinMs, "bytes held by the stall"),
    url(raw) {
      const url = new URL(raw);
      url.hostname = "127.0.0.1";
      url.port = String(port);
      return url.toString();
    },
    pass() {
      stalled = false;
      refusing = false;
      for (const pair of pairs) flush(pair);
    },
    stall() {
      stalled = true;
      refusing = false;
    },
    refuse() {
      refusing = true;
    },
    cut() {
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair.client.resetAndDestroy();
        pair.upstream?.resetAndDestroy();
      }
    },
    async close() {
      for (const pair of [...pairs]) drop(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
