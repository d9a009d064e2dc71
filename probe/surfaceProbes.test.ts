import { describe, expect, it } from "vitest";
import { retryAfterSeconds } from "./surfaceProbes.ts";

describe("retryAfterSeconds (RFC 9110: delta-seconds or an HTTP date)", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");
  it.each([
    ["2", 2],
    [" 120 ", 120],
    ["0", 0],
    ["Tue, 01 Dec 2026 12:00:30 GMT", 30],
    ["Tue, 01 Dec 2026 11:59:00 GMT", 0],
  ] as const)("%j is %d s", (value, seconds) => {
    expect(retryAfterSeconds(value, now)).toBe(seconds);
  });

  it.each([undefined, "", "soon", "-1", "1.5", "2026-12-01T12:00:30Z", "30s"])(
    "%j is not a Retry-After",
    (value) => {
      expect(retryAfterSeconds(value, now)).toBeUndefined();
    },
  );
});
