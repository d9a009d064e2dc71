import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import type { Exchange } from "./probeDelivery.ts";
import {
  identityHeaders,
  is2xx,
  type SurfaceProbe,
  send,
  statusText,
  verdictOf,
} from "./surfaceContext.ts";

/*
 * Exposure (E): operational surfaces (metrics, the admin board) that must
 * not be open to the world, each with a control that the right caller gets in.
 */

type Case = { label: string; answer: Exchange; wrong: string | undefined };

export const EXPOSURE_PROBES: Record<string, SurfaceProbe> = {
  E1: {
    missing: (http) =>
      !http.metrics
        ? "probe.http.metrics is not configured"
        : http.metrics.public
          ? "probe.http.metrics is public: nothing to refuse"
          : undefined,
    expected: "anonymous 401, 403 or 404; the reader 2xx with metrics",
    async run(ctx) {
      const spec = ctx.http.metrics as NonNullable<ProbeHttp["metrics"]>;
      const route = { service: spec.service, method: "GET", path: spec.path };
      const cases: Case[] = [];
      const anonymous = await send(ctx, route);
      cases.push({
        label: "anonymous",
        answer: anonymous,
        wrong: [401, 403, 404].includes(anonymous.status ?? 0)
          ? undefined
          : `${statusText(anonymous)}${/^# (HELP|TYPE) /m.test(anonymous.text) ? ", metrics served" : ""}`,
      });
      if (spec.reader) {
        const reader = await send(ctx, route, await identityHeaders(ctx, spec.reader));
        cases.push({
          label: `as ${spec.reader}`,
          answer: reader,
          wrong:
            is2xx(reader) && /^# (HELP|TYPE) /m.test(reader.text)
              ? undefined
              : `${statusText(reader)}${is2xx(reader) ? " without Prometheus text" : ""}: the scraper would be locked out too`,
        });
      }
      return verdictOf(
        this.expected,
        cases,
        cases.some((c) => c.label !== "anonymous" && c.wrong)
          ? "The configured reader cannot read the metrics: is probe.http.metrics.reader the scraper's credential?"
          : "Metrics are open to anyone: they name routes, queues, tenants and volumes. Put the endpoint behind a scrape token (or an internal listener) and answer 401 without it.",
      );
    },
  },
  E2: {
    missing: (http) => (http.adminBoard ? undefined : "probe.http.adminBoard is not configured"),
    expected: "anonymous 401 or 403, a non-admin 403 (or 401); an admin 2xx",
    async run(ctx) {
      const spec = ctx.http.adminBoard as NonNullable<ProbeHttp["adminBoard"]>;
      const route = { service: spec.service, method: "GET", path: spec.path };
      const refused = (a: Exchange) => a.status === 401 || a.status === 403;
      const cases: Case[] = [];
      const anonymous = await send(ctx, route);
      cases.push({
        label: "anonymous",
        answer: anonymous,
        wrong: refused(anonymous) ? undefined : statusText(anonymous),
      });
      for (const [who, must] of [
        [spec.nonAdmin, "refused"],
        [spec.admin, "allowed"],
      ] as const) {
        if (!who) continue;
        const a = await send(ctx, route, await identityHeaders(ctx, who));
        const ok = must === "refused" ? refused(a) : is2xx(a);
        cases.push({
          label: `as ${who}`,
          answer: a,
          wrong: ok
            ? undefined
            : must === "refused"
              ? `${statusText(a)}: a non-admin reaches the board`
              : `${statusText(a)} to an admin: the refusals above prove nothing`,
        });
      }
      return verdictOf(
        this.expected,
        cases,
        "The admin board (jobs, payloads, retry and delete buttons) is reachable by someone who is not an admin: check the admin role on every board route, not only a valid login.",
      );
    },
  },
};
