import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { outputContains, spawnGroup, spawnPnpmGroup } from "../testkit/processGroup.ts";
import { readSummary } from "../testkit/readSummary.ts";

describe("Ctrl-C during a run", () => {
  it("stops the waits, still cleans up what the run created, and exits 130", async () => {
    const dir = await mkdtemp(join(tmpdir(), "harness-sigint-"));
    try {
      // webhook-drop with a long deadline: the run would wait 60 s for a webhook that never comes.
      const run = spawnGroup(
        process.execPath,
        ["bin/harness.mjs", "smoke", "--timeout", "60s", "--report-dir", dir],
        { STACK_FAULTS: "webhook-drop" },
      );
      // Readiness, not a sleep: interrupt once the run says it is waiting.
      await outputContains(run, run.stderr, "waiting up to");
      run.child.kill("SIGINT");
      const code = await run.closed;
      const [stdout, stderr] = [run.stdout(), run.stderr()];
      expect(stderr).toContain("Interrupted: cleaning up");
      expect(stdout).toMatch(/cleanup: done \(removed 3 rows\)/);
      // The wait that was cut short proves nothing: skipped, not blamed on the target.
      expect(stdout).toMatch(
        /^ {2}SKIP {2}webhookLogHasOrder .*interrupted after \d+ ms; last seen: (0 rows|nothing)/m,
      );
      // Its first read may be the one the signal cut short: a pass or an interrupted skip, never a failure.
      expect(stdout).toMatch(/^ {2}(PASS|SKIP) {2}memberHasLineUserId /m);
      expect(stdout.trimEnd().split("\n").at(-1)).toMatch(
        /^STOP {2}interrupted after .*no verdict/,
      );
      expect(code).toBe(130);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a SIGTERM to the process group of `pnpm harness`, relayed once more, still cleans up", async () => {
    const dir = await mkdtemp(join(tmpdir(), "harness-sigterm-"));
    try {
      const run = spawnPnpmGroup(["harness", "smoke", "--timeout", "60s", "--report-dir", dir], {
        STACK_FAULTS: "webhook-drop",
      });
      await outputContains(run, run.stderr, "waiting up to");
      // `docker stop`, a cancelled CI job or systemd signal the whole group; a wrapper
      // (tsx's CLI, npm) relays a copy a moment later. Neither copy may skip cleanup.
      run.signalGroup("SIGTERM");
      await sleep(30);
      run.signalGroup("SIGTERM");
      await run.closed;
      expect(run.stderr()).toContain("Interrupted: cleaning up");
      expect(run.stderr()).not.toContain("exiting without cleanup");
      const summary = await readSummary(dir);
      expect(summary.outcome).toBe("interrupted");
      expect(summary.cleanup).toMatchObject({ status: "done", detail: "removed 3 rows" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("Ctrl-C during a load run stops the load at once, still cleans up, and exits 130", async () => {
    const dir = await mkdtemp(join(tmpdir(), "harness-load-sigint-"));
    try {
      const run = spawnGroup(
        process.execPath,
        [
          "bin/harness.mjs",
          "load",
          "--engine",
          "node",
          "--scenario",
          "identify",
          "--duration",
          "60s",
          "--connections",
          "20",
          "--report-dir",
          dir,
        ],
        {},
      );
      // Readiness, not a sleep: interrupt once the scenario has started.
      await outputContains(run, run.stderr, "identify: 20 connections for 60 s");
      const interruptedAt = performance.now();
      run.child.kill("SIGINT");
      const code = await run.closed;
      const stoppedWithinMs = performance.now() - interruptedAt;
      const summary = await readSummary(dir);
      expect(code, run.stderr()).toBe(130);
      expect(summary.outcome).toBe("interrupted");
      expect(summary.cleanup.status).toBe("done");
      // The 60 s scenario ended early: load stops within autocannon's one-second tick.
      expect(summary.scenarios[0]?.durationMs).toBeLessThan(30_000);
      console.log(`load stopped and cleaned up ${Math.round(stoppedWithinMs)} ms after SIGINT`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
