import { randomBytes } from "node:crypto";
import { SUITE_NAMES, type SuiteName } from "../result/runResult.ts";

/**
 * A run id names everything one run creates on a target, so cleanup and
 * sweep can remove exactly that, and names the run's report folder. The CLI
 * mints it. Sortable by time, readable in a report: `smoke-20261123t003224z-a1b2c3d4`.
 */
export function newRunId(
  suite: SuiteName,
  now: Date = new Date(),
  random: Buffer = randomBytes(4),
): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "z");
  return `${suite}-${stamp.toLowerCase()}-${random.toString("hex")}`;
}

const RUN_ID_SOURCE = `^(${SUITE_NAMES.join("|")})-[0-9]{8}t[0-9]{6}z-[0-9a-f]{8}$`;

/** The run id format as a POSIX regular expression, for SQL (`run_id ~ $n`). */
export const RUN_ID_SQL_PATTERN = RUN_ID_SOURCE;

const RUN_ID = new RegExp(RUN_ID_SOURCE);

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

/** The n-th event id a probe run sends: `evt_<run id, _ for ->_<n>` (letters, digits and _ only: any receiver's id format). */
export function probeEventId(runId: string, n: number): string {
  return `evt_${runId.replaceAll("-", "_")}_${n}`;
}

/** A SQL LIKE pattern matching exactly the event ids `probeEventId` gives for this run (`_` escaped; for cleanup). */
export function probeEventIdLike(runId: string): string {
  return `${probeEventId(runId, 0).replace(/0$/, "").replaceAll("_", "\\_")}%`;
}
