import { describe, expect, it } from "vitest";
import { ProtocolError, ResponseParser } from "./responseParser.ts";

/** Feeds `text` in pieces cut at `cuts`; the index of the piece that completed it, or -1. */
function feedCut(parser: ResponseParser, text: string, cuts: number[]): number {
  const bytes = Buffer.from(text, "latin1");
  const edges = [0, ...cuts, bytes.length];
  for (let i = 0; i + 1 < edges.length; i++)
    if (parser.feed(bytes.subarray(edges[i], edges[i + 1]))) return i;
  return -1;
}

/** Every way of cutting `text` in two, and into single bytes: each must frame the same. */
function framings(text: string): number[][] {
  const cuts: number[][] = [[]];
  for (let at = 1; at < text.length; at++) cuts.push([at]);
  cuts.push(Array.from({ length: text.length - 1 }, (_, i) => i + 1));
  return cuts;
}

const framed: Array<[string, string, number, boolean]> = [
  ["Content-Length", 'HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{"ok":true}', 200, true],
  [
    "chunked, with an extension and trailers",
    "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n1\r\n!\r\n0\r\nX-Trailer: 1\r\n\r\n",
    201,
    true,
  ],
  [
    "chunked over a Content-Length",
    "HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n",
    200,
    true,
  ],
  ["204 with no length", "HTTP/1.1 204 No Content\r\n\r\n", 204, true],
  [
    "304 whose length is the resource's",
    "HTTP/1.1 304 Not Modified\r\nContent-Length: 500\r\n\r\n",
    304,
    true,
  ],
  [
    "a 100 Continue first",
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    200,
    true,
  ],
  [
    "103 Early Hints first",
    "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 503 Busy\r\ncontent-length: 0\r\n\r\n",
    503,
    true,
  ],
  [
    "Connection: close",
    "HTTP/1.1 500 Oops\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx",
    500,
    false,
  ],
  ["HTTP/1.0 without keep-alive", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", 200, false],
  [
    "HTTP/1.0 with keep-alive",
    "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx",
    200,
    true,
  ],
  ["a status line with no reason", "HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n", 404, true],
];

describe("ResponseParser", () => {
  it.each(framed)("frames %s, however the bytes arrive", (_name, text, status, keepAlive) => {
    for (const cuts of framings(text)) {
      const parser = new ResponseParser();
      parser.reset(false);
      expect(feedCut(parser, text, cuts), `cut at ${cuts.join(",")}`).toBe(cuts.length);
      expect(parser.status).toBe(status);
      expect(parser.keepAlive).toBe(keepAlive);
    }
  });

  it("is not complete a byte early: every prefix of a response leaves it waiting", () => {
    for (const [, text] of framed) {
      const parser = new ResponseParser();
      parser.reset(false);
      expect(parser.feed(Buffer.from(text.slice(0, -1), "latin1")), text).toBe(false);
    }
  });

  it("reads no body after a HEAD, whatever the length says", () => {
    const parser = new ResponseParser();
    parser.reset(true);
    expect(parser.feed(Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"))).toBe(true);
  });

  it("runs a body with no length to the close, and the connection is not reused", () => {
    const parser = new ResponseParser();
    parser.reset(false);
    expect(parser.feed(Buffer.from("HTTP/1.1 200 OK\r\n\r\nsome body"))).toBe(false);
    expect(parser.endsAtClose).toBe(true);
    expect(parser.keepAlive).toBe(false);
    expect(parser.feed(Buffer.from("more"))).toBe(false);
  });

  it("keeps the server's keep-alive timeout", () => {
    const parser = new ResponseParser();
    parser.reset(false);
    parser.feed(
      Buffer.from("HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n"),
    );
    expect(parser.keepAliveMs).toBe(5_000);
  });

  it.each([
    ["not HTTP", "SSH-2.0-OpenSSH\r\n\r\n"],
    ["HTTP/2 framing", "HTTP/2 200\r\n\r\n"],
    ["a status of two digits", "HTTP/1.1 20 OK\r\n\r\n"],
    ["a length that is no number", "HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n"],
    [
      "two lengths that differ",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx",
    ],
    ["a header line with no name", "HTTP/1.1 200 OK\r\n: x\r\n\r\n"],
    ["a header line with no colon", "HTTP/1.1 200 OK\r\nbroken\r\n\r\n"],
    ["a chunk size that is no hex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"],
    [
      "a chunk not ended by CRLF",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
    ],
    [
      "bytes after the response",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 200 OK\r\n",
    ],
    ["101 unasked", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"],
  ])("refuses %s, never guesses", (_name, text) => {
    const parser = new ResponseParser();
    parser.reset(false);
    expect(() => parser.feed(Buffer.from(text, "latin1"))).toThrow(ProtocolError);
  });

  it("refuses a head that never ends, at 64 KiB", () => {
    const parser = new ResponseParser();
    parser.reset(false);
    expect(parser.feed(Buffer.from("HTTP/1.1 200 OK\r\n"))).toBe(false);
    const header = Buffer.from(`X-Long: ${"a".repeat(1024)}\r\n`);
    expect(() => {
      for (let i = 0; i < 100; i++) parser.feed(header);
    }).toThrow(/over 65536 bytes/);
  });
});
