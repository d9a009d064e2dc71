import { monitorEventLoopDelay } from "node:perf_hooks";
import type { GeneratorResult } from "../../../lib/result/scenarioResult.ts";

export type GeneratorHealth = GeneratorResult;

/** Lag at which the generator's own delay is a real part of what it measures (targets are 200–500 ms). */
const GENERATOR_LAG_LIMIT_MS = 50;
/** One core, nearly saturated: sends and reads queue behind each other. */
const GENERATOR_CPU_LIMIT_PCT = 90;

/**
 * Watches this process while it generates load. On one small machine the
 * generator can be the bottleneck; a reader must not mistake its delay for
 * the target's latency, so the run is marked generator-bound, with why.
 */
export function watchGenerator(): { stop: () => GeneratorHealth; lagP99Ms: () => number } {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const lagP99Ms = () => delay.percentile(99) / 1e6;
  return {
    lagP99Ms,
    stop: () => {
      delay.disable();
      const cpu = process.cpuUsage(cpuStart);
      const wallMs = Math.max(1, performance.now() - wallStart);
      const cpuPct = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
      const health = {
        eventLoopLagP99Ms: lagP99Ms(),
        eventLoopLagMaxMs: delay.max / 1e6,
        cpuPct,
      };
      const reasons = [
        health.eventLoopLagP99Ms > GENERATOR_LAG_LIMIT_MS
          ? `event-loop lag p99 ${health.eventLoopLagP99Ms.toFixed(0)} ms > ${GENERATOR_LAG_LIMIT_MS} ms`
          : "",
        cpuPct > GENERATOR_CPU_LIMIT_PCT
          ? `CPU ${cpuPct.toFixed(0)}% of a core > ${GENERATOR_CPU_LIMIT_PCT}%`
          : "",
      ].filter(Boolean);
      return {
        ...health,
        generatorBound: reasons.length > 0,
        ...(reasons.length > 0 ? { reason: reasons.join("; ") } : {}),
      };
    },
  };
}
