import { describe, expect, it } from "vitest";
import { outcomeOf } from "./runResult.ts";

describe("outcomeOf", () => {
  it("a run that judged nothing is never a pass", () => {
    expect(outcomeOf([], false)).toBe("checksFailed");
    expect(outcomeOf([], true)).toBe("interrupted");
  });

  it("pass only when every verdict passed; a failure beats could-not-judge; skipped is not a pass", () => {
    expect(outcomeOf([{ status: "passed" }], false)).toBe("pass");
    expect(outcomeOf([{ status: "passed" }, { status: "skipped" }], false)).toBe("checksFailed");
    expect(outcomeOf([{ status: "error" }, { status: "failed" }], false)).toBe("checksFailed");
    expect(outcomeOf([{ status: "error", couldNotJudge: "dependency" }], false)).toBe(
      "targetUnreachable",
    );
    expect(outcomeOf([{ status: "passed" }], false, true)).toBe("targetUnreachable");
  });
});
