import { describe, expect, it } from "vitest";
import { SCENARIOS } from "../scenarios/scenarios.ts";
import { k6Thresholds, metricKey } from "../scenarios/thresholds.ts";
import { k6Options, REPORTING_CONDITIONS } from "./k6Options.ts";

describe("k6Options", () => {
  const all = [SCENARIOS.identify, SCENARIOS.webhook, SCENARIOS.sustained];
  const options = k6Options(all);

  it("runs the scenarios one after another with k6's executors for the two models", () => {
    expect(options.scenarios).toEqual({
      identify: {
        executor: "constant-vus",
        vus: 1000,
        duration: "60s",
        startTime: "0s",
        gracefulStop: "10s",
        exec: "run",
      },
      webhook: {
        executor: "constant-vus",
        vus: 100,
        duration: "60s",
        startTime: "70s",
        gracefulStop: "10s",
        exec: "run",
      },
      sustained: {
        executor: "constant-arrival-rate",
        rate: 10,
        timeUnit: "1s",
        duration: "600s",
        preAllocatedVUs: 100,
        maxVUs: 100,
        startTime: "140s",
        gracefulStop: "10s",
        exec: "run",
      },
    });
  });

  it("carries exactly the Node engine's judged thresholds (those k6 can measure), in k6 syntax", () => {
    const judged = Object.fromEntries(
      Object.entries(options.thresholds).filter(
        ([, conditions]) =>
          !conditions.every((c) => (REPORTING_CONDITIONS as readonly string[]).includes(c)),
      ),
    );
    expect(judged).toEqual(k6Thresholds(all.flatMap((s) => s.thresholds)));
    // Every threshold the Node engine judges is either in k6's options or measured beside k6 (pools).
    for (const spec of all.flatMap((s) => s.thresholds)) {
      if (spec.k6) expect(options.thresholds[metricKey(spec)]).toContain(spec.condition);
      else expect(spec.metric).toBe("db_pool_exhausted");
    }
  });

  it("a fractional rate keeps its value with a longer time unit", () => {
    const slow = {
      ...SCENARIOS.sustained,
      model: { ...SCENARIOS.sustained.model, ratePerSec: 2.5 },
    };
    expect(k6Options([slow]).scenarios.sustained).toMatchObject({ rate: 2500, timeUnit: "1000s" });
  });

  it("maps stages one to one: ramping-vus and ramping-arrival-rate, durations summed for the next start", () => {
    const stages = [
      { durationSec: 30, target: 200 },
      { durationSec: 60, target: 200 },
      { durationSec: 10, target: 0 },
    ];
    const ramped = k6Options([
      {
        ...SCENARIOS.identify,
        model: { kind: "rampingVus", startVus: 0, stages, durationSec: 100 },
      },
      {
        ...SCENARIOS.sustained,
        model: {
          kind: "rampingArrivalRate",
          startRate: 5,
          stages,
          durationSec: 100,
          maxInFlight: 300,
        },
      },
    ]);
    const k6Stages = [
      { duration: "30s", target: 200 },
      { duration: "60s", target: 200 },
      { duration: "10s", target: 0 },
    ];
    expect(ramped.scenarios).toEqual({
      identify: {
        executor: "ramping-vus",
        startVUs: 0,
        stages: k6Stages,
        gracefulRampDown: "10s",
        startTime: "0s",
        gracefulStop: "10s",
        exec: "run",
      },
      sustained: {
        executor: "ramping-arrival-rate",
        startRate: 5,
        timeUnit: "1s",
        stages: k6Stages,
        preAllocatedVUs: 300,
        maxVUs: 300,
        startTime: "110s",
        gracefulStop: "10s",
        exec: "run",
      },
    });
  });
});
