import { randomBytes } from "node:crypto";

/**
 * A run id names everything one smoke run creates on a target, so cleanup
 * and sweep can remove exactly that. Sortable by time, readable in a report.
 */
export function newRunId(now: Date = new Date(), random: Buffer = randomBytes(4)): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "z");
  return `smoke-${stamp.toLowerCase()}-${random.toString("hex")}`;
}

const RUN_ID = /^smoke-\d{8}t\d{6}z-[0-9a-f]{8}$/;

export function isRunId(value: string): boolean {
  return RUN_ID.test(value);
}

/** The display name a minted test user carries: how a sweep finds a member no other row points at. */
export function testUserDisplayName(runId: string): string {
  return `harness ${runId}`;
}

/** A LINE user id (`U` + 32 hex) unique to this run. */
export function testLineUserId(random: Buffer = randomBytes(16)): string {
  return `U${random.toString("hex")}`;
}
