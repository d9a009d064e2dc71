import { describe, expect, it } from "vitest";
import { arrivalSchedule, stagesDurationSec, stagesPeak, stageValueAt } from "./stages.ts";

describe("stages as k6 means them", () => {
  const stages = [
    { durationSec: 10, target: 100 },
    { durationSec: 10, target: 100 },
    { durationSec: 5, target: 0 },
  ];

  it("move linearly from the start to each target", () => {
    expect(stagesDurationSec(stages)).toBe(25);
    expect(stagesPeak(0, stages)).toBe(100);
    expect([0, 5, 10, 15, 20, 22.5, 25, 30].map((t) => stageValueAt(0, stages, t))).toEqual([
      0, 50, 100, 100, 100, 50, 0, 0,
    ]);
  });

  it("a constant rate's arrivals are i / rate, exactly rate × duration of them", () => {
    const s = arrivalSchedule(200, [{ durationSec: 3, target: 200 }]);
    expect(s.total).toBe(600);
    for (const i of [0, 1, 199, 599]) expect(s.dueSec(i)).toBeCloseTo(i / 200, 9);
  });

  it("a ramp's arrivals follow the area under the rate", () => {
    const s = arrivalSchedule(0, stages);
    // 0→100 over 10 s is 500, 100 for 10 s is 1000, 100→0 over 5 s is 250.
    expect(s.total).toBe(1750);
    // On the ramp 0→100/s (10/s² slope), arrival k is at sqrt(k / 5).
    expect(s.dueSec(125)).toBeCloseTo(5, 6);
    expect(s.dueSec(500)).toBeCloseTo(10, 6);
    expect(s.dueSec(1000)).toBeCloseTo(15, 6);
    // Due times never go back.
    let last = -1;
    for (let i = 0; i < s.total; i++) {
      const t = s.dueSec(i);
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
    expect(last).toBeLessThanOrEqual(25);
    // Per second, the arrivals are the rate at mid-second.
    const perSecond = new Array(25).fill(0);
    for (let i = 0; i < s.total; i++) perSecond[Math.min(24, Math.floor(s.dueSec(i)))]++;
    expect(perSecond[2]).toBe(25);
    expect(perSecond[12]).toBe(100);
    expect(perSecond[24]).toBe(10);
  });
});
