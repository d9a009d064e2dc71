import type { Redis } from "ioredis";
import type { TargetConnections } from "../drivers/targetConnections.ts";
import { withinBound } from "../drivers/withinBound.ts";

/**
 * A live run or stack holds a heartbeat: a Redis key with a short TTL,
 * renewed while it runs. Sweeps skip anything whose heartbeat is alive,
 * whatever their age cut-off says, so a sweep never deletes live data. A
 * process killed with SIGKILL stops renewing; its key expires within
 * `ttlMs` and a sweep may then take what it left.
 */
export const HEARTBEAT_DEFAULTS = {
  ttlMs: 30_000,
  renewEveryMs: 10_000,
} as const;

/** The heartbeat key of one harness run, on the target's queue Redis. */
export function runHeartbeatKey(runId: string): string {
  return `harness:heartbeat:run:${runId}`;
}

export interface Heartbeat {
  /** Stops renewing and removes the key, within a second (an unreachable Redis lets it expire). */
  stop(): Promise<void>;
}

/** How long removing the key may take at the end of a run. */
const STOP_BOUND_MS = 1_000;

/**
 * Sets `key` now and renews it every `renewEveryMs`. Failures to renew are
 * silent (the run's own reads report an unreachable Redis); the renewal
 * timer never keeps the process alive.
 */
export async function startHeartbeat(
  redis: Redis,
  key: string,
  settings: { ttlMs: number; renewEveryMs: number } = HEARTBEAT_DEFAULTS,
): Promise<Heartbeat> {
  const beat = () => redis.set(key, String(Date.now()), "PX", settings.ttlMs);
  await beat();
  const timer = setInterval(() => {
    beat().catch(() => {});
  }, settings.renewEveryMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await withinBound(redis.del(key), STOP_BOUND_MS, "heartbeat removal").catch(() => {});
    },
  };
}

/** A run's heartbeat on its target's queue Redis, set through the run's own (bounded) connection. */
export function runHeartbeat(connections: TargetConnections, runId: string): Promise<Heartbeat> {
  return connections.redisOp("SET heartbeat", () =>
    startHeartbeat(connections.redis, runHeartbeatKey(runId)),
  );
}

/** Which of `keys` are alive now (one round trip). */
export async function liveHeartbeats(redis: Redis, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const values = await redis.mget(...keys);
  return new Set(keys.filter((_, i) => values[i] !== null));
}
