import { describe, expect, it } from "vitest";
import { helpTable } from "./helpTable.ts";

describe("helpTable", () => {
  it("aligns the right column two spaces past the longest left entry", () => {
    expect(
      helpTable([
        ["--sweep-older-than <value>", "Remove leftovers."],
        ["--help", "Show this help."],
      ]),
    ).toEqual([
      "  --sweep-older-than <value>  Remove leftovers.",
      "  --help                      Show this help.",
    ]);
  });
});
