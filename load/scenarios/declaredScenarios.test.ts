import { createHmac } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeServer, listenOnLoopback } from "../../testkit/loopbackServer.ts";
import { readSummary } from "../../testkit/readSummary.ts";
import { runHarness } from "../../testkit/runHarness.ts";

/*
 * Declared scenarios, by config alone (testkit/declaredLoad.config.ts),
 * against an in-test server that is nothing like Curva × Pasukuru: a
 * constant arrival rate judged on its own p95, both staged models, and a
 * webhook delivery signed by our library and verified by the Standard
 * Webhooks SDK. The server's delay is set per test.
 */

const SECRET = `whsec_${Buffer.from("declared-scenario-test-secret-0123").toString("base64")}`;
const verifier = new Webhook(SECRET);
let delayMs = 0;
let verified = 0;
let refused = 0;
let url = "";
const users = new Set<string>();
/** Every test user's token the server was sent. */
const tokens = new Set<string>();
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (c: Buffer) => chunks.push(c));
  request.on("end", () => {
    const path = request.url ?? "/";
    const answer = (status: number) => response.writeHead(status).end("{}");
    if (path === "/health") return answer(200);
    if (path === "/me") {
      // The token is the test user's, signed under the secret, and names the user the request says it is.
      const [h, payload, sig] = String(request.headers.authorization ?? "")
        .slice(7)
        .split(".");
      const good =
        sig === createHmac("sha256", SECRET).update(`${h}.${payload}`).digest("base64url") &&
        JSON.parse(Buffer.from(payload ?? "", "base64url").toString() || "{}").sub ===
          request.headers["x-user"];
      if (good) users.add(String(request.headers["x-user"]));
      tokens.add(String(request.headers.authorization ?? "").slice(7));
      return answer(good ? 200 : 403);
    }
    if (path === "/fast") return setTimeout(() => answer(200), delayMs);
    if (path === "/slow") return setTimeout(() => answer(200), 50);
    if (path === "/hooks") {
      try {
        verifier.verify(
          Buffer.concat(chunks).toString("utf8"),
          request.headers as Record<string, string>,
        );
        verified++;
        return answer(204);
      } catch {
        refused++;
        return answer(401);
      }
    }
    return answer(404);
  });
});

beforeAll(async () => {
  url = await listenOnLoopback(server);
});
afterAll(() => closeServer(server));

async function load(scenario: string, target = "declared") {
  const dir = await mkdtemp(join(tmpdir(), "declared-load-"));
  try {
    const run = await runHarness(
      [
        "load",
        "--config",
        "testkit/declaredLoad.config.ts",
        "--target",
        target,
        "--scenario",
        scenario,
        "--report-dir",
        dir,
      ],
      { DECLARED_URL: url, DECLARED_SECRET: SECRET },
    );
    const summary = await readSummary(dir).catch(() => undefined);
    return { run, output: run.stdout + run.stderr, summary };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("scenarios a target declares", () => {
  // A latency limit on a 2-core machine that runs another test file beside this one: the pass
  // needs the cores, so it may be retried (twice); the slowed server's failure never needs to be.
  it("1,000 requests/s for 10 s with p(95)<50 passes on a fast server, and fails on a slowed one", {
    retry: 2,
    timeout: 60_000,
  }, async () => {
    delayMs = 0;
    const fast = await load("steady");
    expect(fast.run.code, fast.output).toBe(0);
    const endpoint = fast.summary?.scenarios?.[0]?.endpoints[0];
    expect(endpoint?.requests).toBeGreaterThanOrEqual(9_900);
    expect(fast.output).toMatch(/PASS {2}steady http_req_duration\{endpoint:fast\}/);
    delayMs = 80;
    const slow = await load("steady");
    expect(slow.run.code, slow.output).toBe(1);
    expect(slow.output).toMatch(/FAIL {2}steady http_req_duration\{endpoint:fast\}/);
  });

  it("ramping-vus and ramping-arrival-rate: the per-second series follows the stages", async () => {
    const vus = await load("rampVus");
    expect(vus.run.code, vus.output).toBe(0);
    // 1 user on a 50 ms server is ~20 answers a second; 6 users ~120.
    const vusRows = vus.summary?.scenarios?.[0]?.series.map((r) => r.requests) ?? [];
    expect(vusRows[0]).toBeLessThan(30);
    expect(vusRows[3]).toBeGreaterThan(80);
    const rate = await load("rampRate");
    expect(rate.run.code, rate.output).toBe(0);
    const rows = rate.summary?.scenarios?.[0]?.series.map((r) => r.requests) ?? [];
    // The area under 0→200/s over 2 s: 50 then 150 a second; then 200 a second.
    // Within 20%: a row holds the answers that ended in that second, and the first connects first.
    for (const [i, n] of [50, 150, 200, 200].entries())
      expect(Math.abs((rows[i] ?? 0) - n), `second ${i + 1}: ${rows[i]}`).toBeLessThanOrEqual(
        n * 0.2,
      );
    expect(rate.summary?.scenarios?.[0]?.model).toMatchObject({
      kind: "rampingArrivalRate",
      stages: "2s→200, 2s→200",
    });
  }, 60_000);

  it("a webhook scenario signed with a scheme of the signing library passes the provider SDK's verification", async () => {
    verified = 0;
    refused = 0;
    const run = await load("signed");
    expect(run.run.code, run.output).toBe(0);
    expect(verified).toBe(200);
    expect(refused).toBe(0);
    expect(run.output).not.toContain(SECRET);
  }, 60_000);

  it("a scenario of test users: each of its 5 connections is one minted user, with that user's own token", async () => {
    users.clear();
    const run = await load("asUsers");
    expect(run.run.code, run.output).toBe(0);
    expect(users.size).toBe(5);
    expect(run.summary?.testData?.identities).toBe("5");
  }, 60_000);

  it("a runner's shard of a test-user scenario carries no token and no secret", async () => {
    tokens.clear();
    const dir = await mkdtemp(join(tmpdir(), "declared-shard-"));
    try {
      const run = await runHarness(
        [
          "load",
          ...["--config", "testkit/declaredLoad.config.ts", "--target", "declared"],
          ...["--scenario", "asUsers,signed", "--segment", "2/3", "--shard-dir", dir],
        ],
        { DECLARED_URL: url, DECLARED_SECRET: SECRET },
      );
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(tokens.size).toBeGreaterThan(0);
      const files = await readdir(dir);
      expect(files.sort()).toEqual(["manifest.json", "scenarios.json"]);
      for (const file of files) {
        const text = await readFile(join(dir, file), "utf8");
        for (const token of tokens) expect(text, file).not.toContain(token);
        expect(text, file).not.toContain(SECRET);
        expect(text, file).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("a bad declaration lists every problem, exit 2, before any request", async () => {
    const { run, output } = await load("bad", "broken");
    expect(run.code, output).toBe(2);
    for (const problem of [
      'requests[0].service is "nowhere"',
      'requests[1].path is "no-slash"',
      'requests[2].signing.scheme is "carrier-pigeon"',
      '"p(95) under 50" (for http_req_duration{endpoint:a}) is not a condition',
      "http_req_failed{endpoint:b}: max<1 is judged on max; http_req_failed is judged on rate.",
      "dropped_iterations: a closed model never drops a start, so this threshold could never have a sample",
      "never.model.stages: every target is 0 (and the start too), so the plan would never send a request",
      "tooSparse.model: 0.1 requests/s for 5 s is less than one request",
    ])
      expect(output).toContain(problem);
  }, 60_000);
});
