import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { startStack } from "../fixtures/referenceStack.ts";
import { validateJunit } from "../lib/report/junitSchema.ts";
import { useChromium } from "../testkit/chromiumSuite.ts";
import { openHtmlInChromium } from "../testkit/htmlInChromium.ts";
import { countOf } from "../testkit/leftovers.ts";
import { outputContains, spawnGroup } from "../testkit/processGroup.ts";
import { readSummary } from "../testkit/readSummary.ts";
import { runHarness } from "../testkit/runHarness.ts";
import { stagingEnv } from "../testkit/stagingEnv.ts";

describe("harness probe as a process", () => {
  const chromium = useChromium("probe-report-");

  it("a receiver that accepts unsigned deliveries: exit 1, and its report names the first failed probe on the first screen", async () => {
    const dir = await mkdtemp(join(tmpdir(), "probe-cli-"));
    try {
      const run = await runHarness(
        ["probe", "--target", "local", "--only", "W1,W2,W3", "--report-dir", dir],
        { STACK_FAULTS: "signature-bypass" },
      );
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stdout).toMatch(/^ {2}FAIL {2}W2 unsigned \(curvaOrders\)/m);
      const summary = await readSummary(dir);
      expect(summary.suite).toBe("probe");
      const junit = await validateJunit(join(dir, "junit.xml"));
      expect(junit.valid, junit.output).toBe(true);
      const seen = await openHtmlInChromium(
        chromium.browser,
        join(dir, "report.html"),
        "probe-run",
        {
          texts: ["W2 unsigned (curvaOrders)"],
        },
      );
      expect(seen.consoleErrors).toEqual([]);
      expect(seen.pageErrors).toEqual([]);
      expect(seen.requestsLeavingFile).toEqual([]);
      expect(seen.verdict?.text.startsWith("FAIL · probe · local")).toBe(true);
      expect(seen.textsOnFirstScreen).toEqual(["W2 unsigned (curvaOrders)"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("Ctrl-C while a delivery is in flight: the probe is skipped (interrupted), never failed; cleanup runs; exit 130", async () => {
    // slow-ack: every order delivery is answered 300 ms late, so the signal lands mid-delivery.
    const run = spawnGroup(
      process.execPath,
      ["bin/harness.mjs", "probe", "--target", "local", "--only", "W1,W2"],
      { STACK_FAULTS: "slow-ack" },
    );
    await outputContains(run, run.stderr, "probing curvaOrders");
    // Mid-way through W1's first delivery (answered 300 ms late), with room for a slow machine.
    await sleep(50);
    run.child.kill("SIGINT");
    const code = await run.closed;
    const stdout = run.stdout();
    expect(stdout).not.toMatch(/^ {2}FAIL /m);
    expect(stdout).toMatch(/^ {2}SKIP {2}W1 valid delivery \(curvaOrders\)/m);
    expect(stdout).toMatch(/cleanup: done/);
    expect(code, stdout + run.stderr()).toBe(130);
  }, 60_000);

  it("against a production target: read-only probes run unconfirmed; a write probe asked for is exit 2 naming the opt-in, before anything is sent", async () => {
    const stack = await startStack();
    try {
      const env = Object.fromEntries(
        Object.entries({
          ...stagingEnv(stack),
          STAGING_WEBHOOK_SIGNING_SECRET: stack.secrets.webhookSigningSecret,
        }).map(([k, v]) => [k.replace(/^STAGING_/, "PRODUCTION_"), v]),
      );
      const readOnly = await runHarness(
        ["probe", "--target", "production", "--only", "W2,W4"],
        env,
      );
      expect(readOnly.code, readOnly.stdout + readOnly.stderr).toBe(0);
      expect(readOnly.stdout).toMatch(/^PASS {2}2 checks passed/m);
      const write = await runHarness(["probe", "--target", "production", "--only", "W1"], env);
      expect(write.code).toBe(2);
      expect(write.stderr).toContain("probe.productionOptIn.probes");
      expect(write.stderr).toContain("--confirm-production");
      // Read-only probes a correct receiver refuses, and the refused write: nothing was processed.
      const c = stack.schemas.curva;
      expect(await countOf(stack, `SELECT count(*)::int AS n FROM "${c}".webhook_log`, [])).toBe(0);
    } finally {
      await stack.stop();
    }
  }, 60_000);
});
