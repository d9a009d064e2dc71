import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectGolden } from "../../testkit/golden.ts";
import {
  failingProbeResult,
  loadResult,
  passingLoadResult,
  smokeResult,
} from "../../testkit/sampleResults.ts";
import { endpointFigures } from "./baselineComparison.ts";
import { readBaseline, readRun } from "./readRuns.ts";
import { buildSignoff } from "./signoff.ts";
import { signoffHtml } from "./signoffHtml.ts";
import { signoffMarkdown } from "./signoffMarkdown.ts";

const NOW = new Date("2026-11-23T03:00:00.000Z");

describe("buildSignoff with probe runs", () => {
  const base = {
    smoke: smokeResult(),
    loads: [passingLoadResult()],
    failOnRegression: false,
    now: NOW,
  };
  const probe = failingProbeResult();
  const passingProbe = {
    ...probe,
    outcome: "pass" as const,
    checks: probe.checks.filter((c) => c.status === "passed"),
  };

  it("a failed probe and an unjudged one are NO-GO reasons naming them and their run", () => {
    const signoff = buildSignoff({ ...base, probes: [probe] });
    expect(signoff.verdict).toBe("NO-GO");
    expect(signoff.reasons).toEqual([
      `Probe W2 unsigned (orders) failed: expected 4xx, not processed; observed no signature: 200 in 2.7 ms (run ${probe.runId}).`,
      `Probe W9 byte-identical redelivery (orders) was not judged: not judged: the profile has no read-back for this receiver (run ${probe.runId}).`,
    ]);
    expect(signoff.probes.map((c) => c.runId)).toEqual([probe.runId, probe.runId, probe.runId]);
    expect(signoffMarkdown(signoff)).toContain("## Probes");
    expect(signoffHtml(signoff)).toContain("<h2>Probes</h2>");
  });

  it("passing probes keep the GO; a probe run with no probes is not evidence", () => {
    expect(buildSignoff({ ...base, probes: [passingProbe] }).verdict).toBe("GO");
    const empty = buildSignoff({ ...base, probes: [{ ...passingProbe, checks: [] }] });
    expect(empty.reasons).toEqual([`Probe run ${probe.runId} has no checks: nothing was judged.`]);
  });
});

describe("buildSignoff", () => {
  it("GO when every check and threshold passed", async () => {
    const signoff = buildSignoff({
      smoke: smokeResult(),
      loads: [passingLoadResult()],
      failOnRegression: false,
      now: NOW,
    });
    expect(signoff.verdict).toBe("GO");
    expect(signoff.reasons).toEqual([]);
    expect(signoff.environment.targetVersions).toEqual({
      pasukuru: "reference-1.0.0",
      curva: "reference-1.0.0",
    });
    await expectGolden(new URL("./golden/go.md", import.meta.url), signoffMarkdown(signoff));
    await expectGolden(new URL("./golden/go.html", import.meta.url), signoffHtml(signoff));
  });

  it("NO-GO names the breached threshold, its limit and what was observed, on the first screen", async () => {
    const signoff = buildSignoff({
      smoke: smokeResult(),
      loads: [loadResult()],
      failOnRegression: false,
      now: NOW,
    });
    expect(signoff.verdict).toBe("NO-GO");
    expect(signoff.reasons).toEqual([
      "Threshold identify p95 breached: http_req_duration{scenario:identify} must be p(95)<500; observed 812.4 ms (run load-20251122t192530z-a1b2c3d4).",
    ]);
    const text = signoffMarkdown(signoff);
    expect(text.split("\n").slice(0, 5).join("\n")).toContain(
      "must be p(95)<500; observed 812.4 ms",
    );
    // The HTML's banner carries the verdict and the first reason; the page fetches nothing.
    const html = signoffHtml(signoff);
    expect(html).toContain('<div class="verdict fail">NO-GO · local');
    expect(html.indexOf("must be p(95)&lt;500; observed 812.4 ms")).toBeLessThan(
      html.indexOf("<main>"),
    );
    expect(html).not.toMatch(/<script|src=|https?:\/\//);
    await expectGolden(new URL("./golden/no-go.md", import.meta.url), text);
    await expectGolden(new URL("./golden/no-go.html", import.meta.url), html);
  });

  it("NO-GO for a failed smoke check, an interrupted run, no load results, or runs of two targets", () => {
    const failedSmoke = smokeResult({
      outcome: "checksFailed",
      checks: [
        {
          name: "webhookLogHasOrder",
          status: "failed",
          durationMs: 1,
          expected: "1 row",
          observed: "0 rows",
        },
      ],
    });
    const interrupted = passingLoadResult();
    interrupted.outcome = "interrupted";
    const elsewhere = {
      ...passingLoadResult(),
      target: { name: "staging", production: false, versions: {} },
    };
    const signoff = buildSignoff({
      smoke: failedSmoke,
      loads: [interrupted, elsewhere],
      failOnRegression: false,
      now: NOW,
    });
    expect(signoff.reasons).toEqual([
      expect.stringMatching(/^load run load-\S+ was interrupted before it finished/),
      "Smoke check webhookLogHasOrder failed: expected 1 row; observed 0 rows.",
      "The runs are against different targets (local, staging): they do not sign off one release.",
    ]);
    expect(
      buildSignoff({ smoke: smokeResult(), loads: [], failOnRegression: false, now: NOW }).reasons,
    ).toEqual(["No load run measured anything: a sign-off needs the load results."]);
  });

  it("against a faster baseline, flags the p95 regression with both figures: a warning, or a reason with failOnRegression", () => {
    const baseline = {
      runIds: ["load-20251121t000000z-00000000"],
      endpoints: endpointFigures([passingLoadResult(100)]),
    };
    const warned = buildSignoff({
      smoke: smokeResult(),
      loads: [passingLoadResult(180)],
      baseline,
      failOnRegression: false,
      now: NOW,
    });
    expect(warned.verdict).toBe("GO");
    expect(warned.warnings).toEqual([
      "Regression against the baseline: identify identify p95 100 → 180 ms (+80%).",
    ]);
    expect(warned.comparison[0]?.p95Ms).toEqual({ baseline: 100, current: 180, change: 0.8 });
    expect(signoffMarkdown(warned)).toContain("| identify | identify | 100 → 180 (+80%) |");
    const failed = buildSignoff({
      smoke: smokeResult(),
      loads: [passingLoadResult(180)],
      baseline,
      failOnRegression: true,
      now: NOW,
    });
    expect(failed.verdict).toBe("NO-GO");
    expect(failed.reasons).toEqual([
      "Regression against the baseline: identify identify p95 100 → 180 ms (+80%).",
    ]);
  });

  it("does not compare with a baseline measured on another target, and says so", () => {
    const signoff = buildSignoff({
      smoke: smokeResult(),
      loads: [passingLoadResult(180)],
      baseline: {
        runIds: ["load-20251121t000000z-00000000"],
        endpoints: endpointFigures([passingLoadResult(100)]),
        target: "staging",
      },
      failOnRegression: true,
      now: NOW,
    });
    expect(signoff.verdict).toBe("GO");
    expect(signoff.comparison).toEqual([]);
    expect(signoff.baselineRunIds).toEqual([]);
    expect(signoff.warnings).toEqual([
      "The baseline is of target staging, this sign-off of local: not compared.",
    ]);
  });

  it("names the release it signs off in the headline, the page title and the environment", () => {
    const signoff = buildSignoff({
      smoke: smokeResult(),
      loads: [loadResult()],
      failOnRegression: false,
      release: "v2.4.0-rc.1",
      now: NOW,
    });
    expect(signoff.release).toBe("v2.4.0-rc.1");
    const markdown = signoffMarkdown(signoff);
    expect(markdown.split("\n")[0]).toBe(
      "# ❌ NO-GO: release v2.4.0-rc.1 · local (pasukuru reference-1.0.0, curva reference-1.0.0)",
    );
    expect(markdown).toContain("- release: v2.4.0-rc.1");
    const html = signoffHtml(signoff);
    expect(html).toContain("<title>NO-GO · release v2.4.0-rc.1 · local");
    expect(html).toContain('<div class="verdict fail">NO-GO · release v2.4.0-rc.1 · local');
  });
});

describe("reading run folders", () => {
  it("names a missing folder, a result of another schema version, and a run of the wrong suite", async () => {
    const dir = await mkdtemp(join(tmpdir(), "signoff-"));
    try {
      expect(await readRun(join(dir, "nope"), "smoke", "--smoke")).toEqual({
        problem: expect.stringMatching(/^--smoke .*nope: no readable summary\.json there/),
      });
      await writeFile(
        join(dir, "summary.json"),
        JSON.stringify({ ...smokeResult(), schemaVersion: 1 }),
      );
      expect(await readRun(dir, "smoke", "--smoke")).toEqual({
        problem: `--smoke ${dir}: summary.json has schemaVersion 1; this harness reads 2. Run the suite again with this harness.`,
      });
      await writeFile(join(dir, "summary.json"), JSON.stringify(smokeResult()));
      expect(await readRun(dir, "load", "--load")).toEqual({
        problem: `--load ${dir}: that is a smoke run; --load takes a load run.`,
      });
      // A sign-off folder is a baseline too.
      const signoff = buildSignoff({
        smoke: smokeResult(),
        loads: [passingLoadResult(120)],
        failOnRegression: false,
        now: NOW,
      });
      await writeFile(join(dir, "signoff.json"), JSON.stringify(signoff));
      expect(await readBaseline(dir)).toEqual({
        baseline: {
          runIds: [smokeResult().runId, passingLoadResult().runId],
          endpoints: signoff.endpoints,
          target: "local",
        },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a summary holding null, one not JSON, and one listing a check twice are refused, never echoing the file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "signoff-"));
    try {
      const file = join(dir, "summary.json");
      await writeFile(file, "null");
      expect(await readRun(dir, "smoke", "--smoke")).toEqual({
        problem: `--smoke ${dir}: summary.json holds null, not a run's result. Pass a run's report folder.`,
      });
      // A file that is not ours (a system file behind a symlink, say): its content never shows.
      await writeFile(file, "root:x:0:0:root:/root:/bin/bash\n");
      const notJson = await readRun(dir, "smoke", "--smoke");
      expect(notJson).toEqual({
        problem: expect.stringMatching(
          /summary\.json is not JSON \(\d+ bytes; its content is not shown\)/,
        ),
      });
      expect(JSON.stringify(notJson)).not.toContain("root:");
      const twice = smokeResult();
      twice.checks = [...twice.checks, ...twice.checks.slice(0, 1)];
      await writeFile(file, JSON.stringify(twice));
      expect(await readRun(dir, "smoke", "--smoke")).toEqual({
        problem: expect.stringMatching(
          /lists ".+" more than once; a run's summary lists each check once/,
        ),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
