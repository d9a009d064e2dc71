import { describe, expect, it } from "vitest";
import { parseCondition } from "../../lib/thresholdCondition.ts";
import { SCENARIOS } from "./scenarios.ts";
import { k6Thresholds, metricKey, overrideThresholds } from "./thresholds.ts";

describe("the scenarios' thresholds", () => {
  it("are the plan's limits, in k6's own syntax for k6's options", () => {
    expect(k6Thresholds(SCENARIOS.identify.thresholds)).toEqual({
      "http_req_duration{scenario:identify,endpoint:identify}": ["p(95)<500"],
      "http_req_failed{scenario:identify}": ["rate==0"],
      "http_5xx{scenario:identify}": ["rate==0"],
      "http_errors{scenario:identify}": ["rate==0"],
    });
    expect(k6Thresholds(SCENARIOS.sustained.thresholds)).toEqual({
      "http_req_duration{scenario:sustained,endpoint:identify}": ["p(95)<500"],
      "http_req_duration{scenario:sustained,endpoint:webhook}": ["p(95)<200"],
      "http_req_failed{scenario:sustained}": ["rate==0"],
      "http_5xx{scenario:sustained}": ["rate==0"],
      "http_errors{scenario:sustained}": ["rate==0"],
      "dropped_iterations{scenario:sustained}": ["count==0"],
    });
  });

  it("every condition parses, and pool exhaustion is the harness's own (not k6's)", () => {
    for (const scenario of Object.values(SCENARIOS)) {
      for (const spec of scenario.thresholds) expect(parseCondition(spec.condition)).toBeDefined();
      const pool = scenario.thresholds.filter((t) => t.metric === "db_pool_exhausted");
      expect(pool.map((t) => [metricKey(t), t.k6])).toEqual([
        [`db_pool_exhausted{scenario:${scenario.name},service:pasukuru}`, false],
        [`db_pool_exhausted{scenario:${scenario.name},service:curva}`, false],
      ]);
    }
  });
});

describe("overrideThresholds", () => {
  it("replaces a condition by metric key, and names unknown keys and bad conditions", () => {
    const { specs, problems } = overrideThresholds(
      SCENARIOS.identify.thresholds,
      {
        "http_req_duration{scenario:identify,endpoint:identify}": "p(95)<400",
        "http_req_duration{scenario:nope}": "p(95)<1",
        "http_5xx{scenario:identify}": "under 1%",
      },
      "config load.thresholds",
    );
    expect(specs[0]?.condition).toBe("p(95)<400");
    expect(specs.find((s) => s.metric === "http_5xx")?.condition).toBe("rate==0");
    expect(problems).toEqual([
      expect.stringMatching(
        /^config load\.thresholds: no threshold on http_req_duration\{scenario:nope\}; known: /,
      ),
      'config load.thresholds: "under 1%" (for http_5xx{scenario:identify}) is not a condition; use k6 syntax such as p(95)<400, rate==0 or count==0.',
    ]);
  });
});
