import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describeError } from "../errors.ts";
import { RUN_RESULT_SCHEMA_VERSION, type RunResult, type SuiteName } from "../result/runResult.ts";
import { runResultProblems } from "../result/validateRunResult.ts";
import { type Baseline, endpointFigures } from "./baselineComparison.ts";
import { SIGNOFF_SCHEMA_VERSION, type Signoff } from "./signoff.ts";

/** A run folder's result, or a sentence naming what is wrong with it (for a ConfigError). */
export async function readRun(
  dir: string,
  suite: SuiteName,
  flag: string,
): Promise<{ run: RunResult } | { problem: string }> {
  const file = join(dir, "summary.json");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return {
      problem: `${flag} ${dir}: no readable summary.json there (${describeError(error)}). Pass a run's report folder, e.g. reports/${suite}-<stamp>-<hex>.`,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never the parser's message: it quotes the file, and the file may not be ours (a symlink to anything).
    return {
      problem: `${flag} ${dir}: summary.json is not JSON (${Buffer.byteLength(text)} bytes; its content is not shown). Pass a run's report folder.`,
    };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return {
      problem: `${flag} ${dir}: summary.json holds ${parsed === null ? "null" : Array.isArray(parsed) ? "a list" : `a ${typeof parsed}`}, not a run's result. Pass a run's report folder.`,
    };
  const value = parsed as Partial<RunResult>;
  if (value.schemaVersion !== RUN_RESULT_SCHEMA_VERSION) {
    return {
      problem: `${flag} ${dir}: summary.json has schemaVersion ${JSON.stringify(value.schemaVersion)}; this harness reads ${RUN_RESULT_SCHEMA_VERSION}. Run the suite again with this harness.`,
    };
  }
  if (value.suite !== suite) {
    return {
      problem: `${flag} ${dir}: that is a ${value.suite} run; ${flag} takes a ${suite} run.`,
    };
  }
  // Only what conforms is read: a malformed result is named, field by field, never a TypeError.
  const problems = runResultProblems(value);
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join("; ");
    const more = problems.length > 5 ? ` and ${problems.length - 5} more` : "";
    return {
      problem: `${flag} ${file}: does not match the RunResult v2 schema (lib/result/runResult.schema.json): ${shown}${more}.`,
    };
  }
  // One check, one verdict: a check listed twice is an edited or merged-by-hand summary.
  const names = (value.checks ?? []).map((c) => c.name);
  const twice = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (twice.length > 0)
    return {
      problem: `${flag} ${file}: lists ${twice.map((n) => JSON.stringify(n)).join(", ")} more than once; a run's summary lists each check once. Run the suite again.`,
    };
  return { run: value as RunResult };
}

/** A baseline: an earlier sign-off folder (signoff.json) or a load run folder (summary.json). */
export async function readBaseline(
  dir: string,
): Promise<{ baseline: Baseline } | { problem: string }> {
  const signoffText = await readFile(join(dir, "signoff.json"), "utf8").catch(() => undefined);
  if (signoffText !== undefined) {
    let signoff: Partial<Signoff>;
    try {
      signoff = (JSON.parse(signoffText) ?? {}) as Partial<Signoff>;
    } catch {
      return {
        problem: `--baseline ${dir}: signoff.json is not JSON (${Buffer.byteLength(signoffText)} bytes; its content is not shown).`,
      };
    }
    if (typeof signoff !== "object")
      return {
        problem: `--baseline ${dir}: signoff.json holds a ${typeof signoff}, not a sign-off.`,
      };
    if (signoff.schemaVersion !== SIGNOFF_SCHEMA_VERSION || !Array.isArray(signoff.endpoints)) {
      return {
        problem: `--baseline ${dir}: signoff.json has schemaVersion ${JSON.stringify(signoff.schemaVersion)}; this harness reads ${SIGNOFF_SCHEMA_VERSION}.`,
      };
    }
    return {
      baseline: {
        runIds: (signoff.environment?.runs ?? []).map((r) => r.runId),
        endpoints: signoff.endpoints,
        ...(signoff.environment?.target ? { target: signoff.environment.target } : {}),
      },
    };
  }
  const read = await readRun(dir, "load", "--baseline");
  if ("problem" in read)
    return { problem: `${read.problem} (A sign-off folder with signoff.json works too.)` };
  return {
    baseline: {
      runIds: [read.run.runId],
      endpoints: endpointFigures([read.run]),
      target: read.run.target.name,
    },
  };
}
