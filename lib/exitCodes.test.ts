import { describe, expect, it } from "vitest";
import { EXIT_CODES, exitCodeFor, exitCodesLine } from "./exitCodes.ts";

describe("exit codes", () => {
  it("keep the documented numbers", () => {
    expect(EXIT_CODES).toEqual({
      pass: 0,
      checksFailed: 1,
      usageOrConfig: 2,
      targetUnreachable: 3,
      internalError: 4,
      incomplete: 5,
      interrupted: 130,
    });
    expect(exitCodeFor("targetUnreachable")).toBe(3);
  });

  it("the help line names every code in the map", () => {
    expect(exitCodesLine()).toBe(
      "Exit codes: 0 pass · 1 checks failed · 2 usage or config error · 3 a dependency is unreachable · 4 harness error (no verdict) · 5 incomplete merge: a runner's shard missing or not matching (no verdict) · 130 interrupted (no verdict)",
    );
  });
});
