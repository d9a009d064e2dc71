import {
  type ReadyLine,
  type StackHandle,
  type StackOptions,
  startStack,
} from "../fixtures/referenceStack.ts";
import { type FaultProxy, startFaultProxy } from "./faultProxy.ts";
import { TEST_STACK_OPTIONS } from "./stackTestKit.ts";

/** A stack the test owns, and the fault proxies the harness reaches its Postgres and Redis through. */
export interface ProxiedStack {
  stack: StackHandle;
  postgres: FaultProxy;
  redis: FaultProxy;
  /** The harness's env for `--config testkit/proxiedStack.config.ts --target proxied`. */
  env: Record<string, string>;
  args: string[];
}

function loopbackTarget(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || defaultPort) };
}

/** Starts a stack and two pass-through proxies; `body` runs; everything is stopped in `finally`. */
export async function withProxiedStack<T>(
  options: StackOptions,
  body: (proxied: ProxiedStack) => Promise<T>,
): Promise<T> {
  const stack = await startStack({ ...TEST_STACK_OPTIONS, ...options });
  const postgres = await startFaultProxy(loopbackTarget(stack.databaseUrl, 5432));
  const redis = await startFaultProxy(loopbackTarget(stack.redisUrl, 6379));
  const ready: ReadyLine = {
    pid: process.pid,
    instanceId: stack.instanceId,
    urls: stack.urls,
    secrets: stack.secrets,
    channelId: stack.channelId,
    origins: stack.origins,
    identifyGuard: stack.identifyGuard,
    edge: stack.edge,
    schemas: stack.schemas,
    queue: stack.queue,
    databaseUrl: postgres.url(stack.databaseUrl),
    redisUrl: redis.url(stack.redisUrl),
  };
  try {
    return await body({
      stack,
      postgres,
      redis,
      env: { HARNESS_TEST_STACK: JSON.stringify(ready) },
      args: ["--config", "testkit/proxiedStack.config.ts", "--target", "proxied"],
    });
  } finally {
    postgres.pass();
    redis.pass();
    await stack.stop();
    await postgres.close();
    await redis.close();
  }
}
