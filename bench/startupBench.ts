import { spawnSync } from "node:child_process";
import { REPO } from "../testkit/runHarness.ts";
import { type BenchCommand, benchEntry, wholeNumber } from "./benchCommand.ts";

/**
 * Start-up as a user meets it: whole processes, timed from outside, each
 * figure beside a bare `node -e 0` measured in the same run. The bin runs
 * the build in dist/ (`pnpm build`) or, with HARNESS_FROM_SOURCE=1, the
 * source through tsx: both are measured, so the build's worth is a figure.
 * Goals (issue 29): `--help` < 250 ms, a green local smoke < 1.0 s (median).
 */
const COMMAND: BenchCommand<"runs"> = {
  name: "bench:startup",
  about:
    "Runs `node -e 0`, `harness --help` and a local smoke as whole processes --runs times each, from the build and from source, and prints the median, min and max wall time of each. Exit 1 when a smoke did not pass.",
  options: {
    runs: {
      takes: "<n>",
      default: "7",
      description: "Runs of each command (the median is reported).",
      check: wholeNumber(1, 50),
    },
  },
};

const CASES = [
  { name: "node -e 0 (the yardstick)", args: ["-e", "0"], fromSource: false },
  { name: "harness --help (build)", args: ["bin/harness.mjs", "--help"], fromSource: false },
  { name: "harness --help (source, tsx)", args: ["bin/harness.mjs", "--help"], fromSource: true },
  {
    name: "smoke --target local (build)",
    args: ["bin/harness.mjs", "smoke", "--target", "local"],
    fromSource: false,
  },
  {
    name: "smoke --target local (source, tsx)",
    args: ["bin/harness.mjs", "smoke", "--target", "local"],
    fromSource: true,
  },
] as const;

async function main(values: Record<"runs", string>): Promise<number> {
  const runs = Number(values.runs);
  let failed = 0;
  const build = spawnSync(process.execPath, ["tools/buildDist.mjs"], { cwd: REPO });
  if (build.status !== 0) {
    process.stderr.write(`bench:startup: the build failed: ${build.stderr}\n`);
    return 1;
  }
  process.stdout.write(
    `${"command".padEnd(38)} ${"median".padStart(8)} ${"min".padStart(7)} ${"max".padStart(7)}\n`,
  );
  for (const c of CASES) {
    const walls: number[] = [];
    for (let i = 0; i < runs; i++) {
      const began = performance.now();
      const run = spawnSync(process.execPath, c.args, {
        cwd: REPO,
        env: { ...process.env, HARNESS_FROM_SOURCE: c.fromSource ? "1" : "" },
        stdio: "ignore",
        timeout: 60_000,
      });
      walls.push(performance.now() - began);
      if (run.status !== 0) failed++;
    }
    walls.sort((a, b) => a - b);
    const ms = (v: number | undefined) => `${Math.round(v ?? Number.NaN)} ms`.padStart(7);
    process.stdout.write(
      `${c.name.padEnd(38)} ${ms(walls[Math.floor((walls.length - 1) / 2)]).padStart(8)} ${ms(walls[0])} ${ms(walls.at(-1))}\n`,
    );
  }
  if (failed > 0) process.stdout.write(`${failed} run(s) did not exit 0\n`);
  return failed === 0 ? 0 : 1;
}

benchEntry(COMMAND, main);
