import { describe, expect, it } from "vitest";
import { pollUntil } from "./pollUntil.ts";

describe("pollUntil", () => {
  it("finishes as soon as the value is final", async () => {
    let n = 0;
    const outcome = await pollUntil({
      read: async () => ++n,
      done: (v) => v === 3,
      deadline: Date.now() + 5_000,
      intervalMs: 1,
    });
    expect(outcome).toMatchObject({ status: "done", value: 3, attempts: 3 });
  });

  it("reports the last value seen on timeout", async () => {
    const outcome = await pollUntil({
      read: async () => 0,
      done: (v) => v === 1,
      deadline: Date.now() + 30,
      intervalMs: 5,
    });
    expect(outcome.status).toBe("timeout");
    if (outcome.status !== "done") expect(outcome.last).toEqual({ value: 0 });
  });

  it("keeps the last read error and reads at least once past the deadline", async () => {
    const outcome = await pollUntil<number>({
      read: async () => {
        throw new Error("relation does not exist");
      },
      done: () => true,
      deadline: Date.now() - 1,
    });
    expect(outcome).toMatchObject({
      status: "timeout",
      lastError: "relation does not exist",
      attempts: 1,
    });
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    const pending = pollUntil({
      read: async () => 0,
      done: () => false,
      deadline: Date.now() + 10_000,
      intervalMs: 1_000,
      signal: controller.signal,
    });
    controller.abort();
    expect((await pending).status).toBe("aborted");
  });
});

describe("pollUntil with giveUp", () => {
  it("reads once more after giving up, then ends with the reason, long before the deadline", async () => {
    const cause = new AbortController();
    let reads = 0;
    const pending = pollUntil({
      read: async () => ++reads,
      done: () => false,
      deadline: Date.now() + 10_000,
      intervalMs: 1_000,
      giveUp: cause.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    cause.abort("job j1: failed after 5 attempt(s)");
    const outcome = await pending;
    expect(outcome).toMatchObject({
      status: "gaveUp",
      reason: "job j1: failed after 5 attempt(s)",
      attempts: 2,
      last: { value: 2 },
    });
    expect(outcome.elapsedMs).toBeLessThan(1_000);
  });

  it("a value that is there on the last read still passes", async () => {
    const cause = new AbortController();
    cause.abort("dead");
    const outcome = await pollUntil({
      read: async () => "linked",
      done: (v) => v === "linked",
      deadline: Date.now() + 10_000,
      giveUp: cause.signal,
    });
    expect(outcome.status).toBe("done");
  });
});
