import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { importProblems, readSources } from "./importRules.ts";

describe("the import rules", () => {
  it("report a forbidden import with its file and line", () => {
    const problems = importProblems([
      {
        path: "lib/report/somewhere.ts",
        text: 'import { x } from "./ok.ts";\n\nimport { runSmoke } from "../../smoke/runSmoke.ts";\n',
      },
      {
        path: "smoke/steps.ts",
        text: 'import { SCENARIOS } from "../load/scenarios/scenarios.ts";\n',
      },
      {
        path: "targets/other.ts",
        text: 'import { startStack } from "../fixtures/stack/startStack.ts";\n',
      },
      { path: "load/engines/k6/scripts/x.ts", text: 'import { readFileSync } from "node:fs";\n' },
      {
        path: "load/engines/k6/scripts/y.ts",
        text: 'import http from "k6/http";\nimport { runLoad } from "../../runLoad.ts";\n',
      },
    ]);
    expect(problems.map((p) => `${p.file}:${p.line}`)).toEqual([
      "lib/report/somewhere.ts:3",
      "smoke/steps.ts:1",
      "targets/other.ts:1",
      "load/engines/k6/scripts/x.ts:1",
      "load/engines/k6/scripts/y.ts:2",
    ]);
    expect(problems[0]?.message).toMatch(
      /^lib\/ may not import smoke\/ \("\.\.\/\.\.\/smoke\/runSmoke\.ts"\)/,
    );
    expect(problems[2]?.message).toContain("through fixtures/referenceStack.ts only");
    expect(problems[3]?.message).toContain("run in k6, not Node");
  });

  it("allow what the table allows: the face, type-only imports into k6 scripts, tests using testkit", () => {
    expect(
      importProblems([
        {
          path: "targets/x.ts",
          text: 'import { startStack } from "../fixtures/referenceStack.ts";\n',
        },
        {
          path: "load/engines/k6/scripts/z.ts",
          text: 'import type { K6Plan } from "../k6Plan.ts";\n',
        },
        {
          path: "lib/a.test.ts",
          text: 'import { smokeResult } from "../testkit/sampleResults.ts";\n',
        },
      ]),
    ).toEqual([]);
  });

  it("keep load/'s rooms apart: distribution never imports an engine, an engine never distribution; tests may reach across", () => {
    const problems = importProblems([
      {
        path: "load/distribute/mergeX.ts",
        text: 'import { runK6 } from "../engines/k6/runK6.ts";\nimport { readK6Raw } from "../k6format/k6Raw.ts";\n',
      },
      {
        path: "load/engines/node/x.ts",
        text: 'import { mergeShards } from "../../distribute/mergeShards.ts";\n',
      },
      { path: "load/scenarios/y.ts", text: 'import { Tally } from "../engines/node/tally.ts";\n' },
      {
        path: "load/engines/k6/z.test.ts",
        text: 'import { mergeShards } from "../../distribute/mergeShards.ts";\n',
      },
    ]);
    expect(problems.map((p) => `${p.file}:${p.line}`)).toEqual([
      "load/distribute/mergeX.ts:1",
      "load/engines/node/x.ts:1",
      "load/scenarios/y.ts:1",
    ]);
    expect(problems[0]?.message).toMatch(/^load\/distribute\/ may not import load\/engines\//);
  });

  it("the tree itself follows them", async () => {
    const root = resolve(import.meta.dirname, "..");
    const tracked = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    expect(importProblems(await readSources(root, tracked))).toEqual([]);
  });
});
