import pg from "pg";
import { DependencyUnreachableError, describeError } from "../errors.ts";
import { redactUrl } from "../redact.ts";
import { BoundExceededError } from "./withinBound.ts";

/**
 * The one place a failure of the harness's own connection is told apart from
 * an answer. A server that answered (a Postgres error with its SQLSTATE, a
 * Redis error reply) said something about the target or the profile; anything
 * else (a reset, a refused or terminated connection, a bound that passed
 * without an answer) is the harness's dependency failing: no verdict on the
 * target, exit 3, never a failed check.
 */
function isServerAnswer(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) return true;
  // ioredis' ReplyError: the server answered "-ERR …" (redis-errors names it so).
  return error instanceof Error && error.name === "ReplyError";
}

/** Wraps a failed operation once, at the boundary: an answer passes through, a connection failure becomes DependencyUnreachableError. */
export function asDependencyFailure(error: unknown, dependency: string, rawUrl: string): unknown {
  if (isServerAnswer(error) || error instanceof DependencyUnreachableError) return error;
  return new DependencyUnreachableError(
    dependency,
    redactUrl(rawUrl),
    describeError(error),
    `The harness's own connection to ${dependency} failed mid-run: this says nothing about the target. Is ${dependency} reachable from here, and steady?`,
  );
}

/**
 * True when a read could not be made at all (the harness's connection
 * failed, or the read did not answer within its bound): what a check saw
 * is then "could not judge", not evidence against the target.
 */
export function isCouldNotRead(error: unknown): boolean {
  return error instanceof DependencyUnreachableError || error instanceof BoundExceededError;
}
