import { connect as connectTcp, isIP, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import { ProtocolError, ResponseParser } from "./responseParser.ts";
import type { LoadRequest } from "./traffic.ts";

/** How a request on a connection ended: answered (with its status), failed, timed out, or cut by the run. */
export const SENT = { answered: 0, failed: 1, timedOut: 2, cut: 3 } as const;
export type Sent = (typeof SENT)[keyof typeof SENT];

/** Called once per request: `status` is the response's when `how` is `answered`, else 0. */
export type OnSent = (how: Sent, status: number) => void;

/** Where a connection goes: from an `http:` or `https:` origin. */
export interface ConnectionTarget {
  host: string;
  port: number;
  tls: boolean;
  /** The Host header's value. */
  authority: string;
  /** PEM certificates trusted instead of Node's own store (a test's own CA; users set NODE_EXTRA_CA_CERTS). */
  ca?: string;
}

export function connectionTarget(origin: string): ConnectionTarget {
  const url = new URL(origin);
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`the load engine speaks http: and https:, not ${url.protocol} (${origin})`);
  const tls = url.protocol === "https:";
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: Number(url.port || (tls ? 443 : 80)),
    tls,
    authority: url.host,
  };
}

// RFC 9110 token for names; field values without CR, LF or NUL.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[^\r\n\0]*$/;

/**
 * A request's bytes, HTTP/1.1 on a kept-alive connection: the request line,
 * Host (unless the request sets its own), the request's headers, and a
 * Content-Length for a body (unless the request sets the same one). A
 * header that would break the framing is refused, never sent: CR or LF in
 * it, a name that is no token, a Transfer-Encoding (the body is sent whole),
 * a Content-Length other than the body's.
 */
export function requestHead(target: ConnectionTarget, request: LoadRequest): string {
  let head = `${request.method} ${request.path || "/"} HTTP/1.1\r\n`;
  let host = false;
  let length = request.body === undefined ? undefined : Buffer.byteLength(request.body);
  for (const name in request.headers) {
    const value = request.headers[name] as string;
    if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(value))
      throw new Error(
        `header ${JSON.stringify(name)} is not a valid HTTP header (a name that is not a token, or CR/LF in its value): fix it in the load section`,
      );
    switch (
      name.length === 4 || name.length === 14 || name.length === 17 ? name.toLowerCase() : ""
    ) {
      case "host":
        host = true;
        break;
      case "transfer-encoding":
        throw new Error(
          `header ${name}: the engine sends each body whole; remove it from the load section`,
        );
      case "content-length":
        if (value.trim() !== String(length ?? 0))
          throw new Error(
            `header ${name}: ${value} is not the body's length (${length ?? 0} bytes); remove it, the engine sets it`,
          );
        length = undefined;
        break;
    }
    head += `${name}: ${value}\r\n`;
  }
  if (!host) head += `host: ${target.authority}\r\n`;
  if (length !== undefined) head += `content-length: ${length}\r\n`;
  return `${head}\r\n`;
}

/** A request as bytes, built once for a connection that sends it again and again. */
export function requestBytes(target: ConnectionTarget, request: LoadRequest): Buffer {
  return Buffer.from(requestHead(target, request) + (request.body ?? ""), "utf8");
}

/** Undici's own default when a server names no keep-alive timeout. */
const DEFAULT_IDLE_REUSE_MS = 4_000;

/**
 * One HTTP/1.1 connection of the load generator, one request at a time (a
 * user: no pipelining), opened at its first request and again after the
 * server closes it. What a load generator needs and nothing more: the bytes
 * go out in one write, the response is framed (`ResponseParser`) and its
 * body dropped as it arrives, and the caller hears once per request how it
 * ended. This is wrk's shape; undici's Client cost twice wrk's CPU per
 * request, most of it in what a generator never reads (bench/README.md).
 *
 * Bounded: a request with no byte of answer for `timeoutMs` (connect
 * included) is `timedOut` and its connection closed. A connection idle
 * longer than the server's `Keep-Alive: timeout` less a second (4 s when
 * it names none, as undici) is not reused: a server closing it as the
 * request leaves would fail a request the target did not fail.
 */
export class Http1Connection {
  private socket: Socket | undefined;
  private readonly parser = new ResponseParser();
  private onSent: OnSent | undefined;
  private idleSince = 0;
  private idleReuseMs = DEFAULT_IDLE_REUSE_MS;

  constructor(
    private readonly target: ConnectionTarget,
    private readonly timeoutMs: number,
  ) {}

  /** Is a request on it waiting for its answer? */
  get busy(): boolean {
    return this.onSent !== undefined;
  }

  /** Sends one request: its bytes, from `requestBytes` or `requestHead` and the body. */
  send(bytes: Buffer | string, onSent: OnSent, nowMs: number): void {
    if (this.onSent) throw new Error("a connection carries one request at a time");
    if (this.socket && nowMs - this.idleSince > this.idleReuseMs) this.close();
    this.onSent = onSent;
    this.parser.reset(false);
    const socket = this.socket ?? this.open();
    socket.write(bytes);
  }

  /** Ends the request in flight, if any, as `cut`, and closes the connection. */
  cut(): void {
    this.finish(SENT.cut, 0);
    this.close();
  }

  /** Closes the connection; a request in flight is cut. */
  close(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
    this.finish(SENT.cut, 0);
  }

  private finish(how: Sent, status: number): void {
    const onSent = this.onSent;
    if (!onSent) return;
    this.onSent = undefined;
    onSent(how, status);
  }

  private open(): Socket {
    const { host, port } = this.target;
    const socket = this.target.tls
      ? connectTls({
          host,
          port,
          ALPNProtocols: ["http/1.1"],
          ...(isIP(host) ? {} : { servername: host }),
          ...(this.target.ca ? { ca: this.target.ca } : {}),
        })
      : connectTcp({ host, port });
    socket.setNoDelay(true);
    socket.setTimeout(this.timeoutMs);
    this.socket = socket;
    // Events of a socket this connection has since replaced or closed are ignored.
    const failed = (how: Sent) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      socket.destroy();
      this.finish(how, 0);
    };
    socket.on("data", (chunk: Buffer) => {
      if (this.socket !== socket) return;
      if (!this.onSent) return failed(SENT.failed);
      let complete: boolean;
      try {
        complete = this.parser.feed(chunk);
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        return failed(SENT.failed);
      }
      if (!complete) return;
      const { status, keepAlive, keepAliveMs } = this.parser;
      if (keepAliveMs !== undefined) this.idleReuseMs = Math.max(0, keepAliveMs - 1_000);
      if (!keepAlive) {
        this.socket = undefined;
        socket.destroy();
      }
      this.idleSince = performance.now();
      this.finish(SENT.answered, status);
    });
    socket.on("end", () => {
      if (this.socket !== socket) return;
      // A body that runs to the close ends here; anything else in flight failed.
      if (this.onSent && this.parser.endsAtClose) {
        this.socket = undefined;
        socket.destroy();
        this.idleSince = performance.now();
        this.finish(SENT.answered, this.parser.status);
        return;
      }
      failed(SENT.failed);
    });
    socket.on("timeout", () => {
      if (this.onSent) failed(SENT.timedOut);
    });
    socket.on("error", () => failed(SENT.failed));
    socket.on("close", () => failed(SENT.failed));
    return socket;
  }
}
