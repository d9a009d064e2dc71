import type { ProbeHelperRequest, ProbeHttp } from "../lib/config/probeProfile.ts";
import { bodyProblems } from "./bodyExpectations.ts";
import type { Exchange } from "./probeDelivery.ts";
import { pause } from "./probeDelivery.ts";
import {
  callHelper,
  is2xx,
  type SurfaceContext,
  type SurfaceProbe,
  send,
  sendAs,
  statusText,
  verdictOf,
} from "./surfaceContext.ts";

/*
 * Health (HC): what monitors and deploys read from the answers themselves
 * (status codes, S, are statusProbes.ts).
 */

/** Reads `path` every 100 ms until `done` holds or `ms` pass; the last answer and how long it took. */
async function pollPath(
  ctx: SurfaceContext,
  route: { service: string; path: string },
  done: (a: Exchange) => boolean,
  ms: number,
): Promise<{ answer: Exchange; after: number }> {
  const started = performance.now();
  for (;;) {
    const answer = await send(ctx, { ...route, method: "GET" });
    const after = Math.round(performance.now() - started);
    if (done(answer) || after >= ms || ctx.signal?.aborted) return { answer, after };
    await pause(100, ctx.signal);
  }
}

/** A GET of a health or critical route (as its identity, when it names one), once a run: HC1, HC3 and HC4 read the same answers. */
function readOnce(
  ctx: SurfaceContext,
  route: { service: string; path: string; identity?: string | undefined },
): Promise<Exchange> {
  const key = `get:${route.service}:${route.path}:${route.identity ?? ""}`;
  const memo = ctx.memo.get(key) as Promise<Exchange> | undefined;
  if (memo) return memo;
  const read = sendAs(ctx, { ...route, method: "GET" });
  ctx.memo.set(key, read);
  return read;
}

type OutageCase = { label: string; answer: Exchange; wrong: string | undefined };

/**
 * One dependency's outage (HC2): taken down through its helper, readiness
 * polled to 503 and liveness read, restored whatever happened (even after
 * Ctrl-C: the probe must not leave the target down), readiness polled back
 * to 2xx. True when the target was seen ready again.
 */
async function outage(
  ctx: SurfaceContext,
  o: {
    ready: { service: string; path: string };
    live: { service: string; path: string } | undefined;
    dependency: { name: string; takeDown: ProbeHelperRequest; restore: ProbeHelperRequest };
    settleMs: number;
  },
  cases: OutageCase[],
): Promise<boolean> {
  const { name } = o.dependency;
  const down = await callHelper(ctx, o.dependency.takeDown);
  cases.push({
    label: `take ${name} down (helper)`,
    answer: down,
    wrong: is2xx(down)
      ? undefined
      : `the helper answered ${statusText(down)}: check its path and secret header`,
  });
  try {
    if (!is2xx(down)) return false;
    const during = await pollPath(ctx, o.ready, (a) => a.status === 503, o.settleMs);
    cases.push({
      label: `ready, ${name} down (after ${during.after} ms)`,
      answer: during.answer,
      wrong:
        during.answer.status === 503
          ? undefined
          : `${statusText(during.answer)} for ${o.settleMs} ms with ${name} down`,
    });
    if (o.live) {
      const liveDuring = await send(ctx, { ...o.live, method: "GET" });
      cases.push({
        label: `live, ${name} down`,
        answer: liveDuring,
        wrong: is2xx(liveDuring)
          ? undefined
          : `${statusText(liveDuring)}: liveness fails with ${name}, so the orchestrator restarts a healthy process`,
      });
    }
  } finally {
    const restored = await callHelper({ ...ctx, signal: undefined }, o.dependency.restore);
    cases.push({
      label: `restore ${name} (helper)`,
      answer: restored,
      wrong: is2xx(restored)
        ? undefined
        : `the restore helper answered ${statusText(restored)}: ${name} may still be down`,
    });
  }
  const after = await pollPath(ctx, o.ready, is2xx, o.settleMs);
  cases.push({
    label: `ready, ${name} restored (after ${after.after} ms)`,
    answer: after.answer,
    wrong: is2xx(after.answer)
      ? undefined
      : `${statusText(after.answer)} ${o.settleMs} ms after ${name} was restored`,
  });
  return is2xx(after.answer);
}

export const HEALTH_PROBES: Record<string, SurfaceProbe> = {
  HC1: {
    missing: (http) => (http.health ? undefined : "probe.http.health is not configured"),
    expected: "2xx with a status field",
    async run(ctx) {
      const health = ctx.http.health as NonNullable<ProbeHttp["health"]>;
      const a = await readOnce(ctx, health);
      let status: unknown;
      try {
        status = (JSON.parse(a.text) as { status?: unknown }).status;
      } catch {
        status = undefined;
      }
      const said = health.body && is2xx(a) ? bodyProblems(a.text, health.body) : [];
      const ok =
        a.status !== null &&
        a.status >= 200 &&
        a.status < 300 &&
        typeof status === "string" &&
        said.length === 0;
      const type = a.headers["content-type"] ?? "no content type";
      const observed = `${statusText(a)}, status ${JSON.stringify(status ?? null)} (${type})${said.length > 0 ? `; ${said.join("; ")}` : ""}`;
      return ok
        ? { status: "passed", expected: this.expected, observed, evidence: a.evidence }
        : {
            status: "failed",
            expected: this.expected,
            observed,
            hint: "Health must answer 2xx with a status field (application/health+json's `status`), checked against the database, so a monitor and a deploy can tell up from down.",
            evidence: a.evidence,
          };
    },
  },
  HC2: {
    missing: (http) => (http.readiness ? undefined : "probe.http.readiness is not configured"),
    expected:
      "readiness 2xx, 503 while each dependency is down (liveness 2xx), then 2xx again before the next",
    async run(ctx) {
      const spec = ctx.http.readiness as NonNullable<ProbeHttp["readiness"]>;
      const settleMs = spec.settleMs ?? 5000;
      const ready = { service: spec.service, path: spec.readyPath };
      const live =
        spec.livePath !== undefined ? { service: spec.service, path: spec.livePath } : undefined;
      const dependencies =
        spec.dependencies ??
        (spec.takeDown && spec.restore
          ? [{ name: "the dependency", takeDown: spec.takeDown, restore: spec.restore }]
          : []);
      // Fail closed: readiness seen up with nothing taken down proves nothing about an outage.
      if (dependencies.length === 0)
        return {
          status: "skipped",
          expected: this.expected,
          observed: "not judged: probe.http.readiness names no dependency to take down",
          hint: "Give probe.http.readiness takeDown and restore, or dependencies.",
        };
      const cases: OutageCase[] = [];
      const before = await send(ctx, { ...ready, method: "GET" });
      cases.push({
        label: "ready, all up",
        answer: before,
        wrong: is2xx(before) ? undefined : `${statusText(before)} with every dependency up`,
      });
      if (!is2xx(before))
        return verdictOf(
          this.expected,
          cases,
          "Readiness is not 2xx before anything was taken down: fix that first (or point probe.http.readiness at the right path).",
        );
      for (const dependency of dependencies) {
        if (ctx.signal?.aborted) break;
        const back = await outage(ctx, { ready, live, dependency, settleMs }, cases);
        // One outage at a time: the next is taken down only on a target seen ready again.
        if (!back) break;
      }
      return verdictOf(
        this.expected,
        cases,
        "Readiness must follow each dependency: 503 while it is down (so the load balancer stops sending traffic), 2xx again once it is back, with liveness 2xx throughout (a restart fixes nothing here). Check the dependencies in the readiness handler, not in liveness.",
      );
    },
  },
  HC3: {
    missing: (http) =>
      http.health || http.criticalRoutes?.length
        ? undefined
        : "probe.http.health and criticalRoutes are not configured",
    expected: "no connection string, secret or environment dump",
    async run(ctx) {
      const all = [
        ...(ctx.http.health ? [ctx.http.health] : []),
        ...(ctx.http.criticalRoutes ?? []),
      ];
      // The health endpoint is usually a critical route too: each read once.
      const routes = all.filter(
        (r, i) => all.findIndex((x) => x.service === r.service && x.path === r.path) === i,
      );
      const cases = [];
      for (const route of routes) {
        const a = await readOnce(ctx, route);
        const leaks = [
          /\b(postgres(ql)?|mysql|mongodb(\+srv)?|redis|rediss|amqp):\/\/\S+/i.test(a.text)
            ? "a connection string"
            : "",
          ctx.secrets.some((s) => s.length >= 6 && a.text.includes(s))
            ? "a secret of the profile"
            : "",
          /"(PATH|HOME|NODE_ENV|DATABASE_URL)"\s*:/.test(a.text) || /\bPATH=\//.test(a.text)
            ? "an environment dump"
            : "",
        ].filter(Boolean);
        // The evidence must not carry what leaked: only that it did.
        const answer = {
          ...a,
          evidence: a.evidence.filter((l) => !l.startsWith("< {") && !l.startsWith("< [")),
        };
        cases.push({
          label: `${route.service} ${route.path}`,
          answer,
          wrong: leaks.length > 0 ? `answer holds ${leaks.join(" and ")}` : undefined,
        });
      }
      return verdictOf(
        this.expected,
        cases,
        "A public answer carries what only the service should know: remove connection strings, secrets and environment dumps from health and discovery answers.",
      );
    },
  },
  HC4: {
    missing: (http) =>
      http.criticalRoutes?.length ? undefined : "probe.http.criticalRoutes is not configured",
    expected: "neither 5xx nor 404, answered in time; a body saying what the route lists",
    async run(ctx) {
      const cases = [];
      for (const route of ctx.http.criticalRoutes ?? []) {
        const a = await readOnce(ctx, route);
        const bad = a.status === null || a.status >= 500 || a.status === 404;
        // What the body must say is read only from an answer that is not already wrong.
        const said = !bad && route.body ? bodyProblems(a.text, route.body) : [];
        cases.push({
          label: `${route.service} ${route.path}${route.identity ? ` as ${route.identity}` : ""}`,
          answer: a,
          wrong: bad ? statusText(a) : said.length > 0 ? said.join("; ") : undefined,
        });
      }
      return verdictOf(
        this.expected,
        cases,
        "A route other services and monitors depend on is missing, failing or reporting something down: it must answer, and say every part it lists is healthy.",
      );
    },
  },
};
