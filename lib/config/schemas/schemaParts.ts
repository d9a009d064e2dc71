import { z } from "zod";
import { SIGNING_SCHEMES } from "../../webhookSchemes.ts";
import { signingSecretProblem } from "../../webhookSigning.ts";
import { nearestKey } from "../nearestKey.ts";
import { urlProblem } from "../urlProblem.ts";

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
const must =
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

/** A path on a service: starts with /. */
export const path = (example = "/health") =>
  z
    .string({ error: must(`a path starting with /, e.g. ${example}`) })
    .startsWith("/", { error: must(`a path starting with /, e.g. ${example}`) });

/** A URL with one of `protocols` (e.g. ["postgres:", "postgresql:"]). */
export function url(protocols: readonly string[]) {
  const what = `a ${protocols.join(" or ")} URL`;
  return z
    .string({ error: must(what) })
    .min(1, { error: must(what) })
    .superRefine((value, ctx) => {
      const problem = urlProblem(value, protocols);
      if (problem)
        ctx.addIssue({
          code: "custom",
          message: `${problem.startsWith("is not") ? `is ${shown(value)}: it ` : ""}${problem}.`,
        });
    })
    .meta({ format: "uri", description: `A ${protocols.join(" or ")} URL.` });
}

/** An origin, scheme://host[:port], with no path or slash. */
export function origin(scheme?: "https:" | "http:") {
  const what = `an origin, ${scheme ? `${scheme}//` : "scheme://"}host[:port], with no path or slash`;
  return z.string({ error: must(what) }).refine(
    (value) => {
      try {
        const u = new URL(value);
        return u.origin === value && (scheme === undefined || u.protocol === scheme);
      } catch {
        return false;
      }
    },
    { error: must(what) },
  );
}

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

/** A header name (an HTTP token). */
export const headerName = () =>
  z.string({ error: must("a header name") }).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, {
    error: must("a header name"),
  });

/** Headers by name; values are often secrets (from the environment). */
export const headers = () =>
  z.record(headerName(), z.string({ error: must("a header value, as text") }), {
    error: must("an object of header values by name"),
  });

/** An HTTP status. */
const status = () => whole(100, 599, "an HTTP status");

/**
 * Which answers count as expected (k6's http_req_failed): statuses or
 * inclusive { min, max } ranges, as k6's `http.expectedStatuses` takes them.
 */
export const expectedStatuses = () =>
  z
    .array(
      z.union(
        [
          status(),
          obj({
            min: status().meta({ description: "The range's lowest status, included." }),
            max: status().meta({ description: "The range's highest status, included." }),
          }).refine((r) => r.min <= r.max, {
            error: "is a range whose min is above its max.",
          }),
        ],
        { error: must("an HTTP status (100-599) or { min, max } with min <= max") },
      ),
      {
        error: must(
          "a list of statuses or { min, max } ranges, e.g. [200, { min: 300, max: 399 }]",
        ),
      },
    )
    .min(1, { error: must("a non-empty list of statuses or { min, max } ranges") });

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** How a webhook is signed: a scheme of lib/webhookSigning.ts, and a secret it can use. */
export const signing = () =>
  obj({
    scheme: oneOf(SIGNING_SCHEMES).meta({
      description:
        "How deliveries are signed: a scheme of lib/webhookSigning.ts (webhooks: see probe/README.md).",
    }),
    secret: z
      .string({
        error: must("the signing secret, read from the environment"),
      })
      .meta({
        description:
          "The signing secret, read from the environment (never written in a config); its form must suit the scheme (e.g. whsec_… for Standard Webhooks).",
      }),
  }).superRefine((value, ctx) => {
    // Checked before anything is sent: a secret that cannot sign would crash a run midway.
    const problem = signingSecretProblem(value.scheme, value.secret);
    if (problem)
      ctx.addIssue({
        code: "custom",
        path: ["secret"],
        message: `is not usable: ${problem}.`,
      });
  });

/**
 * The names a profile defines that its sections refer to: services and
 * databases. Given, a reference to another name is a problem at its key;
 * absent (the JSON Schema, the types), any non-empty name is taken.
 */
export interface ProfileNames {
  services: readonly string[];
  databases: readonly string[];
}

function refTo(kind: "services" | "databases", names: readonly string[] | undefined) {
  return z
    .string({ error: must(`a key of the profile's ${kind}`) })
    .superRefine((value, ctx) => {
      if (names && !names.includes(value))
        ctx.addIssue({
          code: "custom",
          message: `is ${shown(value)}; ${names.length > 0 ? `use one of the target's ${kind}: ${names.join(", ")}` : `the profile names no ${kind}`}.`,
        });
    })
    .meta({
      description:
        kind === "services"
          ? "The service it goes to: a key of the profile's `services`."
          : "The database it runs on: a key of the profile's `databases`.",
    });
}

/** A key of the profile's services. */
export const serviceRef = (names?: ProfileNames) => refTo("services", names?.services);

/** A key of the profile's databases. */
const databaseRef = (names?: ProfileNames) => refTo("databases", names?.databases);

/** The joint suites' two services. */
export const jointService = () =>
  oneOf(["pasukuru", "curva"]).meta({
    description: "The service it goes to: `pasukuru` or `curva`.",
  });

/** One parameterised statement: `text` uses $1..$n, `values(args)` fills them. */
export function sqlStatement<Args>(names?: ProfileNames) {
  return obj({
    database: databaseRef(names),
    text: z
      .string({ error: must("SQL") })
      .refine((t) => t.trim() !== "", { error: must("SQL") })
      .meta({ description: "The SQL, with $1..$n where `values` go (never a value spliced in)." }),
    values: fn<(args: Args) => unknown[]>("(args) => the statement's values"),
  });
}

/** Statements run in order. */
export const sqlStatements = <Args>(names?: ProfileNames) =>
  z.array(sqlStatement<Args>(names), {
    error: must("a list of { database, text, values }"),
  });
