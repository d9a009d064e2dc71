import { execFile } from "node:child_process";
import { resolve } from "node:path";

/** Test support: the repository root, where the harness runs from. */
export const REPO = resolve(import.meta.dirname, "..");

export interface HarnessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The CLI as a user runs it, through the package's bin (the build in dist/
 * while it is fresh, else the source through tsx): a separate process, its
 * exit code and output.
 * The child gets only PATH, HOME and `env`, so a developer's STAGING_* or
 * STACK_FAULTS cannot leak into a test.
 */
export function runHarness(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<HarnessRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["bin/harness.mjs", ...args],
      {
        cwd: REPO,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}
