import { z } from "zod";
import { nearestKey } from "../nearestKey.ts";

/*
 * The parts every section's schema is built of. Each states its range and
 * form, and says what is wrong in a sentence that starts after the key's
 * path: "is 0: it must be the requests the window allows, a whole number
 * from 1 to 10000." (schemaProblems puts the path in front). Objects are
 * strict at every depth: an unknown key is named with the nearest known one.
 */

/** A value as a message shows it: short, and never an object's insides. */
export function shown(value: unknown): string {
  if (value === undefined) return "missing";
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object" && value !== null) return "an object";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** "is <value>" for a value that is there, "is missing" for one that is not. */
const is = (input: unknown) => `is ${shown(input)}`;

/** The sentence for a value of the wrong form: `what` says what it must be. */
export const must =
  (what: string) =>
  (issue: { input?: unknown }): string =>
    `${is(issue.input)}: it must be ${what}.`;

/**
 * An object that takes only `shape`'s keys. Each unknown key is its own line
 * (schemaProblems makes each a problem), with the nearest known key.
 */
export function obj<S extends z.core.$ZodLooseShape>(shape: S, what?: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys")
        return issue.keys
          .map((key) => {
            const near = nearestKey(key, known);
            return `\`${key}\` is not a key${near ? `; did you mean \`${near}\`?` : `. Known here: ${known.join(", ")}.`}`;
          })
          .join("\n");
      if (issue.code === "invalid_type")
        return `${is(issue.input)}: it must be an object${what ? ` (${what})` : ` { ${known.join(", ")} }`}.`;
      return undefined;
    },
  });
}

/** A function of the given type; functions are not JSON, so the JSON Schema says what it does. */
export function fn<T>(what: string) {
  return z
    .custom<T>((value) => typeof value === "function", { error: must(`a function ${what}`) })
    .meta({ description: `A function ${what}.` });
}

/** Non-empty text. */
export const text = (what: string) => z.string({ error: must(what) }).min(1, { error: must(what) });

/** A whole number in [min, max]: a count, a bound, a window in ms. */
export function whole(min: number, max: number, what: string) {
  const error = must(`${what}, a whole number from ${min} to ${max}`);
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** A number above 0, at most max (seconds, a rate). */
export function positive(max: number, what: string) {
  const error = must(`${what}, a number above 0, at most ${max}`);
  return z.number({ error }).gt(0, { error }).max(max, { error });
}

/** One of `values`, named in the message. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) =>
      `${is(issue.input)}; allowed: ${values.map((v) => JSON.stringify(v)).join(", ")}.`,
  });
}

/** true or false. */
export const bool = () => z.boolean({ error: must("true or false") });
