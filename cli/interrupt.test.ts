import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./runHarness.ts";

describe("Ctrl-C during a run", () => {
  it("stops the waits, still cleans up what the run created, and exits 130", async () => {
    const dir = await mkdtemp(join(tmpdir(), "harness-sigint-"));
    try {
      // webhook-drop with a long deadline: the run would wait 60 s for a webhook that never comes.
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "cli/harness.ts", "smoke", "--timeout", "60s", "--report-dir", dir],
        { cwd: REPO, env: { PATH: process.env.PATH ?? "", STACK_FAULTS: "webhook-drop" } },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
      });
      // Readiness, not a sleep: interrupt once the run says it is waiting.
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
        if (stderr.includes("waiting up to") && !child.killed) child.kill("SIGINT");
      });
      const code = await new Promise<number | null>((done) => child.on("close", done));
      expect(stderr).toContain("Interrupted: cleaning up");
      expect(stdout).toMatch(/cleanup: done \(removed 3 rows\)/);
      // The wait that was cut short proves nothing: skipped, not blamed on the target.
      expect(stdout).toMatch(
        /^ {2}SKIP {2}webhookLogHasOrder .*interrupted after \d+ ms; last seen: 0 rows/m,
      );
      expect(stdout).toMatch(/^ {2}PASS {2}memberHasLineUserId /m);
      expect(stdout.trimEnd().split("\n").at(-1)).toMatch(
        /^STOP {2}interrupted after .*no verdict/,
      );
      expect(code).toBe(130);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
