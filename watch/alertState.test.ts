import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlertState, type Claim } from "./alertState.ts";

/** The claim, which the test expects to exist. */
function claimed(claim: Claim | undefined): Claim {
  if (!claim) throw new Error("expected a claim, got none");
  return claim;
}

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const HOUR = 3_600_000;

describe("AlertState against real Redis", () => {
  let redis: Redis;
  const prefix = `test:alerts:${randomUUID()}`;
  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  const state = () => new AlertState(redis, { renotifyMs: 4 * HOUR, leaseMs: 60_000 });

  it("one FIRING per incident, quiet while it lasts, one reminder after 4 h, one RESOLVED", async () => {
    const key = `${prefix}:dlq`;
    const alerts = state();
    const t0 = 1_000_000;
    const fire = await alerts.claim(key, true, t0, "a");
    expect(fire).toEqual({ transition: "fire", since: t0, token: "a" });
    expect(await alerts.commit(key, claimed(fire), t0)).toBe(true);
    for (let i = 1; i <= 5; i++)
      expect(await alerts.claim(key, true, t0 + i * 300_000, `q${i}`)).toBeUndefined();
    const remind = await alerts.claim(key, true, t0 + 4 * HOUR, "r");
    expect(remind).toMatchObject({ transition: "remind", since: t0 });
    await alerts.commit(key, claimed(remind), t0 + 4 * HOUR);
    expect(await alerts.claim(key, true, t0 + 9 * HOUR, "r2")).toBeUndefined();
    const resolve = await alerts.claim(key, false, t0 + 10 * HOUR, "ok");
    expect(resolve).toMatchObject({ transition: "resolve", since: t0 });
    await alerts.commit(key, claimed(resolve), t0 + 10 * HOUR);
    expect(await alerts.read(key)).toEqual({
      state: "ok",
      notifiedAt: t0 + 10 * HOUR,
      reminded: false,
    });
    expect(await alerts.claim(key, false, t0 + 11 * HOUR, "x")).toBeUndefined();
  });

  it("two watchers on one breach: one claims, the other stays quiet", async () => {
    const key = `${prefix}:race`;
    const [a, b] = [state(), state()];
    const claims = await Promise.all([
      a.claim(key, true, 5000, "A"),
      b.claim(key, true, 5000, "B"),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it("a notification not delivered leaves the state, and the next check claims again", async () => {
    const key = `${prefix}:undelivered`;
    const alerts = state();
    const first = await alerts.claim(key, true, 1000, "first");
    await alerts.release(key, claimed(first));
    expect(await alerts.read(key)).toEqual({ state: "ok", reminded: false });
    expect(await alerts.claim(key, true, 2000, "second")).toMatchObject({ transition: "fire" });
  });

  it("a crashed watcher's claim expires after its lease; its late commit is refused", async () => {
    const key = `${prefix}:crash`;
    const alerts = state();
    const crashed = await alerts.claim(key, true, 0, "crashed");
    expect(await alerts.claim(key, true, 30_000, "early")).toBeUndefined();
    const taken = await alerts.claim(key, true, 60_001, "later");
    expect(taken).toMatchObject({ transition: "fire" });
    expect(await alerts.commit(key, claimed(crashed), 70_000)).toBe(false);
    expect(await alerts.commit(key, claimed(taken), 70_000)).toBe(true);
  });
});
