import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateJunit } from "../lib/report/junitSchema.ts";
import { runHarness as harness } from "../testkit/runHarness.ts";

/** A loopback port nobody listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  await new Promise<void>((ok) => server.close(() => ok()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

let dir = "";
let unreachableConfig = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "harness-cli-"));
  const port = await closedPort();
  // A config outside the repo, importing nothing: a plain default-exported object.
  unreachableConfig = join(dir, "unreachable.config.mjs");
  await writeFile(
    unreachableConfig,
    `const statement = { database: "curva", text: "SELECT 1 AS count", values: () => [] };
export default {
  targets: {
    nowhere: {
      description: "services on a closed loopback port",
      async setup() {
        return {
          profile: {
            services: {
              pasukuru: { url: "http://127.0.0.1:${port}", healthPath: "/health" },
              curva: { url: "http://127.0.0.1:${port}", healthPath: "/health" },
            },
            databases: {
              pasukuru: { url: "postgres://postgres:hunter2-not-shown@127.0.0.1:${port}/postgres" },
              curva: { url: "postgres://postgres@127.0.0.1:5432/postgres" },
            },
            queue: { redisUrl: "redis://127.0.0.1:6379", prefix: "bull", name: "curva-webhook",
              deadLetters: { kind: "failedSet" } },
            smoke: {
              identity: { kind: "preProvisioned", lineUserId: "U00000000000000000000000000000000", memberId: "m1" },
              helpers: {
                createOrder: { service: "curva", method: "POST", path: () => "/test/orders", read: () => ({ orderId: "o" }) },
                markPaid: { service: "pasukuru", method: "POST", path: () => "/pay", read: () => ({}) },
              },
              webhookJobId: (ids) => ids.eventId,
              assertions: { webhookLogCount: statement, memberLineUserId: statement, followerMemberId: statement },
              cleanup: [],
            },
            sweep: { findRuns: [], findJobIds: [], removeRun: [] },
            secrets: [],
          },
        };
      },
    },
  },
};
`,
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const table: {
  name: string;
  args: () => string[];
  env?: Record<string, string>;
  code: number;
  line: RegExp;
  /** Must not appear: e.g. the same problem reported twice. */
  absent?: RegExp;
}[] = [
  {
    name: "clean local stack passes",
    args: () => ["smoke", "--target", "local", "--report-dir", join(dir, "pass")],
    code: 0,
    line: /^PASS {2}7 checks passed in /m,
  },
  {
    name: "the DLQ board mounted without auth (STACK_FAULTS=board-open) fails dlqBoardProtected",
    args: () => ["smoke", "--target", "local", "--report-dir", join(dir, "board")],
    env: { STACK_FAULTS: "board-open" },
    code: 1,
    line: /^ {2}FAIL {2}dlqBoardProtected .*no credentials → 200/m,
  },
  {
    name: "a broken deploy (STACK_FAULTS=webhook-drop) fails, naming the check",
    args: () => ["smoke", "--timeout", "2s", "--report-dir", join(dir, "fail")],
    env: { STACK_FAULTS: "webhook-drop" },
    code: 1,
    line: /^ {2}FAIL {2}webhookLogHasOrder .*0 rows after/m,
  },
  {
    name: "STACK_FAULTS=webhook-5xx smoke:integration:local fails on the DLQ check",
    args: () => ["smoke", "--target", "local", "--timeout", "2s", "--report-dir", join(dir, "5xx")],
    env: { STACK_FAULTS: "webhook-5xx" },
    code: 1,
    line: /^ {2}FAIL {2}webhookNotInDlq .*retrying after \d+ failed attempt/m,
  },
  {
    name: "sweep of the local target says it is fresh each run and names the stack sweep",
    args: () => ["sweep", "--target", "local", "--older-than", "24h"],
    code: 0,
    line: /^sweep · target local: the local target is a fresh reference stack for every run.*`pnpm stack --sweep-older-than 24h`/m,
    absent: /nothing to sweep/,
  },
  {
    name: "sweep with a bad --older-than is a usage error",
    args: () => ["sweep", "--older-than", "yesterday"],
    code: 2,
    line: /--older-than="yesterday" is not a duration/,
  },
  {
    name: "staging without its env lists every missing variable",
    args: () => ["smoke", "--target", "staging"],
    code: 2,
    line: /STAGING_PASUKURU_URL is not set[\s\S]*STAGING_REDIS_URL is not set[\s\S]*STAGING_TEST_MEMBER_ID is not set/,
    // Each missing variable once, by its name: not again as the profile hole it leaves.
    absent: /services\.pasukuru\.url is missing/,
  },
  {
    name: "bad flags are all reported",
    args: () => ["smoke", "--bogus", "--timeout", "soon", "--phase", "x"],
    code: 2,
    line: /--bogus is not an option of smoke[\s\S]*--phase="x" is not a phase[\s\S]*--timeout="soon" is not a duration/,
  },
  {
    name: "an env value that is wrong names the variable",
    args: () => ["smoke"],
    env: { HARNESS_TIMEOUT: "forever" },
    code: 2,
    line: /HARNESS_TIMEOUT="forever" is not a duration/,
  },
  {
    name: "an unknown fault is a config error",
    args: () => ["smoke"],
    env: { STACK_FAULTS: "webhook-6xx" },
    code: 2,
    line: /STACK_FAULTS: "webhook-6xx" is not a fault/,
  },
  {
    name: "a DATABASE_URL that is not a URL is a config error, not an unreachable database",
    args: () => ["smoke", "--target", "local"],
    env: { DATABASE_URL: "not-a-url" },
    code: 2,
    line: /DATABASE_URL="not-a-url" is not a URL; expected a postgres: or postgresql: URL/,
  },
  {
    name: "a REDIS_URL with the wrong scheme is a config error too",
    args: () => ["smoke", "--target", "local"],
    env: { REDIS_URL: "http://127.0.0.1:6379" },
    code: 2,
    line: /REDIS_URL="http:\/\/127\.0\.0\.1:6379\/?" uses http:; allowed: redis:, rediss:/,
  },
  {
    name: "production refuses without --confirm-production",
    args: () => ["smoke", "--target", "production"],
    code: 2,
    line: /Refusing to run against production/,
  },
  {
    name: "an unknown target lists the known ones",
    args: () => ["smoke", "--target", "qa"],
    code: 2,
    line: /--target qa: no such target\. Known targets: local, staging, production\./,
  },
  {
    name: "a dependency on a closed port is exit 3, named, password redacted",
    args: () => ["smoke", "--config", unreachableConfig, "--target", "nowhere"],
    code: 3,
    line: /^Pasukuru HTTP at http:\/\/127\.0\.0\.1:\d+\/health is unreachable \(.*ECONNREFUSED.*Postgres \(pasukuru\) at postgres:\/\/\*\*\*:\*\*\*@127\.0\.0\.1/m,
  },
  {
    name: "--request-timeout is its own option, documented in --help",
    args: () => ["smoke", "--help"],
    code: 0,
    line: /^ {2}--request-timeout <duration> {2}How long one HTTP call may take .* \(env HARNESS_REQUEST_TIMEOUT; config defaults\.requestTimeout; default 10s\)$/m,
  },
  {
    name: "a bad --request-timeout is a usage error",
    args: () => ["smoke", "--request-timeout", "fast"],
    code: 2,
    line: /--request-timeout="fast" is not a duration/,
  },
  {
    name: "--help is generated from the option table",
    args: () => ["smoke", "--help"],
    code: 0,
    line: /^ {2}--timeout <duration> +How long the effects .* \(env HARNESS_TIMEOUT; config defaults\.timeout; default 10s\)$/m,
  },
];

describe("harness CLI as a process", () => {
  // One process at a time: ten concurrent tsx start-ups starve a 2-core CI box.
  it.each(table)("$name → exit $code", async (row) => {
    const run = await harness(row.args(), row.env);
    const output = `${run.stdout}${run.stderr}`;
    expect(output).toMatch(row.line);
    expect(output).not.toContain("hunter2-not-shown");
    if (row.absent) expect(output).not.toMatch(row.absent);
    expect(run.code, output).toBe(row.code);
  });

  it("without --report-dir, writes to reports/<run id>/", async () => {
    const run = await harness(["smoke", "--target", "local"]);
    const folder = /^ {2}reports: (.*)$/m.exec(run.stdout)?.[1] ?? "";
    try {
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(folder).toMatch(/\/reports\/smoke-\d{8}t\d{6}z-[0-9a-f]{8}$/);
      const summary = JSON.parse(await readFile(join(folder, "summary.json"), "utf8")) as {
        runId: string;
      };
      expect(folder.endsWith(`/${summary.runId}`)).toBe(true);
    } finally {
      if (folder) await rm(folder, { recursive: true, force: true });
    }
  });

  it("writes summary.json and a junit.xml that validates against junit-10.xsd", async () => {
    const reportDir = join(dir, "reports");
    const run = await harness(["smoke", "--report-dir", reportDir, "--phase", "3"]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const summary = JSON.parse(await readFile(join(reportDir, "summary.json"), "utf8")) as {
      schemaVersion: number;
      outcome: string;
      checks: { name: string }[];
    };
    expect(summary.schemaVersion).toBe(2);
    expect(summary.outcome).toBe("pass");
    expect(summary.checks.map((c) => c.name)).toContain("followerLinkedToMember");
    const check = await validateJunit(join(reportDir, "junit.xml"));
    expect(check.output).toMatch(/validates$/);
    expect(check.valid).toBe(true);
  });
});
