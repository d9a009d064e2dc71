import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateJunit } from "../lib/report/junitSchema.ts";
import { runHarness as harness } from "../testkit/runHarness.ts";

let dir = "";
/** A config whose target describes only its core: no load section. */
let noLoadConfig = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "harness-load-cli-"));
  noLoadConfig = join(dir, "core-only.config.mjs");
  await writeFile(
    noLoadConfig,
    `export default { targets: { nowhere: { description: "a core only", async setup() {
      return { profile: {
        services: { pasukuru: { url: "http://127.0.0.1:9", healthPath: "/health" }, curva: { url: "http://127.0.0.1:9", healthPath: "/health" } },
        databases: { pasukuru: { url: "postgres://127.0.0.1:9/p" }, curva: { url: "postgres://127.0.0.1:9/c" } },
        secrets: [],
      } };
    } } } };`,
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
}[] = [
  {
    name: "load: a short identify against the local stack passes its thresholds",
    args: () => [
      "load",
      "--engine",
      "node",
      "--scenario",
      "identify",
      "--duration",
      "2s",
      "--connections",
      "20",
      "--report-dir",
      join(dir, "load-pass"),
    ],
    code: 0,
    line: /^PASS {2}6 thresholds passed in /m,
  },
  {
    name: "load: identify-5xx:5 fails the 5xx threshold, named with limit and observed value",
    args: () => [
      "load",
      "--engine",
      "node",
      "--scenario",
      "identify",
      "--duration",
      "2s",
      "--connections",
      "20",
      "--report-dir",
      join(dir, "load-5xx"),
    ],
    env: { STACK_FAULTS: "identify-5xx:5" },
    code: 1,
    // Every 20th identify fails: 5% of what was served (a little under on a busy machine, where fewer are).
    line: /^ {2}FAIL {2}identify 5xx +rate==0 +(4\.[5-9]\d|5\.00)%$[\s\S]*^FAIL {2}2 of 6 thresholds failed/m,
  },
  {
    name: "load: an unknown scenario is a usage error",
    args: () => ["load", "--scenario", "soak"],
    code: 2,
    line: /--scenario soak: targets\.local has no such scenario; it has identify, webhook, sustained\./,
  },
  {
    name: "load: a target without a load section is refused before anything starts",
    args: () => ["load", "--config", noLoadConfig, "--target", "nowhere"],
    code: 2,
    line: /targets\.nowhere: load is missing: this target has no load section/,
  },
  {
    name: "load: --engine k6 without k6 installed is a usage error that says how to get it",
    args: () => ["load", "--engine", "k6"],
    env: { K6_BIN: "/nonexistent/k6" },
    code: 2,
    line: /--engine k6: K6_BIN="\/nonexistent\/k6" is not an executable file\./,
  },
  {
    name: "load: production refuses without --confirm-production",
    args: () => ["load", "--target", "production"],
    code: 2,
    line: /Refusing to run against production/,
  },
];

describe("harness load as a process", () => {
  it.each(table)("$name → exit $code", async (row) => {
    const run = await harness(row.args(), row.env);
    const output = `${run.stdout}${run.stderr}`;
    expect(output).toMatch(row.line);
    expect(run.code, output).toBe(row.code);
  });

  it("load writes a summary.json with its scenarios and a junit.xml (a testcase per threshold) that validates", async () => {
    const reportDir = join(dir, "load-reports");
    const run = await harness([
      "load",
      "--engine",
      "node",
      "--scenario",
      "sustained",
      "--duration",
      "2s",
      "--rate",
      "10",
      "--report-dir",
      reportDir,
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const summary = JSON.parse(await readFile(join(reportDir, "summary.json"), "utf8")) as {
      suite: string;
      runId: string;
      scenarios: { name: string; series: unknown[]; pools: unknown[] }[];
      thresholds: unknown[];
    };
    expect(summary.suite).toBe("load");
    expect(summary.runId).toMatch(/^load-/);
    expect(summary.scenarios.map((s) => s.name)).toEqual(["sustained"]);
    expect(summary.scenarios[0]?.pools).toHaveLength(2);
    const junit = await readFile(join(reportDir, "junit.xml"), "utf8");
    expect(junit.match(/<testcase /g)).toHaveLength(summary.thresholds.length);
    const check = await validateJunit(join(reportDir, "junit.xml"));
    expect(check.valid, check.output).toBe(true);
  });
});
