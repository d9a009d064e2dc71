import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { REPO } from "./runHarness.ts";

export interface GroupRun {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /**
   * Resolves when every process of the group has closed its output (under
   * pnpm: the Node process, not pnpm), with the leader's exit code.
   */
  closed: Promise<number | null>;
  /** Sends `signal` to the whole process group, as a terminal, `docker stop` or CI does. */
  signalGroup: (signal: NodeJS.Signals) => void;
}

/**
 * Test support: a command as the leader of its own process group, so a test
 * can signal the group the way a terminal or a process manager does. The
 * child gets only PATH, HOME and `env`.
 */
export function spawnGroup(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
): GroupRun {
  const child = spawn(command, args, {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    closed,
    signalGroup: (signal) => {
      try {
        process.kill(-(child.pid as number), signal);
      } catch {
        // The group is already gone.
      }
    },
  };
}

/** `node bin/harness.mjs <args>` as the leader of its own process group. */
export function spawnHarnessGroup(args: readonly string[], env: Record<string, string>): GroupRun {
  return spawnGroup(process.execPath, ["bin/harness.mjs", ...args], env);
}

/**
 * `pnpm -s <args>` as a process group. pnpm itself exits at the first signal;
 * `closed` waits for the process that does the work (it holds the same pipes).
 */
export function spawnPnpmGroup(args: readonly string[], env: Record<string, string>): GroupRun {
  return spawnGroup("pnpm", ["-s", ...args], env);
}

/** Resolves once `read()` contains `text` (checked on every chunk), or rejects after `timeoutMs`. */
export function outputContains(
  run: GroupRun,
  read: () => string,
  text: string,
  timeoutMs = 30_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "${text}" within ${timeoutMs} ms; output so far:\n${read()}`)),
      timeoutMs,
    );
    const check = () => {
      if (!read().includes(text)) return;
      clearTimeout(timer);
      run.child.stdout.off("data", check);
      run.child.stderr.off("data", check);
      resolve();
    };
    run.child.stdout.on("data", check);
    run.child.stderr.on("data", check);
    check();
  });
}
