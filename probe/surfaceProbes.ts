import type { ProbeHttp, ProbeRoute } from "../lib/config/probeProfile.ts";
import { AUTH_PROBES } from "./authProbes.ts";
import { CORS_PROBES } from "./corsProbes.ts";
import { EXPOSURE_PROBES } from "./exposureProbes.ts";
import { HEALTH_PROBES } from "./healthProbes.ts";
import { PAGE_PROBES } from "./pageProbes.ts";
import { RATE_LIMIT_PROBES } from "./rateLimitProbes.ts";
import type { SurfaceProbe } from "./surfaceContext.ts";
import { TLS_PROBES } from "./tlsProbes.ts";

/** Every HTTP surface probe by id, one module per family. */
export const SURFACE_PROBES: Readonly<Record<string, SurfaceProbe>> = {
  ...AUTH_PROBES,
  ...CORS_PROBES,
  ...RATE_LIMIT_PROBES,
  ...HEALTH_PROBES,
  ...TLS_PROBES,
  ...PAGE_PROBES,
  ...EXPOSURE_PROBES,
};

/** For the profile check: every route the surface probes send to. */
export function surfaceRoutes(http: ProbeHttp): { key: string; route: Partial<ProbeRoute> }[] {
  return [
    ...(http.cors ? [{ key: "cors", route: http.cors }] : []),
    ...(http.health ? [{ key: "health", route: { ...http.health, method: "GET" as const } }] : []),
    ...(http.criticalRoutes ?? []).map((r, i) => ({
      key: `criticalRoutes[${i}]`,
      route: { ...r, method: "GET" as const },
    })),
    ...(http.unimplemented ?? []).map((r, i) => ({ key: `unimplemented[${i}]`, route: r })),
    ...(http.invalidInputs ?? []).map((r, i) => ({ key: `invalidInputs[${i}]`, route: r })),
    ...(http.methodNotAllowed ?? []).map((r, i) => ({ key: `methodNotAllowed[${i}]`, route: r })),
    ...(http.protectedRoutes ?? []).map((r, i) => ({ key: `protectedRoutes[${i}]`, route: r })),
    ...(http.jwt ? [{ key: "jwt", route: http.jwt }] : []),
    ...(http.pages?.routes ?? []).map((r, i) => ({
      key: `pages.routes[${i}]`,
      route: { ...r, method: "GET" as const },
    })),
    ...(http.rateLimit ? [{ key: "rateLimit", route: http.rateLimit }] : []),
    ...(http.telegram ? [{ key: "telegram", route: http.telegram }] : []),
    ...(http.tenantIsolation ?? []).map((r, i) => ({ key: `tenantIsolation[${i}]`, route: r })),
    ...(http.roles ?? []).flatMap((role, i) =>
      (role.forbidden ?? []).map((r, j) => ({ key: `roles[${i}].forbidden[${j}]`, route: r })),
    ),
    ...(http.readiness
      ? [
          {
            key: "readiness.readyPath",
            route: {
              service: http.readiness.service,
              method: "GET" as const,
              path: http.readiness.readyPath,
            },
          },
          {
            key: "readiness.livePath",
            route: {
              service: http.readiness.service,
              method: "GET" as const,
              path: http.readiness.livePath,
            },
          },
          { key: "readiness.takeDown", route: http.readiness.takeDown },
          { key: "readiness.restore", route: http.readiness.restore },
        ]
      : []),
    ...(http.metrics
      ? [{ key: "metrics", route: { ...http.metrics, method: "GET" as const } }]
      : []),
    ...(http.adminBoard
      ? [{ key: "adminBoard", route: { ...http.adminBoard, method: "GET" as const } }]
      : []),
  ];
}
