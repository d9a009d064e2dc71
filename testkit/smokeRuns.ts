import { expect } from "vitest";
import type { StackHandle } from "../fixtures/referenceStack.ts";
import type { TargetProfile } from "../lib/config/targetProfile.ts";
import type { RunResult } from "../lib/result/runResult.ts";
import { leftovers, NOTHING_LEFT } from "./leftovers.ts";
import { localProfile } from "./localRun.ts";
import { scrapeMetrics } from "./stackTestKit.ts";

/*
 * Test support for smoke runs against a stack a test started: reading a
 * result, checking what it left, and varying the local profile.
 */

export function statuses(result: RunResult): Record<string, string> {
  return Object.fromEntries(result.checks.map((c) => [c.name, c.status]));
}

export function check(result: RunResult, name: string) {
  const found = result.checks.find((c) => c.name === name);
  if (!found) throw new Error(`no check ${name} in ${result.checks.map((c) => c.name).join(", ")}`);
  return found;
}

export async function expectNothingLeft(stack: StackHandle, result: RunResult): Promise<void> {
  const eventIds = [result.testData.eventId, result.testData.jobId].filter(
    (id): id is string => id !== undefined,
  );
  expect(await leftovers(stack, { runId: result.runId, eventIds })).toEqual(NOTHING_LEFT);
}

/** A copy of the stack's profile with some of its smoke section replaced. */
export function withSmoke(
  stack: StackHandle,
  change: (
    smoke: NonNullable<TargetProfile["smoke"]>,
  ) => Partial<NonNullable<TargetProfile["smoke"]>>,
): TargetProfile {
  const profile = localProfile(stack);
  const smoke = profile.smoke as NonNullable<TargetProfile["smoke"]>;
  return { ...profile, smoke: { ...smoke, ...change(smoke) } };
}

/** Identify requests the stack has finished answering, from its own /metrics. */
export async function identifyAnswered(stack: StackHandle): Promise<number> {
  const text = await scrapeMetrics(stack, "pasukuru");
  const matches = text.matchAll(
    /^http_requests_total\{[^}]*route="\/integration\/line\/identify"[^}]*\} (\d+)$/gm,
  );
  return [...matches].reduce((sum, m) => sum + Number(m[1]), 0);
}
