import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";

/*
 * Test support: a service's /metrics in a process of its own, so it keeps
 * answering while a test holds the main thread (a generator that hogs the
 * event loop). What it shows is set from the test over HTTP: the pool's
 * gauges, slow checkouts on its wait histogram, and a stall (every scrape
 * answered only after `stallMs`).
 */

export interface MetricsState {
  total?: number;
  idle?: number;
  waiting?: number;
  /** Checkouts that waited longer than 1 s (the histogram's count less its le="1" bucket). */
  slowCheckouts?: number;
  /** Each scrape is answered after this long (0: at once). */
  stallMs?: number;
}

const SERVER = `
const http = require("node:http");
let state = { total: 4, idle: 2, waiting: 0, slowCheckouts: 0, stallMs: 0 };
const text = () => [
  "db_pool_connections_total " + state.total,
  "db_pool_connections_idle " + state.idle,
  "db_pool_requests_waiting " + state.waiting,
  "db_pool_max 10",
  "db_pool_checkout_timeouts_total 0",
  'db_pool_checkout_wait_seconds_bucket{le="1"} 100',
  'db_pool_checkout_wait_seconds_bucket{le="+Inf"} ' + (100 + state.slowCheckouts),
  "db_pool_checkout_wait_seconds_count " + (100 + state.slowCheckouts),
  "",
].join("\\n");
const server = http.createServer((req, res) => {
  if (req.method === "POST") {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => { state = { ...state, ...JSON.parse(body) }; res.end("ok"); });
    return;
  }
  const answer = () => { res.setHeader("content-type", "text/plain"); res.end(text()); };
  if (state.stallMs > 0) setTimeout(answer, state.stallMs); else answer();
});
server.listen(0, "127.0.0.1", () => process.stdout.write("port " + server.address().port + "\\n"));
setTimeout(() => process.exit(0), 120000).unref();
`;

export interface MetricsProcess {
  /** `http://127.0.0.1:<port>`; scrape `${url}/metrics`. */
  url: string;
  set(state: MetricsState): Promise<void>;
  close(): Promise<void>;
}

export async function startMetricsProcess(): Promise<MetricsProcess> {
  const child: ChildProcess = spawn(process.execPath, ["-e", SERVER], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("metrics process: no port in 10 s")), 10_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      const match = /port (\d+)/.exec(chunk.toString());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`metrics process exited ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async set(state) {
      const response = await fetch(url, { method: "POST", body: JSON.stringify(state) });
      await response.text();
    },
    async close() {
      if (child.exitCode !== null) return;
      child.kill("SIGKILL");
      await once(child, "exit");
    },
  };
}
