import { describe, expect, it } from "vitest";
import { BoundExceededError, WaitAbortedError, withinBound } from "./withinBound.ts";

const never = () => new Promise<never>(() => {});

describe("withinBound", () => {
  it("passes the work's value and error through", async () => {
    await expect(withinBound(Promise.resolve(7), 1_000, "read")).resolves.toBe(7);
    await expect(withinBound(Promise.reject(new Error("boom")), 1_000, "read")).rejects.toThrow(
      "boom",
    );
  });

  it("ends a wait that never settles at its bound, naming the operation", async () => {
    const started = performance.now();
    const error = await withinBound(never(), 50, "Postgres query").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BoundExceededError);
    expect((error as Error).message).toBe("Postgres query: no answer within 50 ms");
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("ends at once when the signal aborts, before or during the wait", async () => {
    const controller = new AbortController();
    const waiting = withinBound(never, 60_000, "Redis GET", controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(WaitAbortedError);
    await expect(withinBound(never, 60_000, "x", controller.signal)).rejects.toBeInstanceOf(
      WaitAbortedError,
    );
  });

  it("turns a synchronous throw of the work function into a rejection", async () => {
    const work = () => {
      throw new TypeError("bad");
    };
    await expect(withinBound(work, 1_000, "x")).rejects.toBeInstanceOf(TypeError);
  });
});
