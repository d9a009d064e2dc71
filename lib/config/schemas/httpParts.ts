import { z } from "zod";
import { SIGNING_SCHEMES } from "../../webhookSchemes.ts";
import { signingSecretProblem } from "../../webhookSigning.ts";
import { urlProblem } from "../urlProblem.ts";
import { must, obj, oneOf, shown, whole } from "./schemaParts.ts";

/** The HTTP parts of a section's schema: paths, URLs, origins, headers, statuses, methods, signing. */

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
