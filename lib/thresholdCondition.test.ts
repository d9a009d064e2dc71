import { describe, expect, it } from "vitest";
import { holds, parseCondition, parseOverride, percentileCeiling } from "./thresholdCondition.ts";

describe("parseCondition and holds", () => {
  it.each([
    ["p(95)<500", 499.9, true],
    ["p(95)<500", 500, false],
    ["p(99.9)<=1000", 1000, true],
    ["rate==0", 0, true],
    ["rate==0", 0.0001, false],
    ["count==0", 1, false],
    ["max<1000", 999, true],
    ["avg>=2", 1, false],
  ] as const)("%s on %d is %s", (text, observed, expected) => {
    const condition = parseCondition(text);
    if (!condition) throw new Error(`${text} did not parse`);
    expect(holds(condition, observed)).toBe(expected);
  });

  it.each(["p95<500", "p(95) < ", "rate=0", "med<3", ""])("rejects %j", (text) => {
    expect(parseCondition(text)).toBeUndefined();
  });
});

describe("parseOverride", () => {
  it.each([
    [
      "http_req_duration{scenario:identify,endpoint:identify}=p(95)<400",
      "http_req_duration{scenario:identify,endpoint:identify}",
      "p(95)<400",
    ],
    ["http_req_failed{scenario:webhook} = rate==0", "http_req_failed{scenario:webhook}", "rate==0"],
    ["http_5xx{scenario:identify}=under 1%", "http_5xx{scenario:identify}", "under 1%"],
  ])("%j is key %j and condition %j (judged later, with its key)", (text, key, condition) => {
    expect(parseOverride(text)).toEqual({ key, condition });
  });

  it.each([
    "http_req_duration=p(95)<400",
    "p(95)<400",
    "http_req_duration{scenario:identify}=",
    "Http{a:b}=rate==0",
    "",
  ])("rejects %j", (text) => {
    expect(parseOverride(text)).toBeUndefined();
  });
});

describe("percentileCeiling", () => {
  it.each([
    ["p(95)<500", 95, 500],
    ["p(95)<=450.5", 95, 450.5],
    [" p(95) < 300 ", 95, 300],
    ["p(99)<500", 95, undefined],
    ["p(95)>500", 95, undefined],
    ["rate==0", 95, undefined],
    ["p95<500", 95, undefined],
  ] as const)("%j on p(%d) is %s", (text, p, ceiling) => {
    expect(percentileCeiling(text, p)).toBe(ceiling);
  });
});
