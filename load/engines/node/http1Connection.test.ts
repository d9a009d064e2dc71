import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { createTestCertificates } from "../../../fixtures/referenceStack.ts";
import { closeServer, listenOnLoopback } from "../../../testkit/loopbackServer.ts";
import {
  type ConnectionTarget,
  connectionTarget,
  Http1Connection,
  requestBytes,
  requestHead,
  SENT,
  type Sent,
} from "./http1Connection.ts";

const POST = {
  method: "POST" as const,
  path: "/p",
  headers: { "content-type": "application/json" },
  body: "{}",
};

/** A server on loopback answering with `answer`, counting the connections it accepted. */
async function withServer(
  answer: (req: IncomingMessage, res: ServerResponse) => void,
  body: (origin: string, connections: () => number) => Promise<void>,
  configure: (server: ReturnType<typeof createServer>) => void = () => {},
): Promise<void> {
  const server = createServer(answer);
  configure(server);
  let connections = 0;
  server.on("connection", () => connections++);
  const origin = await listenOnLoopback(server);
  try {
    await body(origin, () => connections);
  } finally {
    await closeServer(server);
  }
}

function send(
  connection: Http1Connection,
  bytes: Buffer | string,
): Promise<{ how: Sent; status: number }> {
  return new Promise((resolve) =>
    connection.send(bytes, (how, status) => resolve({ how, status }), performance.now()),
  );
}

describe("Http1Connection", () => {
  it("keeps one connection alive for request after request, and the server reads each whole", async () => {
    const bodies: string[] = [];
    await withServer(
      (req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          bodies.push(`${req.method} ${req.url} ${req.headers.host} ${body}`);
          res.end("ok");
        });
      },
      async (origin, connections) => {
        const target = connectionTarget(origin);
        const connection = new Http1Connection(target, 5_000);
        const bytes = requestBytes(target, { ...POST, body: '{"name":"ユーザー"}' });
        for (let i = 0; i < 20; i++)
          expect(await send(connection, bytes)).toEqual({ how: SENT.answered, status: 200 });
        connection.close();
        expect(connections()).toBe(1);
        expect(bodies).toHaveLength(20);
        expect(bodies[0]).toBe(`POST /p ${new URL(origin).host} {"name":"ユーザー"}`);
      },
    );
  });

  it("frames chunked, large and close-delimited bodies, and opens a new connection after the server closes one", async () => {
    await withServer(
      (req, res) => {
        req.resume();
        if (req.url === "/chunked") {
          res.writeHead(202);
          for (let i = 0; i < 64; i++) res.write("x".repeat(16 * 1024));
          res.end();
        } else if (req.url === "/close") {
          res.writeHead(503, { connection: "close" });
          res.end("bye");
        } else {
          // HTTP/1.0-style: no length, the body ends with the connection.
          res.socket?.write("HTTP/1.1 200 OK\r\n\r\nto the end");
          res.socket?.end();
        }
      },
      async (origin, connections) => {
        const target = connectionTarget(origin);
        const connection = new Http1Connection(target, 5_000);
        const get = (path: string) => requestHead(target, { method: "GET", path, headers: {} });
        expect(await send(connection, get("/chunked"))).toEqual({
          how: SENT.answered,
          status: 202,
        });
        expect(await send(connection, get("/close"))).toEqual({ how: SENT.answered, status: 503 });
        expect(await send(connection, get("/chunked"))).toEqual({
          how: SENT.answered,
          status: 202,
        });
        expect(await send(connection, get("/until-close"))).toEqual({
          how: SENT.answered,
          status: 200,
        });
        expect(await send(connection, get("/chunked"))).toEqual({
          how: SENT.answered,
          status: 202,
        });
        connection.close();
        expect(connections()).toBe(3);
      },
    );
  });

  it("fails a response cut short, and times out a server that never answers; neither is an answer", async () => {
    await withServer(
      (req, res) => {
        req.resume();
        if (req.url === "/cut") {
          res.writeHead(200, { "content-length": "100" });
          res.write("only part");
          setTimeout(() => res.socket?.destroy(), 20);
        }
        // "/silent": never answered.
      },
      async (origin) => {
        const target = connectionTarget(origin);
        const connection = new Http1Connection(target, 300);
        const get = (path: string) => requestHead(target, { method: "GET", path, headers: {} });
        expect(await send(connection, get("/cut"))).toEqual({ how: SENT.failed, status: 0 });
        const started = performance.now();
        expect(await send(connection, get("/silent"))).toEqual({ how: SENT.timedOut, status: 0 });
        expect(performance.now() - started).toBeGreaterThanOrEqual(250);
        connection.close();
      },
    );
  });

  it("fails a refused connection, and an answer that is not HTTP", async () => {
    const closed = createServer();
    const origin = await listenOnLoopback(closed);
    await closeServer(closed);
    const refused = new Http1Connection(connectionTarget(origin), 2_000);
    expect(await send(refused, requestBytes(connectionTarget(origin), POST))).toEqual({
      how: SENT.failed,
      status: 0,
    });

    const raw = (await import("node:net")).createServer((socket: Socket) => {
      socket.once("data", () => socket.write("SSH-2.0-OpenSSH_9.6\r\n\r\n"));
    });
    await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
    try {
      const target = connectionTarget(`http://127.0.0.1:${(raw.address() as AddressInfo).port}`);
      const connection = new Http1Connection(target, 2_000);
      expect(await send(connection, requestBytes(target, POST))).toEqual({
        how: SENT.failed,
        status: 0,
      });
      connection.close();
    } finally {
      await new Promise((resolve) => raw.close(resolve));
    }
  });

  it("does not reuse a connection idle past the server's keep-alive timeout less a second", async () => {
    await withServer(
      (req, res) => {
        req.resume();
        res.end("ok");
      },
      async (origin, connections) => {
        const target = connectionTarget(origin);
        const connection = new Http1Connection(target, 5_000);
        const bytes = requestBytes(target, POST);
        expect((await send(connection, bytes)).how).toBe(SENT.answered);
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect((await send(connection, bytes)).how).toBe(SENT.answered);
        connection.close();
        // Keep-Alive: timeout=1 leaves no idle time to reuse it in.
        expect(connections()).toBe(2);
      },
      (server) => {
        server.keepAliveTimeout = 1_000;
      },
    );
  });

  it("cuts a request in flight, once", async () => {
    await withServer(
      () => {},
      async (origin) => {
        const target = connectionTarget(origin);
        const connection = new Http1Connection(target, 5_000);
        const ends: Sent[] = [];
        connection.send(requestBytes(target, POST), (how) => ends.push(how), performance.now());
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(connection.busy).toBe(true);
        connection.cut();
        connection.close();
        expect(ends).toEqual([SENT.cut]);
        expect(connection.busy).toBe(false);
      },
    );
  });

  it("speaks TLS, verifying the certificate: trusted, answered; untrusted, failed", async () => {
    const certificates = await createTestCertificates(["127.0.0.1"]);
    const server = createHttpsServer(
      { cert: certificates.certPem, key: certificates.keyPem },
      (req, res) => {
        req.resume();
        res.end("ok");
      },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const trusted: ConnectionTarget = { ...connectionTarget(origin), ca: certificates.caPem };
      const ok = new Http1Connection(trusted, 5_000);
      expect(await send(ok, requestBytes(trusted, POST))).toEqual({
        how: SENT.answered,
        status: 200,
      });
      ok.close();
      const untrusted = new Http1Connection(connectionTarget(origin), 5_000);
      expect(await send(untrusted, requestBytes(trusted, POST))).toEqual({
        how: SENT.failed,
        status: 0,
      });
      untrusted.close();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("requestHead", () => {
  const target = connectionTarget("http://127.0.0.1:8080");

  it("frames the request: Host from the origin unless set, the body's length in bytes", () => {
    expect(requestHead(target, { ...POST, body: "ユ" })).toBe(
      "POST /p HTTP/1.1\r\ncontent-type: application/json\r\nhost: 127.0.0.1:8080\r\ncontent-length: 3\r\n\r\n",
    );
    expect(requestHead(target, { method: "GET", path: "", headers: { Host: "shop.test" } })).toBe(
      "GET / HTTP/1.1\r\nHost: shop.test\r\n\r\n",
    );
    expect(requestHead(target, { ...POST, headers: { "Content-Length": "2" } })).toBe(
      "POST /p HTTP/1.1\r\nContent-Length: 2\r\nhost: 127.0.0.1:8080\r\n\r\n",
    );
  });

  it.each([
    ["CR/LF in a value (header injection)", { "x-a": "1\r\nx-b: 2" }, /not a valid HTTP header/],
    ["a name that is not a token", { "x a": "1" }, /not a valid HTTP header/],
    ["a Transfer-Encoding of its own", { "Transfer-Encoding": "chunked" }, /sends each body whole/],
    [
      "a Content-Length other than the body's",
      { "content-length": "99" },
      /not the body's length \(2 bytes\)/,
    ],
  ])("refuses %s, naming the header", (_name, headers, message) => {
    expect(() => requestHead(target, { ...POST, headers })).toThrow(message);
  });

  it("refuses an origin that is not http: or https:", () => {
    expect(() => connectionTarget("ws://127.0.0.1:1")).toThrow(/http: and https:, not ws:/);
  });
});
