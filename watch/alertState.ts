import type { Redis } from "ioredis";

/**
 * Alert state, once per incident, shared by every watcher of a target: one
 * Redis hash per rule and target (the coordinated alert key). A check
 * *claims* a transition atomically (a Lua script), sends its notification,
 * then *commits* the transition, or *releases* it when delivery failed, so
 * the state only advances on a delivered notification and the next check
 * tries again. Two watchers checking one breach at once: the first claims,
 * the second sees the claim and stays quiet.
 */

export type Transition = "fire" | "remind" | "resolve";

export interface AlertRecord {
  state: "ok" | "firing";
  /** When the breach was first seen (ms since epoch), while firing. */
  since?: number;
  /** When the last notification was delivered. */
  notifiedAt?: number;
  reminded: boolean;
}

export interface Claim {
  transition: Transition;
  /** Pass back to commit or release. */
  token: string;
  /** The incident's start: now for "fire", the stored one otherwise. */
  since: number;
}

// KEYS[1] the alert key. ARGV: breached (1/0), now, renotifyMs, leaseMs, token.
// Returns {} when nothing is to be sent, else {transition, since}.
const CLAIM = `
local key = KEYS[1]
local breached = ARGV[1] == '1'
local now = tonumber(ARGV[2])
local renotify = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
local h = redis.call('HGETALL', key)
local s = {}
for i = 1, #h, 2 do s[h[i]] = h[i + 1] end
if s.pendingToken and tonumber(s.pendingUntil) > now then return {} end
local state = s.state or 'ok'
local transition = nil
local since = now
if state == 'ok' and breached then
  transition = 'fire'
elseif state == 'firing' and breached then
  since = tonumber(s.since)
  if s.reminded ~= '1' and now - since >= renotify then transition = 'remind' end
elseif state == 'firing' and not breached then
  transition = 'resolve'
  since = tonumber(s.since)
end
if not transition then return {} end
redis.call('HSET', key, 'pendingToken', ARGV[5], 'pendingUntil', tostring(now + lease),
  'pendingTransition', transition, 'pendingSince', tostring(since))
return {transition, tostring(since)}
`;

// KEYS[1] the alert key. ARGV: token, now. Applies the claimed transition.
const COMMIT = `
local key = KEYS[1]
if redis.call('HGET', key, 'pendingToken') ~= ARGV[1] then return 0 end
local t = redis.call('HGET', key, 'pendingTransition')
local since = redis.call('HGET', key, 'pendingSince')
redis.call('HDEL', key, 'pendingToken', 'pendingUntil', 'pendingTransition', 'pendingSince')
if t == 'fire' then
  redis.call('HSET', key, 'state', 'firing', 'since', since, 'notifiedAt', ARGV[2], 'reminded', '0')
elseif t == 'remind' then
  redis.call('HSET', key, 'notifiedAt', ARGV[2], 'reminded', '1')
elseif t == 'resolve' then
  redis.call('DEL', key)
  redis.call('HSET', key, 'state', 'ok', 'notifiedAt', ARGV[2], 'reminded', '0')
end
return 1
`;

// KEYS[1] the alert key. ARGV: token. Drops the claim; the state stays as it was.
const RELEASE = `
if redis.call('HGET', KEYS[1], 'pendingToken') ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[1], 'pendingToken', 'pendingUntil', 'pendingTransition', 'pendingSince')
return 1
`;

export interface AlertStateOptions {
  /** After this long firing, one reminder (default 4 h). */
  renotifyMs: number;
  /** How long a claim holds while its notification is sent; a crashed watcher's claim expires. */
  leaseMs: number;
}

export class AlertState {
  constructor(
    private readonly redis: Redis,
    private readonly options: AlertStateOptions,
  ) {}

  /** Claims what this observation calls for, or undefined when nothing is to be sent. */
  async claim(
    key: string,
    breached: boolean,
    now: number,
    token: string,
  ): Promise<Claim | undefined> {
    const answer = (await this.redis.eval(
      CLAIM,
      1,
      key,
      breached ? "1" : "0",
      String(now),
      String(this.options.renotifyMs),
      String(this.options.leaseMs),
      token,
    )) as string[];
    if (answer.length === 0) return undefined;
    return { transition: answer[0] as Transition, since: Number(answer[1]), token };
  }

  /** The notification was delivered: the state advances. False when the claim had expired and was taken. */
  async commit(key: string, claim: Claim, now: number): Promise<boolean> {
    return (await this.redis.eval(COMMIT, 1, key, claim.token, String(now))) === 1;
  }

  /** The notification was not delivered: the state stays, and the next check claims again. */
  async release(key: string, claim: Claim): Promise<void> {
    await this.redis.eval(RELEASE, 1, key, claim.token);
  }

  async read(key: string): Promise<AlertRecord> {
    const h = await this.redis.hgetall(key);
    return {
      state: h.state === "firing" ? "firing" : "ok",
      ...(h.since ? { since: Number(h.since) } : {}),
      ...(h.notifiedAt ? { notifiedAt: Number(h.notifiedAt) } : {}),
      reminded: h.reminded === "1",
    };
  }
}
