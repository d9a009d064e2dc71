import { describe, expect, it } from "vitest";
import { pointerProblem, resolvePointer } from "./jsonPointer.ts";

describe("JSON Pointer (RFC 6901)", () => {
  const doc = { foo: ["bar", "baz"], "": 0, "a/b": 1, "m~n": 8, services: [{ status: "ok" }] };

  it("resolves the RFC's own examples", () => {
    expect(resolvePointer(doc, "")).toEqual({ found: true, value: doc });
    expect(resolvePointer(doc, "/foo")).toEqual({ found: true, value: ["bar", "baz"] });
    expect(resolvePointer(doc, "/foo/0")).toEqual({ found: true, value: "bar" });
    expect(resolvePointer(doc, "/")).toEqual({ found: true, value: 0 });
    expect(resolvePointer(doc, "/a~1b")).toEqual({ found: true, value: 1 });
    expect(resolvePointer(doc, "/m~0n")).toEqual({ found: true, value: 8 });
  });

  it("says which step found nothing: a missing key, an index past the end, a non-index, a step into a scalar", () => {
    expect(resolvePointer(doc, "/services/1/status")).toEqual({
      found: false,
      missing: "/services/1",
    });
    expect(resolvePointer(doc, "/foo/01")).toEqual({ found: false, missing: "/foo/01" });
    expect(resolvePointer(doc, "/foo/-")).toEqual({ found: false, missing: "/foo/-" });
    expect(resolvePointer(doc, "/foo/0/x")).toEqual({ found: false, missing: "/foo/0/x" });
    expect(resolvePointer(doc, "/toString")).toEqual({ found: false, missing: "/toString" });
  });

  it("names a malformed pointer", () => {
    expect(pointerProblem("/services/0/status")).toBeUndefined();
    expect(pointerProblem("")).toBeUndefined();
    expect(pointerProblem("services")).toContain("starts with /");
    expect(pointerProblem("/a~2")).toContain("~0");
  });
});
