import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import type { Exchange } from "./probeDelivery.ts";
import { burstEvidence, sendBurst } from "./rateLimitBurst.ts";
import {
  callHelper,
  identityHeaders,
  is2xx,
  type SurfaceProbe,
  sendAs,
  statusText,
} from "./surfaceContext.ts";

/*
 * What a limiter is keyed on and what it does when its store is gone:
 * R4, a limit per identity (one identity exhausted, another still served);
 * R5, fail closed (with the store taken down, a burst is still limited or
 * refused outright, never let through). Each sends its own bounded burst.
 */

type RateLimit = NonNullable<ProbeHttp["rateLimit"]>;

/** An answer the limiter let through: neither limited (429) nor refused by a failing service (5xx, none). */
const letThrough = (a: Exchange) => a.status !== null && a.status !== 429 && a.status < 500;

export const LIMITER_PROBES: Record<string, SurfaceProbe> = {
  R4: {
    missing: (http) =>
      http.rateLimit?.otherIdentity
        ? undefined
        : "probe.http.rateLimit.otherIdentity is not configured",
    expected:
      "once the limit holds for one identity (429), another identity's request is not limited",
    async run(ctx) {
      const spec = ctx.http.rateLimit as RateLimit;
      const first = spec.identity as string;
      const other = spec.otherIdentity as string;
      // The other identity is minted before the burst: its request goes the moment the first is limited.
      await identityHeaders(ctx, other);
      const b = await sendBurst(ctx, spec, first);
      if (!b.limited)
        return {
          status: "failed",
          expected: this.expected,
          observed: `${first} was never limited: ${b.answers.length} requests in ${Math.round(b.elapsedMs)} ms, no 429 (stopped by ${b.stoppedBy})`,
          hint: "No limit held for the first identity, so a per-identity limit cannot be seen: see R1.",
          evidence: burstEvidence(b),
        };
      const a = await sendAs(
        ctx,
        { ...spec, identity: other },
        { "content-type": "application/json" },
        spec.body,
      );
      const observed = `${first} limited after ${b.answers.length} requests; then ${other}: ${statusText(a)}`;
      const evidence = [...burstEvidence(b), `[${other}, right after]`, ...a.evidence];
      return a.status !== 429 && a.status !== null
        ? { status: "passed", expected: this.expected, observed, evidence }
        : {
            status: "failed",
            expected: this.expected,
            observed,
            hint: "The limit is shared, not per identity: one caller locks every other out. Key the limiter on the authenticated identity (user or API key), not the client address alone.",
            evidence,
          };
    },
  },
  R5: {
    missing: (http) =>
      http.rateLimit?.storeOutage
        ? undefined
        : "probe.http.rateLimit.storeOutage is not configured",
    expected:
      "with the limiter's store down, a burst of limit + extra is still limited or refused: at most `limit` let through",
    async run(ctx) {
      const spec = ctx.http.rateLimit as RateLimit;
      const outage = spec.storeOutage as NonNullable<RateLimit["storeOutage"]>;
      const down = await callHelper(ctx, outage.takeDown);
      const evidence = ["[take the store down (helper)]", ...down.evidence];
      let observed = "";
      let wrong: string | undefined;
      try {
        if (!is2xx(down))
          return {
            status: "failed",
            expected: this.expected,
            observed: `the take-down helper answered ${statusText(down)}: nothing was judged`,
            hint: "Check probe.http.rateLimit.storeOutage.takeDown (its path and secret header).",
            evidence,
          };
        const b = await sendBurst(ctx, spec, spec.identity);
        const through = b.answers.filter(letThrough).length;
        evidence.push("[the burst, store down]", ...burstEvidence(b));
        observed = `store down: ${through} of ${b.answers.length} let through (limit ${spec.limit})${b.limited ? ", then 429" : ""}`;
        wrong =
          b.stoppedBy === "interrupted"
            ? "interrupted"
            : through > spec.limit
              ? `${through} let through, over the limit of ${spec.limit}: the limiter fails open`
              : undefined;
      } finally {
        // Always restore, even after Ctrl-C: the probe must not leave the store down.
        const restored = await callHelper({ ...ctx, signal: undefined }, outage.restore);
        evidence.push("[restore the store (helper)]", ...restored.evidence);
        if (!is2xx(restored))
          observed = `the restore helper answered ${statusText(restored)}: the store may still be down`;
      }
      const failedRestore = observed.startsWith("the restore helper");
      return !wrong && !failedRestore
        ? { status: "passed", expected: this.expected, observed, evidence }
        : {
            status: "failed",
            expected: this.expected,
            observed: wrong && !failedRestore ? `${observed}; ${wrong}` : observed,
            hint: "With its store unreachable the limiter must fail closed: refuse (429 or 503), or fall back to a local limit; letting every request through turns an outage of Redis into an open door.",
            evidence,
          };
    },
  },
};
