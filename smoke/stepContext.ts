import type { RunIds } from "../lib/config/targetProfile.ts";
import type { LateAnswers } from "../lib/drivers/lateAnswers.ts";
import type { TargetConnections } from "../lib/drivers/targetConnections.ts";
import type { SmokeTarget } from "./smokeSection.ts";

/** What every step and check of one smoke run shares. */
export interface StepContext {
  target: SmokeTarget;
  connections: TargetConnections;
  /** Filled in by the steps as they learn ids (late answers too). */
  ids: RunIds;
  /** How long one HTTP call may take (--request-timeout). */
  requestTimeoutMs: number;
  /** Requests the run stopped waiting for; cleanup waits for them first. */
  late: LateAnswers;
  signal?: AbortSignal;
}

export interface AssertionContext extends StepContext {
  /** `Date.now()` by which every effect should be visible. */
  deadline: number;
}
