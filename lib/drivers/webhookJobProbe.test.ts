import { randomBytes } from "node:crypto";
import { type Job, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import type { QueueSpec } from "../config/targetProfile.ts";
import { TargetConnections } from "./targetConnections.ts";
import { deadLetterCount, observeWebhookJob } from "./webhookJobProbe.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

interface ProbeQueue {
  spec: QueueSpec;
  queue: Queue;
  worker: Worker;
  connections: TargetConnections;
}

/**
 * A real BullMQ queue under a unique prefix, its worker (`processor` null:
 * the test takes jobs itself) and the probe's connections; all removed after.
 */
async function withProbeQueue(
  processor: ((job: Job) => Promise<void>) | null,
  body: (q: ProbeQueue) => Promise<void>,
): Promise<void> {
  const spec: QueueSpec = {
    redisUrl: REDIS_URL,
    prefix: `harness-test:${randomBytes(4).toString("hex")}`,
    name: "curva-webhook",
    deadLetters: { kind: "failedSet" },
  };
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(spec.name, { connection, prefix: spec.prefix });
  const worker = new Worker(spec.name, processor, {
    connection,
    prefix: spec.prefix,
    autorun: processor !== null,
  });
  const connections = new TargetConnections({
    queue: spec,
    databases: { pasukuru: { url: "postgres://unused" }, curva: { url: "postgres://unused" } },
  });
  try {
    await body({ spec, queue, worker, connections });
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await connection.del(`${spec.prefix}:${spec.name}:events`);
    await queue.close();
    await connections.close();
    connection.disconnect();
  }
}

/** What the probe sees when BullMQ itself removes, delays or finishes jobs. */
describe("observeWebhookJob on a real BullMQ queue", () => {
  it("is not fooled by removeOnFail, removeOnComplete or a job delayed for its retry", async () => {
    const fails = async (job: Job) => {
      if (job.data.fail) throw new Error("Curva answered 503");
    };
    await withProbeQueue(fails, async ({ spec, queue, worker, connections }) => {
      const settled = new Map<string, () => void>();
      const onSettled = (job: { id?: string } | undefined) => settled.get(job?.id ?? "")?.();
      worker.on("failed", onSettled);
      worker.on("completed", onSettled);
      const until = (id: string) => new Promise<void>((ok) => settled.set(id, ok));
      const removedOnFail = until("evt_removed_on_fail");
      await queue.add(
        "order.paid",
        { fail: true },
        { jobId: "evt_removed_on_fail", attempts: 1, removeOnFail: true },
      );
      await removedOnFail;
      const retrying = until("evt_retrying");
      await queue.add(
        "order.paid",
        { fail: true },
        { jobId: "evt_retrying", attempts: 3, backoff: { type: "fixed", delay: 60_000 } },
      );
      await retrying;
      const removedOnComplete = until("evt_removed_on_complete");
      await queue.add(
        "order.paid",
        { fail: false },
        { jobId: "evt_removed_on_complete", removeOnComplete: true },
      );
      await removedOnComplete;

      expect(await queue.getJob("evt_removed_on_fail")).toBeUndefined();
      expect(await observeWebhookJob(connections, spec, "evt_removed_on_fail")).toMatchObject({
        kind: "failed",
        source: "events",
      });
      // The global count cannot see it: that is why the check is run-scoped.
      expect(await deadLetterCount(connections, spec)).toBe(0);

      expect(await observeWebhookJob(connections, spec, "evt_retrying")).toMatchObject({
        kind: "pending",
        state: "delayed",
        attemptsMade: 1,
        failedReason: "Curva answered 503",
      });
      expect(await observeWebhookJob(connections, spec, "evt_removed_on_complete")).toMatchObject({
        kind: "completed",
        source: "events",
      });
      expect(await observeWebhookJob(connections, spec, "evt_never_enqueued")).toEqual({
        kind: "missing",
      });
    });
  });

  it("never pairs a final state with the attempt count from before it (a delivery finishing between its reads)", async () => {
    // No processor: the test takes the job itself, so it decides when the delivery ends.
    await withProbeQueue(null, async ({ spec, queue, worker, connections }) => {
      await queue.add("order.paid", {}, { jobId: "evt_racing", attempts: 1 });
      const token = "racing-test";
      const active = await worker.getNextJob(token);
      if (!active) throw new Error("the job was not handed to the test worker");

      // The last attempt fails right after the probe's first read of the queue, whichever it is.
      const probed = connections.queue(spec.name);
      let finished = false;
      for (const method of ["getJob", "getJobState"] as const) {
        const read = probed[method].bind(probed) as (id: string) => Promise<unknown>;
        Object.assign(probed, {
          [method]: async (id: string) => {
            const seen = await read(id);
            if (!finished) {
              finished = true;
              await active.moveToFailed(new Error("Curva answered 503"), token);
            }
            return seen;
          },
        });
      }

      // Read as it was before the failure: still running, never "failed" with 0 attempts.
      expect(await observeWebhookJob(connections, spec, "evt_racing")).toMatchObject({
        kind: "pending",
        state: "active",
      });
      expect(await observeWebhookJob(connections, spec, "evt_racing")).toMatchObject({
        kind: "failed",
        attemptsMade: 1,
        failedReason: "Curva answered 503",
        source: "job",
      });
    });
  });
});
