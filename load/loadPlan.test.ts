import { describe, expect, it } from "vitest";
import { type LoadRequest, planLoad } from "./loadPlan.ts";
import type { LoadTarget } from "./scenarios/loadSection.ts";

/* The plan is made once from the flags: what runs, the split, the data, and the overrides as asked. */

const target = {
  name: "declared",
  production: false,
  services: { api: { url: "http://127.0.0.1:9/", healthPath: "/health" } },
  databases: {},
  secrets: [],
  load: {
    allowed: true,
    cleanup: [],
    scenarios: {
      steady: {
        requests: [{ name: "fast", service: "api", method: "GET", path: "/fast" }],
        model: { kind: "open", ratePerSec: 100, durationSec: 10 },
      },
      staged: {
        requests: [{ name: "slow", service: "api", method: "GET", path: "/slow" }],
        model: { kind: "rampingVus", startVus: 1, stages: [{ durationSec: 2, target: 4 }] },
      },
    },
  },
} as unknown as LoadTarget;

const request: LoadRequest = {
  scenarios: ["all"],
  engine: { kind: "node" },
  data: { requestTimeoutMs: 5_000, keepData: false },
};

describe("planLoad", () => {
  it("resolves every scenario the target has, with the flags' overrides, and records what was asked", () => {
    const { plan, problems } = planLoad(target, { ...request, ratePerSec: 7, durationSec: 3 });
    expect(problems).toEqual([]);
    expect(plan.scenarios.map((s) => s.name)).toEqual(["steady", "staged"]);
    expect(plan.scenarios[0]?.model).toMatchObject({ kind: "open", ratePerSec: 7, durationSec: 3 });
    // A staged model keeps its stages: they are its duration and its shape.
    expect(plan.scenarios[1]?.model).toMatchObject({ kind: "rampingVus", startVus: 1 });
    expect(plan.asked).toEqual({ ratePerSec: 7, durationSec: 3 });
    expect(plan.split).toEqual({});
    expect(plan.data).toEqual(request.data);
  });

  it("names every problem at once: an unknown scenario is not planned around", () => {
    const { problems } = planLoad(target, {
      ...request,
      scenarios: ["steady", "nope"],
      thresholds: { "http_req_duration{scenario:other}": "p(95)<10" },
    });
    expect(problems.join("\n")).toContain("--scenario nope: targets.declared has no such scenario");
  });

  it("a threshold flag that names no scenario is a problem, one naming a scenario not run is not", () => {
    const named = planLoad(target, {
      ...request,
      scenarios: ["steady"],
      thresholds: { "http_req_duration{scenario:staged}": "p(95)<10" },
    });
    expect(named.problems).toEqual([]);
    const none = planLoad(target, {
      ...request,
      thresholds: { http_req_duration: "p(95)<10" },
    });
    expect(none.problems).toEqual([
      "--threshold: http_req_duration names no scenario; write it as metric{scenario:<name>,…}.",
    ]);
  });
});
