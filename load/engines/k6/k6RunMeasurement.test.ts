import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parseSegment, SegmentStripe } from "../../executionSegment.ts";
import { readK6Raw } from "../../k6format/k6Raw.ts";
import type { ScenarioDefinition } from "../../scenarios/scenarios.ts";
import { type K6SummaryData, k6RunMeasurement } from "./k6RunMeasurement.ts";

/*
 * k6's measurement from what a real k6 v1.3.0 wrote (the first of three
 * runner pods of distribute/fixtures/operator3: 30 req/s for 3 s, split in
 * three): its raw samples, checked against its summary.
 */
const fixture = new URL("../../distribute/fixtures/operator3/", import.meta.url);
const pod = "split-test-1-abcde";
const k6 = { version: "k6 v1.3.0", generator: { generatorBound: false } };

async function recorded() {
  const plan = JSON.parse(await readFile(new URL("plan.json", fixture), "utf8")) as {
    scenarios: ScenarioDefinition[];
  };
  const scenario = plan.scenarios[0] as ScenarioDefinition;
  const raw = await readK6Raw(new URL(`${pod}.json.gz`, fixture).pathname, [scenario], k6.version);
  const summary = JSON.parse(
    await readFile(new URL(`${pod}.summary.json`, fixture), "utf8"),
  ) as K6SummaryData;
  const parsed = parseSegment("1/3");
  if ("problem" in parsed) throw new Error(parsed.problem);
  return { scenario, raw, summary, segment: new SegmentStripe(parsed.segment) };
}

describe("k6RunMeasurement", () => {
  it("fills the Node engine's fields from k6's raw samples: histogram, rows, interrupted, k6's own run length", async () => {
    const { scenario, raw, summary, segment } = await recorded();
    const measured = k6RunMeasurement(raw, summary, scenario, k6, { segment, aborted: false });
    const work = measured.endpoints[0];
    expect(work?.requests).toBe(31);
    expect(work?.latency).toBeDefined();
    expect(measured.series.length).toBeGreaterThanOrEqual(3);
    // Every start this runner's share owed was made and finished: k6 starts at both ends, 91 in all.
    expect(segment.countBelow(30 * 3 + 1)).toBe(31);
    expect(measured.interrupted).toBe(0);
    expect(measured.activeMs).toBeCloseTo(3007.55, 1);
    measured.release?.();
  });

  it("counts as interrupted the starts owed that neither finished nor were dropped", async () => {
    const { scenario, raw, summary, segment } = await recorded();
    // The same samples under a schedule that owed this runner 40 starts (40 req/s for 3 s).
    const owedMore = {
      ...scenario,
      model: { ...scenario.model, ratePerSec: 40 },
    } as ScenarioDefinition;
    const measured = k6RunMeasurement(raw, summary, owedMore, k6, { segment, aborted: false });
    expect(measured.interrupted).toBe(segment.countBelow(40 * 3 + 1) - 31);
    // After a Ctrl-C, k6 stopped early: how many were cut is not known, so it is not said.
    expect(
      k6RunMeasurement(raw, summary, scenario, k6, { segment, aborted: true }).interrupted,
    ).toBeUndefined();
  });

  it("refuses raw results the summary does not vouch for: cut short, or no summary at all", async () => {
    const { scenario, raw, summary, segment } = await recorded();
    const more: K6SummaryData = {
      ...summary,
      metrics: { ...summary.metrics, http_reqs: { type: "counter", values: { count: 40 } } },
    };
    expect(() => k6RunMeasurement(raw, more, scenario, k6, { segment, aborted: false })).toThrow(
      /hold 31 requests, its summary counts 40: the raw file is cut short/,
    );
    expect(() =>
      k6RunMeasurement(raw, undefined, scenario, k6, { segment, aborted: false }),
    ).toThrow(/wrote no end-of-test summary/);
  });
});
