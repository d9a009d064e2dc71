import type { z } from "zod";
import { shown } from "./schemaParts.ts";

/** A path as a config names it: `probe.http.rateLimit.limit`, `scenarios.a.requests[0].path`. */
function placeOf(at: string, path: readonly PropertyKey[]): string {
  let place = at;
  for (const segment of path) {
    if (typeof segment === "number") place += `[${segment}]`;
    else place += place === "" ? String(segment) : `.${String(segment)}`;
  }
  return place;
}

/** zod's own sentence, for an issue no part of ours words (kept short, and with the value). */
function fallback(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `${issue.input === undefined ? "is missing" : `is ${shown(issue.input)}`}: it must be ${issue.expected === "object" ? "an object" : issue.expected}.`;
    case "invalid_value":
      return `is ${shown(issue.input)}; allowed: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}.`;
    case "invalid_union":
      return (issue as { note?: string }).note === "No matching discriminator"
        ? `is ${shown(issue.input)}; allowed: ${(issue as { options?: unknown[] }).options?.map((o) => JSON.stringify(o)).join(", ")}.`
        : `is ${shown(issue.input)}: it matches none of the forms this key takes.`;
    default:
      return `is ${shown(issue.input)}: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}.`;
  }
}

/**
 * Every problem of `value` against `schema`, each a sentence that names its
 * key by its whole path: "targets.staging: probe.http.rateLimit.limit is 0:
 * it must be …", "targets.staging.probe.http.rateLimit: `limt` is not a
 * key; did you mean `limit`?". `target` is the target's place
 * (`targets.staging`), `at` the value's within it (`probe`).
 */
export function schemaProblems(
  schema: z.ZodType,
  value: unknown,
  target: string,
  at: string,
  options: {
    /** Which issues count (default all): a profile's core check leaves sections to their users. */
    keep?: (issue: z.core.$ZodIssue) => boolean;
    /** Between the target and an object's place in an unknown key's problem (default "."). */
    sep?: string;
    /** What the value itself is called in an unknown key's problem (default: the target alone). */
    rootName?: string;
  } = {},
): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  const problems: string[] = [];
  for (const issue of result.error.issues) {
    if (options.keep && !options.keep(issue)) continue;
    const place = placeOf(at, issue.path);
    if (issue.code === "unrecognized_keys") {
      // Our objects word each key on its own line (schemaParts.obj).
      const sep = options.sep ?? ".";
      const where =
        place === ""
          ? options.rootName
            ? `${target}${sep}${options.rootName}`
            : target
          : `${target}${sep}${place}`;
      for (const line of issue.message.split("\n")) problems.push(`${where}: ${line}`);
      continue;
    }
    // Our parts' sentences start lower-case after the key; zod's own (capitalised) are reworded.
    const message = /^[a-z`:;]/.test(issue.message) ? issue.message : fallback(issue);
    const gap = /^[:;]/.test(message) ? "" : " ";
    problems.push(`${target}: ${place === "" ? "the profile" : place}${gap}${message}`);
  }
  return [...new Set(problems)];
}
