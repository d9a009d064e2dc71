import { Redis } from "ioredis";
import pg from "pg";
import { DependencyUnreachableError, describeError } from "../errors.ts";
import { redactUrl } from "../redact.ts";
import { withinBound } from "./withinBound.ts";

/** What preflight learned about one dependency. */
export interface DependencyStatus {
  dependency: string;
  /** Redacted. */
  url: string;
  reachable: boolean;
  reason?: string;
  hint: string;
  /** What the dependency says it is (a service's `version` on its health endpoint), when it says. */
  version?: string;
  /** The profile's name for it, when it is one of the target's HTTP services. */
  service?: string;
}

export const REACH_TIMEOUT_MS = 3_000;

/** Runs `reach`; any throw is "unreachable", with the reason and the URL redacted. */
export async function probeDependency(
  dependency: string,
  rawUrl: string,
  hint: string,
  /** Throws when unreachable; may resolve to `{ version }` (what the dependency says it is). */
  reach: () => Promise<unknown>,
): Promise<DependencyStatus> {
  const url = redactUrl(rawUrl);
  try {
    // Whatever `reach` does inside, a dependency that accepts and never answers is unreachable here.
    const answer = await withinBound(reach, REACH_TIMEOUT_MS * 2, `${dependency} preflight`);
    const version = (answer as { version?: unknown } | undefined)?.version;
    return {
      dependency,
      url,
      reachable: true,
      hint,
      ...(typeof version === "string" && version ? { version } : {}),
    };
  } catch (error) {
    return { dependency, url, reachable: false, reason: describeError(error), hint };
  }
}

/** Connects to Postgres once and runs `SELECT 1`, on a connection of its own. */
export async function reachPostgres(url: string, timeoutMs = REACH_TIMEOUT_MS): Promise<void> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    application_name: "harness-preflight",
  });
  client.on("error", () => {});
  try {
    await withinBound(
      async () => {
        await client.connect();
        await client.query("SELECT 1");
      },
      timeoutMs,
      "connect and SELECT 1",
    );
  } finally {
    // end() waits for the server's goodbye; a stalled server gets none, so the bound ends the wait.
    await withinBound(client.end(), 1_000, "end").catch(() => {});
  }
}

/**
 * Connects to Redis once and PINGs, without retrying: an outage is one clear
 * line. ioredis reports a failed connect as "Connection is closed"; the
 * socket error it emitted says why, so that is what is thrown.
 */
export async function reachRedis(url: string, timeoutMs = REACH_TIMEOUT_MS): Promise<void> {
  let socketError: Error | undefined;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on("error", (error: Error) => {
    socketError = error;
  });
  try {
    // A server that accepts TCP and never answers stalls the ready check: bounded here.
    await withinBound(
      async () => {
        await redis.connect();
        await redis.ping();
      },
      timeoutMs,
      "connect and PING",
    );
  } catch (error) {
    throw socketError ?? error;
  } finally {
    redis.disconnect();
  }
}

/** Throws for the first unreachable dependency, naming the others in the hint. */
export function assertReachable(statuses: readonly DependencyStatus[]): void {
  const down = statuses.filter((s) => !s.reachable);
  const [first, ...others] = down;
  if (!first) return;
  const also = others.map((s) => `${s.dependency} at ${s.url} (${s.reason})`).join("; ");
  throw new DependencyUnreachableError(
    first.dependency,
    first.url,
    first.reason ?? "unreachable",
    also ? `${first.hint} Also unreachable: ${also}.` : `${first.hint} Nothing was created.`,
  );
}
