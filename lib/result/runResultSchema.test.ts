import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  failingSmokeResult,
  loadResult,
  passingLoadResult,
  smokeResult,
} from "../../testkit/sampleResults.ts";
import { SUITE_NAMES } from "./runResult.ts";
import { RUN_RESULT_SCHEMA_FILE, runResultProblems } from "./validateRunResult.ts";

describe("summary.json's schema (RunResult v2)", () => {
  it("every sample result the reporters are tested on conforms", () => {
    for (const result of [smokeResult(), failingSmokeResult(), loadResult(), passingLoadResult()])
      expect(runResultProblems(result)).toEqual([]);
  });

  it("every golden summary.json conforms", async () => {
    const root = new URL("../report/golden/", import.meta.url);
    const samples = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory());
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) {
      const text = await readFile(new URL(`${sample.name}/summary.json`, root), "utf8").catch(
        () => undefined,
      );
      if (text !== undefined) expect(runResultProblems(JSON.parse(text)), sample.name).toEqual([]);
    }
  });

  it("names the field of each thing that does not conform", () => {
    const { checks: _c, ...noChecks } = smokeResult();
    expect(runResultProblems(noChecks)).toContain(
      "(the top level) must have required property 'checks'",
    );
    const bad = loadResult();
    const endpoint = bad.scenarios[0]?.endpoints[0];
    if (endpoint) (endpoint as { p95Ms: unknown }).p95Ms = null;
    expect(runResultProblems(bad)).toContain("/scenarios/0/endpoints/0/p95Ms must be number");
    expect(runResultProblems({ ...smokeResult(), outcome: "fine" })[0]).toMatch(
      /^\/outcome must be equal to one of the allowed values/,
    );
    expect(runResultProblems("not an object")).toEqual(["(the top level) must be object"]);
  });
});

describe("the schema and the code name the same suites", () => {
  it("suite enum and run-id pattern list every SUITE_NAMES entry", async () => {
    const schema = JSON.parse(await readFile(RUN_RESULT_SCHEMA_FILE, "utf8")) as {
      properties: { suite: { enum: string[] }; runId: { pattern: string } };
    };
    expect(schema.properties.suite.enum).toEqual([...SUITE_NAMES]);
    expect(schema.properties.runId.pattern).toBe(
      `^(${SUITE_NAMES.join("|")})-\\d{8}t\\d{6}z-[0-9a-f]{8}$`,
    );
  });
});
