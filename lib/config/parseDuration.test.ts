import { describe, expect, it } from "vitest";
import { parseDuration } from "./parseDuration.ts";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["10s", 10_000],
    ["1.5s", 1_500],
    ["2m", 120_000],
    ["24h", 86_400_000],
    ["7d", 604_800_000],
  ])("%s is %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["10", "ten seconds", "0s", "-1s", "1w", ""])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
