import {
  checkFunction,
  checkHelper,
  checkStatement,
  checkStatements,
  jointCoreProblems,
} from "../lib/config/profileChecks.ts";
import type {
  JointProfile,
  QueueSpec,
  SmokeSection,
  TargetProfile,
} from "../lib/config/targetProfile.ts";
import { ConfigError } from "../lib/errors.ts";

/** A profile the smoke can run against: it has a webhook queue and a smoke section. */
export type SmokeTarget = JointProfile & { queue: QueueSpec; smoke: SmokeSection };

/** Every problem of the profile's smoke section (and of the core parts the smoke needs). */
export function smokeSectionProblems(profile: TargetProfile): string[] {
  const p: string[] = jointCoreProblems(profile, "smoke");
  const at = (key: string) => `targets.${profile.name}: ${key}`;
  if (profile.queue === undefined) {
    p.push(
      `${at("queue")} is missing; the smoke watches the webhook queue ({ redisUrl, prefix, name, deadLetters }).`,
    );
  }
  const smoke = profile.smoke;
  if (smoke === undefined) {
    p.push(
      `${at("smoke")} is missing: this target has no smoke section (identity, helpers, webhookJobId, assertions, cleanup). Add one, or pick another target.`,
    );
    return p;
  }
  const identity = smoke.identity;
  if (identity?.kind === "mint") {
    checkFunction(p, at("smoke.identity.mintIdToken"), identity.mintIdToken);
    checkHelper(p, at("smoke.identity.identify"), identity.identify);
  } else if (identity?.kind === "preProvisioned") {
    if (!/^U[0-9a-f]{32}$/.test(identity.lineUserId ?? "")) {
      p.push(
        `${at("smoke.identity.lineUserId")}="${identity.lineUserId}" is not a LINE user id (U + 32 hex).`,
      );
    }
    if (!identity.memberId)
      p.push(`${at("smoke.identity.memberId")} is missing; the pre-provisioned member's id.`);
  } else {
    p.push(`${at("smoke.identity.kind")} must be "mint" or "preProvisioned".`);
  }
  checkHelper(p, at("smoke.helpers.createOrder"), smoke.helpers?.createOrder);
  checkHelper(p, at("smoke.helpers.markPaid"), smoke.helpers?.markPaid);
  checkFunction(p, at("smoke.webhookJobId"), smoke.webhookJobId);
  for (const key of ["webhookLogCount", "memberLineUserId", "followerMemberId"] as const) {
    checkStatement(p, at(`smoke.assertions.${key}`), smoke.assertions?.[key]);
  }
  checkStatements(p, at("smoke.cleanup"), smoke.cleanup);
  const board = smoke.board;
  if (board !== undefined) {
    if (board.service !== "pasukuru" && board.service !== "curva")
      p.push(
        `${at("smoke.board.service")} is ${JSON.stringify(board.service)}; allowed: "pasukuru", "curva".`,
      );
    if (typeof board.path !== "string" || !board.path.startsWith("/"))
      p.push(`${at("smoke.board.path")} must be a path starting with /, e.g. /admin/queues.`);
    if (typeof board.adminToken !== "string" || board.adminToken.split(".").length !== 3)
      p.push(
        `${at("smoke.board.adminToken")} must be an admin JWT (header.payload.signature), read from the environment (staging: STAGING_BOARD_ADMIN_TOKEN).`,
      );
  }
  return p;
}

/** The profile as a SmokeTarget, or a ConfigError (exit 2) listing every problem. */
export function requireSmokeTarget(profile: TargetProfile): SmokeTarget {
  const problems = smokeSectionProblems(profile);
  if (problems.length > 0)
    throw new ConfigError(problems, `Target "${profile.name}" cannot run the smoke`);
  return profile as SmokeTarget;
}
