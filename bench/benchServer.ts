import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { EndpointTraffic } from "../load/engines/node/traffic.ts";

/**
 * A trivial HTTP server in its own process on a loopback port, answering
 * every request after `delayMs` (0: at once): what a bench measures a
 * generator against, without sharing the generator's event loop.
 */
export async function startBenchServer(delayMs = 0): Promise<{ origin: string; stop: () => void }> {
  const source = `
    const http = require("node:http");
    const server = http.createServer((req, res) => {
      req.resume();
      const answer = () => res.end('{"ok":true}');
      ${delayMs > 0 ? `setTimeout(answer, ${delayMs});` : "answer();"}
    });
    server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, () => console.log(server.address().port));
  `;
  const child = spawn(process.execPath, ["-e", source], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
    createInterface({ input: child.stdout }).once("line", resolve);
  });
  return { origin: `http://127.0.0.1:${port}`, stop: () => child.kill("SIGKILL") };
}

/** A fixed POST to the bench server: per connection in the closed model (as identify), per send in the open one. */
export function benchTraffic(origin: string): EndpointTraffic {
  const request = () => ({
    method: "POST" as const,
    path: "/",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  return { endpoint: "identify", origin, next: request, perConnection: request };
}
