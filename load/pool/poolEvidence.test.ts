import { describe, expect, it } from "vitest";
import { ConfigError } from "../../lib/errors.ts";
import type { RunResult } from "../../lib/result/runResult.ts";
import { outcomeOf } from "../../lib/result/runResult.ts";
import { loadOn, localProfile } from "../../testkit/localRun.ts";
import { withPrivatePostgres } from "../../testkit/privatePostgres.ts";
import { withProxiedStack } from "../../testkit/proxiedStack.ts";
import { withStack } from "../../testkit/stackTestKit.ts";
import { judgeScenario } from "../scenarios/scenarioParts.ts";
import { SCENARIOS } from "../scenarios/scenarios.ts";

/*
 * A pass needs evidence: a threshold with no samples, or a pool whose
 * sampler saw too little of the run, is "no evidence" (error), never a pass.
 */

function threshold(result: RunResult, name: string) {
  const found = result.thresholds.find((t) => t.name === name);
  if (!found) throw new Error(`no threshold ${name}: ${result.thresholds.map((t) => t.name)}`);
  return found;
}

describe("a threshold with no data fails", () => {
  it("a metric with no samples is error (no evidence), and the run fails (exit 1), where k6 would pass it", () => {
    const scenario = SCENARIOS.webhook;
    const thresholds = judgeScenario(
      scenario,
      {
        pools: [],
        endpoints: [
          {
            endpoint: "webhook",
            requests: 10,
            p50Ms: 1,
            p90Ms: 1,
            p95Ms: 1,
            p99Ms: 1,
            maxMs: 1,
            meanMs: 1,
            status2xx: 10,
            status4xx: 0,
            status5xx: 0,
            errors: 0,
            timeouts: 0,
            unexpected: 0,
          },
        ],
      },
      // Every figure measured but the 5xx rate.
      (spec) => (spec.metric === "http_5xx" ? null : 0),
    );
    const fiveXx = thresholds.find((t) => t.metric === "http_5xx{scenario:webhook}");
    expect(fiveXx).toMatchObject({ status: "error", couldNotJudge: "noSamples", observed: null });
    expect(fiveXx?.hint).toMatch(/^No evidence: http_5xx\{scenario:webhook\} got no samples/);
    expect(outcomeOf(thresholds, false)).toBe("checksFailed");
  });

  it("a pool sampled over too little of the run has no evidence (a dependency: exit 3)", () => {
    const spec = SCENARIOS.webhook;
    const thresholds = judgeScenario(
      spec,
      {
        pools: [
          {
            service: "curva",
            max: 20,
            maxInUse: 3,
            maxWaiting: 0,
            checkoutTimeouts: 0,
            saturatedOverGrace: 0,
            longestSaturationMs: 0,
            slowCheckouts: 0,
            exhaustedBy: "waitHistogram",
            samples: 12,
            failedScrapes: 20,
            exhausted: 0,
            coverage: 0.4,
            gaps: [{ fromMs: 1_200, toMs: 5_000 }],
          },
        ],
        endpoints: [],
      },
      () => 0,
    );
    const pool = thresholds.find((t) => t.name === "webhook curva pool");
    expect(pool).toMatchObject({ status: "error", couldNotJudge: "dependency" });
    expect(pool?.hint).toContain("sampled over only 40% of the scenario (no sample 1.2–5.0 s)");
  });
});

describe("the monitoring database drops mid-run", () => {
  it("the sampler reconnects, the gap is reported, and the pool thresholds have no evidence (exit 3)", async () => {
    await withProxiedStack({}, async (proxied) => {
      const profile = localProfile(proxied.stack);
      if (!profile.load) throw new Error("no load section");
      // The harness's pg_stat_activity connection goes through the proxy; /metrics does not.
      profile.load = {
        ...profile.load,
        monitoring: {
          metrics: {},
          ...profile.load.monitoring,
          databaseUrl: proxied.postgres.url(proxied.stack.databaseUrl),
        },
      };
      const running = loadOn(proxied.stack, { scenarios: ["webhook"], durationSec: 8 }, profile);
      // Readiness, not a sleep: the sampler is up and sampling (its first pg_stat_activity query).
      await proxied.postgres.sent("FROM pg_stat_activity");
      proxied.postgres.cut();
      proxied.postgres.refuse();
      // The fault itself: two seconds without the monitoring database.
      await new Promise((r) => setTimeout(r, 2_000));
      proxied.postgres.pass();
      const result = await running;
      const db = result.scenarios[0]?.database;
      console.log(
        `monitoring database: ${JSON.stringify({ ...db, peakByApplication: undefined })}`,
      );
      expect(db?.reconnects).toBeGreaterThanOrEqual(1);
      expect(db?.gaps.length).toBeGreaterThanOrEqual(1);
      expect(db?.coverage).toBeLessThan(0.9);
      // It sampled again after the drop: the run's last seconds are in it.
      expect(db?.gaps.at(-1)?.toMs ?? Infinity).toBeLessThan(7_500);
      const pool = threshold(result, "webhook curva pool");
      expect(pool).toMatchObject({ status: "error", couldNotJudge: "dependency" });
      expect(pool.hint).toMatch(/pg_stat_activity was sampled over only \d+% of the scenario/);
      expect(result.outcome).toBe("targetUnreachable");
    });
  });
});

describe("pool exhaustion without /metrics, through pg_stat_activity", () => {
  it("a target with no pool gauges whose Postgres reaches max_connections fails its pool threshold", async () => {
    await withPrivatePostgres({ maxConnections: 8 }, async (server) => {
      await withStack({ databaseUrl: server.url }, async (stack) => {
        const profile = localProfile(stack);
        if (!profile.load) throw new Error("no load section");
        profile.load = {
          ...profile.load,
          monitoring: {
            // No /metrics at all: the target exposes no pool gauges.
            metrics: {},
            databaseUrl: server.url,
            applications: {
              pasukuru: { applicationName: "pasukuru:*", poolSize: 20 },
              curva: { applicationName: "curva:*", poolSize: 20 },
            },
          },
        };
        const result = await loadOn(
          stack,
          { scenarios: ["identify"], connections: 40, durationSec: 4 },
          profile,
        );
        const scenario = result.scenarios[0];
        console.log(
          `private Postgres (max_connections 8): ${JSON.stringify(scenario?.database)}; pools ${JSON.stringify(scenario?.pools)}`,
        );
        expect(scenario?.database?.atLimitSamples).toBeGreaterThan(0);
        const pool = threshold(result, "identify pasukuru pool");
        expect(pool.status).toBe("failed");
        expect(scenario?.pools.find((p) => p.service === "pasukuru")?.exhaustedBy).toBe(
          "pgStatActivity",
        );
        expect(result.outcome).toBe("checksFailed");
      });
    });
  });

  it("a starved pool (callers queueing into 503s and slow answers) fails its pool threshold, judged by its effect", async () => {
    // pool-exhaust: Pasukuru's pool is 2 connections and identify holds one for a second.
    await withStack({ faults: "pool-exhaust" }, async (stack) => {
      const profile = localProfile(stack);
      if (!profile.load) throw new Error("no load section");
      profile.load = {
        ...profile.load,
        monitoring: {
          metrics: {},
          databaseUrl: stack.databaseUrl,
          applications: {
            pasukuru: { applicationName: `pasukuru:${stack.schemas.pasukuru}`, poolSize: 2 },
            curva: { applicationName: `curva:${stack.schemas.curva}`, poolSize: 20 },
          },
        },
      };
      const result = await loadOn(
        stack,
        { scenarios: ["identify"], connections: 20, durationSec: 4 },
        profile,
      );
      const pool = result.scenarios[0]?.pools.find((p) => p.service === "pasukuru");
      expect(pool).toMatchObject({ exhaustedBy: "pgStatActivity", max: 2, maxInUse: 2 });
      expect(pool?.saturated?.length).toBeGreaterThan(0);
      const verdict = threshold(result, "identify pasukuru pool");
      expect(verdict.status).toBe("failed");
      expect(verdict.hint).toMatch(/^at its size 2 over [\d.]+–[\d.]+ s with second \d+: /);
      // The per-second rows carry the pool's connections beside the answers, on one time axis.
      expect(result.scenarios[0]?.series.some((r) => r.pools?.pasukuru?.inUse === 2)).toBe(true);
      expect(
        result.scenarios[0]?.series.every((r) => r.pools?.pasukuru?.waiting === undefined),
      ).toBe(true);
    });
  });

  it("a healthy busy pool (50 concurrent callers through a pool of 4, every answer fine) passes, with a warning", async () => {
    await withStack({ poolMax: 4 }, async (stack) => {
      const profile = localProfile(stack);
      if (!profile.load) throw new Error("no load section");
      profile.load = {
        ...profile.load,
        monitoring: {
          metrics: {},
          databaseUrl: stack.databaseUrl,
          applications: {
            pasukuru: { applicationName: `pasukuru:${stack.schemas.pasukuru}`, poolSize: 4 },
            curva: { applicationName: `curva:${stack.schemas.curva}`, poolSize: 4 },
          },
        },
      };
      const result = await loadOn(
        stack,
        { scenarios: ["identify"], connections: 50, durationSec: 4 },
        profile,
      );
      const scenario = result.scenarios[0];
      const busy = scenario?.pools.filter((p) => (p.saturated?.length ?? 0) > 0) ?? [];
      console.log(
        `healthy busy pool: ${JSON.stringify(scenario?.pools.map((p) => ({ service: p.service, maxInUse: p.maxInUse, saturated: p.saturated })))}; p95 ${scenario?.endpoints[0]?.p95Ms} ms`,
      );
      // The case itself: a pool at its size past the grace (the old verdict called it exhausted).
      expect(busy.length).toBeGreaterThan(0);
      for (const pool of busy) {
        const verdict = threshold(result, `identify ${pool.service} pool`);
        expect(verdict.status).toBe("passed");
        expect(verdict.warning).toMatch(/with no waiting count exposed, queueing cannot be seen/);
      }
      // What pg_stat_activity cannot show is absent, not 0: no one counted callers waiting.
      for (const pool of scenario?.pools ?? [])
        expect(pool).toMatchObject({ maxWaiting: null, checkoutTimeouts: null });
      expect(result.outcome).toBe("pass");
    });
  });

  it("an unmapped service is exit 2 before any load, naming it and the key to add", async () => {
    await withStack({}, async (stack) => {
      const profile = localProfile(stack);
      if (!profile.load) throw new Error("no load section");
      profile.load = {
        ...profile.load,
        monitoring: {
          metrics: {},
          databaseUrl: stack.databaseUrl,
          applications: {
            pasukuru: { applicationName: `pasukuru:${stack.schemas.pasukuru}`, poolSize: 20 },
          },
        },
      };
      const error = await loadOn(stack, { scenarios: ["identify"], durationSec: 2 }, profile).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect(String((error as ConfigError).problems)).toMatch(
        /load\.monitoring\.applications has no curva: .* Add applications\.curva: \{ applicationName/,
      );
    });
  });

  it("a mapping that matched no connection is no evidence, listing the application_names seen", async () => {
    await withStack({}, async (stack) => {
      const profile = localProfile(stack);
      if (!profile.load) throw new Error("no load section");
      profile.load = {
        ...profile.load,
        monitoring: {
          metrics: {},
          databaseUrl: stack.databaseUrl,
          applications: {
            pasukuru: { applicationName: "pasukuru-api", poolSize: 20 },
            curva: { applicationName: `curva:${stack.schemas.curva}`, poolSize: 20 },
          },
        },
      };
      const result = await loadOn(stack, { scenarios: ["identify"], durationSec: 2 }, profile);
      const verdict = threshold(result, "identify pasukuru pool");
      expect(verdict).toMatchObject({ status: "error", couldNotJudge: "noSamples" });
      expect(verdict.hint).toContain(
        "load.monitoring.applications.pasukuru matched no connection during the scenario",
      );
      expect(verdict.hint).toContain(`pasukuru:${stack.schemas.pasukuru} (peak`);
      expect(result.outcome).not.toBe("pass");
    });
  });
});
