import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { Agent } from "undici";
import { DependencyUnreachableError } from "../../lib/errors.ts";
import { PoolSampler } from "./poolSampler.ts";
import type {
  SamplerCommand,
  SamplerFailure,
  SamplerMessage,
  SamplerWorkerData,
} from "./poolSamplerThread.ts";

/**
 * The pool sampler on its own thread (started by PoolSamplerThread): its
 * own event loop, its own sockets and its own Postgres connection, so a
 * generator that keeps the main thread busy never stretches its interval.
 * It says "ready" once loaded, starts sampling at "begin" (the load's time
 * zero), and answers "stop" with the figures and the per-second rows, then
 * ends.
 */
function failure(error: unknown): SamplerFailure {
  if (error instanceof DependencyUnreachableError)
    return {
      name: error.name,
      message: error.message,
      dependency: {
        dependency: error.dependency,
        url: error.url,
        reason: error.reason,
        hint: error.hint,
      },
    };
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: "Error", message: String(error) };
}

/** The next message of `type` from the main thread. */
function next<T extends SamplerCommand["type"]>(
  port: MessagePort,
  type: T,
): Promise<Extract<SamplerCommand, { type: T }>> {
  return new Promise((resolve) => {
    const onMessage = (message: SamplerCommand) => {
      if (message.type !== type) return;
      port.off("message", onMessage);
      resolve(message as Extract<SamplerCommand, { type: T }>);
    };
    port.on("message", onMessage);
  });
}

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("poolSamplerWorker.ts runs as a worker thread (PoolSamplerThread)");
  const post = (message: SamplerMessage) => port.postMessage(message);
  const data = workerData as SamplerWorkerData;
  const begin = next(port, "begin");
  const stop = next(port, "stop");
  post({ type: "ready" });
  const { startEpochMs } = await begin;
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const sampler = new PoolSampler({
    ...data.options,
    agent,
    // The same instant on this thread's clock.
    startMs: startEpochMs - performance.timeOrigin,
    onSample: (service, sample) => post({ type: "live", service, sample }),
  });
  try {
    await sampler.start();
  } catch (error) {
    post({ type: "startFailed", error: failure(error) });
    await agent.destroy();
    port.close();
    return;
  }
  post({ type: "started" });
  await stop;
  const result = await sampler.stop();
  const rows = sampler.rowServices().map((service) => ({
    service,
    rows: [...sampler.rows(service)],
  }));
  post({ type: "stopped", result, rows });
  await agent.destroy();
  port.close();
}

await serve();
