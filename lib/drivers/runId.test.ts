import { describe, expect, it } from "vitest";
import { isRunId, newRunId, testLineUserId } from "./runId.ts";

describe("newRunId", () => {
  it("is sortable by time and matches the run id format", () => {
    const id = newRunId(new Date("2025-11-22T19:25:30.123Z"), Buffer.from("a1b2c3d4", "hex"));
    expect(id).toBe("smoke-20251122t192530z-a1b2c3d4");
    expect(isRunId(id)).toBe(true);
  });

  it("differs between two runs in the same second", () => {
    const now = new Date();
    expect(newRunId(now)).not.toBe(newRunId(now));
  });

  it("rejects other strings", () => {
    expect(isRunId("smoke-x")).toBe(false);
  });
});

describe("testLineUserId", () => {
  it("has LINE's shape", () => {
    expect(testLineUserId()).toMatch(/^U[0-9a-f]{32}$/);
  });
});
