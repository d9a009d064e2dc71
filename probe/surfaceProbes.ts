import { AUTH_PROBES } from "./authProbes.ts";
import { CORS_PROBES } from "./corsProbes.ts";
import { EXPOSURE_PROBES } from "./exposureProbes.ts";
import { HEALTH_PROBES } from "./healthProbes.ts";
import { LIMITER_PROBES } from "./limiterProbes.ts";
import { PAGE_PROBES } from "./pageProbes.ts";
import { RATE_LIMIT_PROBES } from "./rateLimitProbes.ts";
import { SESSION_PROBES } from "./sessionProbes.ts";
import { SHARED_SECRET_PROBES } from "./sharedSecretProbes.ts";
import { STATUS_PROBES } from "./statusProbes.ts";
import type { SurfaceProbe } from "./surfaceContext.ts";
import { TLS_PROBES } from "./tlsProbes.ts";

/** Every HTTP surface probe by id, one module per family. */
export const SURFACE_PROBES: Readonly<Record<string, SurfaceProbe>> = {
  ...AUTH_PROBES,
  ...SESSION_PROBES,
  ...SHARED_SECRET_PROBES,
  ...CORS_PROBES,
  ...RATE_LIMIT_PROBES,
  ...LIMITER_PROBES,
  ...HEALTH_PROBES,
  ...STATUS_PROBES,
  ...TLS_PROBES,
  ...PAGE_PROBES,
  ...EXPOSURE_PROBES,
};
