import { readdir, rmdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { isRunId } from "../lib/drivers/runId.ts";
import { ConfigError } from "../lib/errors.ts";
import { exitCodeFor } from "../lib/exitCodes.ts";
import type { RunResult } from "../lib/result/runResult.ts";
import { readBaseline, readRun } from "../lib/signoff/readRuns.ts";
import { buildSignoff } from "../lib/signoff/signoff.ts";
import { SIGNOFF_FILES } from "../lib/signoff/signoffFiles.ts";
import { signoffMarkdown } from "../lib/signoff/signoffMarkdown.ts";
import type { CliOptions } from "./commandLine.ts";
import { assertWritableDir } from "./writeReports.ts";

/** The newest run folder of a suite under `root`: run ids sort by time. */
async function newest(root: string, suite: "smoke" | "load"): Promise<string | undefined> {
  const names = await readdir(root).catch(() => [] as string[]);
  const runs = names.filter((n) => isRunId(n) && n.startsWith(`${suite}-`)).sort();
  const last = runs.at(-1);
  return last ? join(root, last) : undefined;
}

/**
 * `harness signoff`: reads the run folders (every problem named, exit 2),
 * writes signoff.md, signoff.html and signoff.json, prints the Markdown, and exits 0 on GO
 * and 1 on NO-GO.
 */
export async function signoffCommand(
  options: CliOptions["signoff"],
  now = new Date(),
): Promise<number> {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "z")
    .toLowerCase();
  const out = resolve(options.out ?? join("reports", `signoff-${stamp}`));
  // Before anything is read: a sign-off that cannot be written is exit 2, not a stack trace.
  await assertWritableDir(out, options.out ? "--out" : "The sign-off folder");
  const problems: string[] = [];
  let smokeDir = options.smoke;
  let loadDirs = options.loads;
  if (options.latest) {
    smokeDir ??= await newest("reports", "smoke");
    if (loadDirs.length === 0)
      loadDirs = [await newest("reports", "load")].filter((d): d is string => d !== undefined);
    if (!smokeDir)
      problems.push(
        "--latest: no smoke run under reports/ (named smoke-<stamp>-<hex>). Run pnpm smoke:integration:local first.",
      );
    if (loadDirs.length === 0)
      problems.push(
        "--latest: no load run under reports/ (named load-<stamp>-<hex>). Run a load scenario first.",
      );
  } else {
    if (!smokeDir)
      problems.push("--smoke <dir> is required: the smoke run's report folder (or use --latest).");
    if (loadDirs.length === 0)
      problems.push("--load <dir> is required, once per load run (or use --latest).");
  }
  // One run given twice would count its evidence twice.
  const given = [smokeDir, ...loadDirs, ...options.probes].filter(
    (d): d is string => d !== undefined,
  );
  for (const [i, dir] of given.entries()) {
    const first = given.findIndex((d) => resolve(d) === resolve(dir));
    if (first !== i) problems.push(`${dir} is given twice: each run folder once.`);
  }
  const smoke = smokeDir ? await readRun(smokeDir, "smoke", "--smoke") : undefined;
  const loads = await Promise.all(loadDirs.map((dir) => readRun(dir, "load", "--load")));
  const probes = await Promise.all(options.probes.map((dir) => readRun(dir, "probe", "--probe")));
  const baseline = options.baseline ? await readBaseline(options.baseline) : undefined;
  for (const read of [smoke, ...loads, ...probes, baseline])
    if (read && "problem" in read) problems.push(read.problem);
  const runIds = [smoke, ...loads, ...probes].flatMap((r) =>
    r && "run" in r ? [r.run.runId] : [],
  );
  for (const [i, id] of runIds.entries())
    if (runIds.indexOf(id) !== i)
      problems.push(`Run ${id} is given twice (two folders hold the same run): each run once.`);
  if (problems.length > 0 || !smoke || "problem" in smoke) {
    // Leaves no empty folder behind (rmdir refuses one with files in it).
    await rmdir(out).catch(() => {});
    throw new ConfigError(problems, "Cannot sign off");
  }
  const signoff = buildSignoff({
    smoke: smoke.run,
    loads: loads.map((l) => (l as { run: RunResult }).run),
    probes: probes.map((p) => (p as { run: RunResult }).run),
    ...(baseline && "baseline" in baseline ? { baseline: baseline.baseline } : {}),
    failOnRegression: options.failOnRegression,
    ...(options.release ? { release: options.release } : {}),
    now,
    maxAgeMs: options.maxAgeMs,
  });
  const markdown = signoffMarkdown(signoff);
  for (const file of SIGNOFF_FILES) await writeFile(join(out, file.name), file.render(signoff));
  process.stdout.write(`${markdown}\nWritten to ${out}\n`);
  return exitCodeFor(signoff.verdict === "GO" ? "pass" : "checksFailed");
}
