import type { BodyExpectation } from "../lib/config/schemas/bodyExpectationSchema.ts";
import { resolvePointer } from "../lib/jsonPointer.ts";

/*
 * A JSON body judged against what its route must say (HC1, HC4): each
 * problem names the pointer, what it found and what it wanted. Fail
 * closed: a body that is not JSON, a pointer that reaches nothing, a list
 * that is empty or is not a list, each is a problem, never a pass.
 */

const shown = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

/** Every way `text` fails to say what `expectations` want; empty when it says all of it. */
export function bodyProblems(text: string, expectations: readonly BodyExpectation[]): string[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return [
      `the body is not JSON (${shown(text.slice(0, 60))}), so nothing it must say can be read`,
    ];
  }
  return expectations.flatMap((e): string[] => {
    const at = resolvePointer(document, e.pointer);
    if (!at.found) return [`${e.pointer || "the body"}: nothing at ${at.missing}`];
    if ("equals" in e)
      return at.value === e.equals
        ? []
        : [`${e.pointer || "the body"} is ${shown(at.value)}, not ${shown(e.equals)}`];
    if (!Array.isArray(at.value))
      return [`${e.pointer || "the body"} is ${shown(at.value)}, not a list`];
    if (at.value.length === 0)
      return [
        `${e.pointer || "the body"} is an empty list: nothing in it is shown ${shown(e.every.equals)}`,
      ];
    return at.value.flatMap((element, i): string[] => {
      const inner = resolvePointer(element, e.every.pointer);
      const where = `${e.pointer}/${i}${e.every.pointer}`;
      if (!inner.found) return [`${where}: nothing there`];
      return inner.value === e.every.equals
        ? []
        : [`${where} is ${shown(inner.value)}, not ${shown(e.every.equals)}${labelOf(element)}`];
    });
  });
}

/** An element's name or id, when it has one, so a problem says which service is down. */
function labelOf(element: unknown): string {
  if (typeof element !== "object" || element === null) return "";
  const e = element as Record<string, unknown>;
  const label = e.name ?? e.id ?? e.service;
  return typeof label === "string" || typeof label === "number" ? ` (${label})` : "";
}
