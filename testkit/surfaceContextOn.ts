import { Agent } from "undici";
import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import type { SurfaceContext } from "../probe/surfaceContext.ts";

/** Test support: a surface probe's context against one loopback server (every service is `base`). */
export function surfaceContextOn(
  base: string,
  http: ProbeHttp,
  secrets: readonly string[] = [],
): SurfaceContext {
  return {
    http,
    urlOf: (_service, path) => `${base}${path}`,
    agent: new Agent(),
    requestTimeoutMs: 2_000,
    secrets,
    memo: new Map(),
  };
}
