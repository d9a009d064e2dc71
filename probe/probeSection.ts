import type { ProbeHttp, ProbeSection } from "../lib/config/probeProfile.ts";
import {
  checkFunction,
  checkStatement,
  checkStatements,
  checkWhole,
} from "../lib/config/profileChecks.ts";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import { ConfigError } from "../lib/errors.ts";
import { isSigningScheme, SIGNING_SCHEMES } from "../lib/webhookSchemes.ts";
import { signingSecretProblem } from "../lib/webhookSigning.ts";
import { PROBES } from "./probeCatalogue.ts";
import { surfaceRoutes } from "./surfaceProbes.ts";

/** A profile the probe suite can run against: it has a probe section. */
export type ProbeTarget = TargetProfile & { probe: ProbeSection };

/** Every problem of the profile's probe section, each naming its key and what to write. */
export function probeSectionProblems(profile: TargetProfile): string[] {
  const p: string[] = [];
  const at = (key: string) => `targets.${profile.name}: ${key}`;
  const probe = profile.probe;
  if (probe === undefined) {
    p.push(
      `${at("probe")} is missing: this target has no probe section ({ webhooks: { <name>: { service, path, signing, eventBody, processedCount? } }, cleanup }). Add one, or pick another target.`,
    );
    return p;
  }
  const databases = Object.keys(profile.databases ?? {});
  const receivers = Object.entries(probe.webhooks ?? {});
  if (receivers.length === 0 && probe.http === undefined)
    p.push(
      `${at("probe")} names nothing to probe: add webhooks (a receiver, e.g. { orders: { … } }) or http (the surface: cors, health, criticalRoutes, unimplemented, invalidInputs, methodNotAllowed).`,
    );
  if (probe.http !== undefined) p.push(...httpProblems(profile, probe.http, at));
  for (const [name, w] of receivers) {
    const key = (k: string) => at(`probe.webhooks.${name}.${k}`);
    if (!w || !Object.hasOwn(profile.services, w.service))
      p.push(
        `${key("service")} is ${JSON.stringify(w?.service)}; use one of the target's services: ${Object.keys(profile.services).join(", ")}.`,
      );
    if (typeof w?.path !== "string" || !w.path.startsWith("/"))
      p.push(`${key("path")} must be a path starting with /, e.g. /webhooks/stripe.`);
    if (!isSigningScheme(w?.signing?.scheme))
      p.push(
        `${key("signing.scheme")} is ${JSON.stringify(w?.signing?.scheme)}; allowed: ${SIGNING_SCHEMES.join(", ")}.`,
      );
    else if (typeof w.signing.secret !== "string" || w.signing.secret === "")
      p.push(
        `${key("signing.secret")} is missing: the receiver's signing secret, from the environment.`,
      );
    else {
      const problem = signingSecretProblem(w.signing.scheme, w.signing.secret);
      if (problem) p.push(`${key("signing.secret")} is not usable: ${problem}.`);
    }
    checkFunction(p, key("eventBody"), w?.eventBody);
    if (w?.processedCount !== undefined)
      checkStatement(p, key("processedCount"), w.processedCount, databases);
    if (w?.verifyToken !== undefined && (typeof w.verifyToken !== "string" || w.verifyToken === ""))
      p.push(
        `${key("verifyToken")} must be the Meta verify token (a non-empty string, from the environment).`,
      );
    for (const n of ["ackBudgetMs", "oversizedBytes"] as const) {
      const v = w?.[n];
      if (v !== undefined && !(Number.isInteger(v) && v > 0))
        p.push(`${key(n)} is ${JSON.stringify(v)}; use a whole number above 0.`);
    }
  }
  checkStatements(p, at("probe.cleanup"), probe.cleanup, databases);
  const optIn = probe.productionOptIn;
  if (optIn !== undefined) {
    if (!Array.isArray(optIn.probes))
      p.push(`${at("probe.productionOptIn.probes")} must be a list of probe ids, e.g. ["W1"].`);
    for (const id of optIn.probes ?? []) {
      const spec = PROBES.find((x) => x.id === id);
      if (!spec)
        p.push(
          `${at("probe.productionOptIn.probes")} names ${JSON.stringify(id)}, not a probe; known: ${PROBES.map((x) => x.id).join(", ")}.`,
        );
      else if (spec.safety === "burst" || spec.safety === "outage")
        p.push(
          `${at("probe.productionOptIn.probes")} names ${id}, ${spec.safety === "burst" ? "a burst" : "an outage"}: ${spec.safety === "burst" ? "bursts" : "outages"} never run against production, opted in or not.`,
        );
    }
    if (typeof optIn.inertEventType !== "string" || optIn.inertEventType === "")
      p.push(
        `${at("probe.productionOptIn.inertEventType")} is missing: the event type the receiver accepts and does nothing with (e.g. "ping"); write probes on production send only that.`,
      );
  }
  return p;
}

/** The profile as a ProbeTarget, or a ConfigError (exit 2) listing every problem. */
export function requireProbeTarget(profile: TargetProfile): ProbeTarget {
  const problems = probeSectionProblems(profile);
  if (problems.length > 0)
    throw new ConfigError(problems, `Target "${profile.name}" cannot run the probes`);
  return profile as ProbeTarget;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every problem of probe.http: services the profile names, paths, methods, and origins written as origins. */
function httpProblems(
  profile: TargetProfile,
  http: ProbeHttp,
  at: (key: string) => string,
): string[] {
  const p: string[] = [];
  for (const { key, route } of surfaceRoutes(http)) {
    const k = (x: string) => at(`probe.http.${key}.${x}`);
    if (!route.service || !Object.hasOwn(profile.services, route.service))
      p.push(
        `${k("service")} is ${JSON.stringify(route.service)}; use one of the target's services: ${Object.keys(profile.services).join(", ")}.`,
      );
    if (typeof route.path !== "string" || !route.path.startsWith("/"))
      p.push(`${k("path")} must be a path starting with /.`);
    if (!METHODS.includes(route.method ?? ""))
      p.push(
        `${k("method")} is ${JSON.stringify(route.method)}; use one of ${METHODS.join(", ")}.`,
      );
  }
  const cors = http.cors;
  if (cors) {
    if (!Array.isArray(cors.allowedOrigins) || cors.allowedOrigins.length === 0)
      p.push(
        `${at("probe.http.cors.allowedOrigins")} must list the origins that must be allowed, e.g. ["https://shop.example.com"].`,
      );
    for (const [list, origins] of [
      ["allowedOrigins", cors.allowedOrigins],
      ["devOrigins", cors.devOrigins],
    ] as const) {
      for (const origin of origins ?? []) {
        let ok = false;
        try {
          ok = new URL(origin).origin === origin;
        } catch {
          ok = false;
        }
        if (!ok)
          p.push(
            `${at(`probe.http.cors.${list}`)} has ${JSON.stringify(origin)}: write an origin, scheme://host[:port] with no path or slash.`,
          );
      }
    }
  }
  // Every identity a part names must be one of probe.http.identities, a function.
  const identities = http.identities ?? {};
  for (const [name, mint] of Object.entries(identities))
    if (typeof mint !== "function")
      p.push(
        `${at(`probe.http.identities.${name}`)} must be a function returning the identity's headers, e.g. async () => ({ authorization: \`Bearer \${token}\` }).`,
      );
  const named: [string, string | undefined][] = [
    ...(http.tenantIsolation ?? []).flatMap((r, i): [string, string | undefined][] => [
      [`tenantIsolation[${i}].owner`, r.owner],
      [`tenantIsolation[${i}].intruder`, r.intruder],
    ]),
    ...(http.roles ?? []).map((r, i): [string, string | undefined] => [
      `roles[${i}].identity`,
      r.identity,
    ]),
    ...(http.metrics?.reader !== undefined
      ? [["metrics.reader", http.metrics.reader] as [string, string]]
      : []),
    ...(http.adminBoard?.nonAdmin !== undefined
      ? [["adminBoard.nonAdmin", http.adminBoard.nonAdmin] as [string, string]]
      : []),
    ...(http.adminBoard?.admin !== undefined
      ? [["adminBoard.admin", http.adminBoard.admin] as [string, string]]
      : []),
  ];
  for (const [key, name] of named)
    if (typeof name !== "string" || !Object.hasOwn(identities, name))
      p.push(
        `${at(`probe.http.${key}`)} is ${JSON.stringify(name)}, not one of probe.http.identities (${Object.keys(identities).join(", ") || "none configured"}).`,
      );
  for (const [i, role] of (http.roles ?? []).entries())
    if (!Array.isArray(role.forbidden) || role.forbidden.length === 0)
      p.push(
        `${at(`probe.http.roles[${i}].forbidden`)} must list the routes the role must not reach.`,
      );
  if (
    http.telegram &&
    (typeof http.telegram.botToken !== "string" || !/^\d+:[\w-]{20,}$/.test(http.telegram.botToken))
  )
    p.push(
      `${at("probe.http.telegram.botToken")} must be a bot token (digits, a colon, then the secret, as BotFather gives it), read from the environment.`,
    );
  if (http.tls) {
    for (const [key, value, scheme] of [
      ["url", http.tls.url, "https:"],
      ["httpUrl", http.tls.httpUrl, "http:"],
    ] as const) {
      if (value === undefined && key === "httpUrl") continue;
      let ok = false;
      try {
        const u = new URL(value as string);
        ok = u.protocol === scheme && u.origin === value;
      } catch {
        ok = false;
      }
      if (!ok)
        p.push(
          `${at(`probe.http.tls.${key}`)} is ${JSON.stringify(value)}: write an origin, ${scheme}//host[:port], with no path or slash.`,
        );
    }
    for (const path of http.tls.paths ?? [])
      if (typeof path !== "string" || !path.startsWith("/"))
        p.push(
          `${at("probe.http.tls.paths")} has ${JSON.stringify(path)}: each must start with /.`,
        );
  }
  const rl = http.rateLimit;
  if (rl) {
    const k = (x: string) => at(`probe.http.rateLimit.${x}`);
    checkWhole(p, k("limit"), rl.limit, {
      min: 1,
      max: 10_000,
      what: "the requests the window allows",
    });
    checkWhole(p, k("windowMs"), rl.windowMs, { min: 1, max: 3_600_000, what: "the window in ms" });
    checkWhole(p, k("extra"), rl.extra, {
      min: 1,
      max: 1_000,
      optional: true,
      what: "how many past the limit the burst may go",
    });
    for (const [role, name] of Object.entries(rl.vendorHeaders ?? {}))
      if (typeof name !== "string" || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
        p.push(`${k(`vendorHeaders.${role}`)} is ${JSON.stringify(name)}: write a header name.`);
  }
  const jwt = http.jwt;
  if (jwt) {
    // A claim the cases vary (wrong iss, wrong aud) is read from its own key; under claims it only rides along.
    for (const [claim, key] of [
      ["iss", "issuer"],
      ["aud", "audience"],
    ] as const)
      if (jwt.claims && Object.hasOwn(jwt.claims, claim) && jwt[key] === undefined)
        p.push(
          `${at(`probe.http.jwt.claims.${claim}`)} is set but probe.http.jwt.${key} is not: the wrong-${claim} case is sent only with ${key}. Move it to probe.http.jwt.${key}.`,
        );
    if (jwt.refusedStatus !== undefined && jwt.refusedStatus !== 401 && jwt.refusedStatus !== 403)
      p.push(
        `${at("probe.http.jwt.refusedStatus")} is ${JSON.stringify(jwt.refusedStatus)}; allowed: 401, 403.`,
      );
  }
  if (http.telegram)
    checkWhole(p, at("probe.http.telegram.maxAgeSec"), http.telegram.maxAgeSec, {
      min: 1,
      max: 31_536_000,
      optional: true,
      what: "the oldest auth_date accepted, in seconds",
    });
  if (http.readiness)
    checkWhole(p, at("probe.http.readiness.settleMs"), http.readiness.settleMs, {
      min: 0,
      max: 600_000,
      optional: true,
      what: "how long to wait after a take-down, in ms",
    });
  if (http.tls) {
    checkWhole(p, at("probe.http.tls.minDaysLeft"), http.tls.minDaysLeft, {
      min: 0,
      max: 3650,
      optional: true,
      what: "days a certificate must have left",
    });
    checkWhole(p, at("probe.http.tls.hstsMinSeconds"), http.tls.hstsMinSeconds, {
      min: 0,
      max: 315_360_000,
      optional: true,
      what: "the least HSTS max-age, in seconds",
    });
  }
  for (const [i, input] of (http.invalidInputs ?? []).entries())
    if (typeof input.body !== "string")
      p.push(
        `${at(`probe.http.invalidInputs[${i}].body`)} must be the raw body to send, as a string.`,
      );
  return p;
}
