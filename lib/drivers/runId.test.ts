import { describe, expect, it } from "vitest";
import { isRunId, newRunId, RUN_ID_SQL_PATTERN, testLineUserId } from "./runId.ts";

describe("newRunId", () => {
  it("is sortable by time, names its suite and matches the run id format", () => {
    const at = new Date("2025-11-22T19:25:30.123Z");
    const id = newRunId("smoke", at, Buffer.from("a1b2c3d4", "hex"));
    expect(id).toBe("smoke-20251122t192530z-a1b2c3d4");
    expect(isRunId(id)).toBe(true);
    expect(isRunId(newRunId("load", at))).toBe(true);
  });

  it("differs between two runs in the same second", () => {
    const now = new Date();
    expect(newRunId("smoke", now)).not.toBe(newRunId("smoke", now));
  });

  it("rejects other strings, including a run id with a suite the harness does not have", () => {
    expect(isRunId("smoke-x")).toBe(false);
    expect(isRunId("soak-20251122t192530z-a1b2c3d4")).toBe(false);
    expect(isRunId("smoke-20251122t192530z-a1b2c3d4; DROP")).toBe(false);
  });

  it("the SQL pattern is the same expression", () => {
    expect(new RegExp(RUN_ID_SQL_PATTERN).test("load-20251122t192530z-a1b2c3d4")).toBe(true);
  });
});

describe("testLineUserId", () => {
  it("has LINE's shape", () => {
    expect(testLineUserId()).toMatch(/^U[0-9a-f]{32}$/);
  });
});
