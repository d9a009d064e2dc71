import { createServer } from "node:http";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TargetConnections } from "../lib/drivers/targetConnections.ts";
import { closeServer, listenOnLoopback } from "../testkit/loopbackServer.ts";
import { processedReader } from "./processedReader.ts";

/*
 * The read-back over HTTP: the count at its pointer is read; a helper that
 * answers no count (not JSON, nothing at the pointer, not a whole number,
 * not 2xx) is an error naming what came back, never a zero.
 */

let answer: [number, string] = [200, '{"count":1}'];
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () =>
    response.writeHead(answer[0], { "content-type": "application/json" }).end(answer[1]),
  );
});
let base = "";
beforeAll(async () => {
  base = await listenOnLoopback(server);
});
afterAll(() => closeServer(server));

const read = (pointer?: string) =>
  processedReader(
    {
      service: "app",
      method: "GET",
      path: (ids) => `/test/processed?eventId=${ids.eventId}`,
      ...(pointer ? { pointer } : {}),
    },
    { target: "t", receiver: "orders", runId: "probe-x" },
    {
      connections: {} as TargetConnections,
      agent: new Agent(),
      serviceUrl: () => base,
      requestTimeoutMs: 2_000,
    },
  );

describe("processedReader over HTTP", () => {
  it("reads the count at /count by default, or at the pointer given (a whole number as text too)", async () => {
    answer = [200, '{"count":2}'];
    expect(await read()("evt_1")).toBe(2);
    answer = [200, '{"event":{"processed":"0"}}'];
    expect(await read("/event/processed")("evt_1")).toBe(0);
  });

  it("never reads a zero from an answer that says no count", async () => {
    for (const [status, body, says] of [
      [200, "<html>", "not JSON"],
      [200, '{"total":1}', "nothing at /count"],
      [200, '{"count":-1}', "whole count of 0 or more"],
      [200, '{"count":1.5}', "whole count of 0 or more"],
      [200, '{"count":null}', "whole count of 0 or more"],
      [503, '{"count":0}', "answered 503"],
    ] as const) {
      answer = [status, body];
      await expect(read()("evt_1"), body).rejects.toThrow(says);
    }
  });
});
