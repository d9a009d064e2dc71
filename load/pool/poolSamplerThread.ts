import { Worker } from "node:worker_threads";
import type { ServiceName } from "../../lib/config/targetProfile.ts";
import { withinBound } from "../../lib/drivers/withinBound.ts";
import { DependencyUnreachableError, HarnessError } from "../../lib/errors.ts";
import { RUNS_COMPILED } from "../../lib/packageFile.ts";
import type { ApplicationPool } from "./databaseSampler.ts";
import type { PoolSource } from "./poolGauges.ts";
import type { PoolSample, PoolSampler } from "./poolSampler.ts";

export type SamplerFigures = Awaited<ReturnType<PoolSampler["stop"]>>;
type Row = { inUse: number; waiting?: number };

/** What the sampler's thread is given: the sampler's options less its sockets and its start. */
export interface SamplerWorkerData {
  options: {
    sources: readonly PoolSource[];
    monitoringDatabaseUrl?: string;
    applications?: Partial<Record<ServiceName, ApplicationPool>>;
    services: readonly ServiceName[];
  };
}

/** What the main thread says: begin at the load's time zero (an instant, epoch ms), and stop. */
export type SamplerCommand = { type: "begin"; startEpochMs: number } | { type: "stop" };

/** A start that failed, as it crosses the thread: a dependency failure keeps its parts (exit 3). */
export interface SamplerFailure {
  name: string;
  message: string;
  dependency?: { dependency: string; url: string; reason: string; hint: string };
}

export type SamplerMessage =
  | { type: "ready" }
  | { type: "started" }
  | { type: "startFailed"; error: SamplerFailure }
  | { type: "live"; service: ServiceName; sample: PoolSample }
  | {
      type: "stopped";
      result: SamplerFigures;
      rows: { service: ServiceName; rows: [number, Row][] }[];
    };

/** The worker's own start: tsx, undici and pg loaded on a fresh thread. */
const BOOT_BOUND_MS = 15_000;
/** Connecting (3 s), max_connections (2 s) and each source's first read (2.5 s), with room. */
const START_BOUND_MS = 10_000;
/** Each source's last sample (2.5 s), the read after the load (2.5 s) and closing (1 s), with room. */
const STOP_BOUND_MS = 10_000;

// From the build, the compiled worker; from source, an entry that registers tsx first.
const WORKER_URL = RUNS_COMPILED
  ? new URL("./poolSamplerWorker.js", import.meta.url)
  : new URL("./poolSamplerWorker.entry.mjs", import.meta.url);

class SamplerThreadError extends HarnessError {
  readonly outcome = "internalError" as const;
}

function rebuilt(failure: SamplerFailure): Error {
  if (failure.dependency) {
    const d = failure.dependency;
    return new DependencyUnreachableError(d.dependency, d.url, d.reason, d.hint);
  }
  const error = new Error(failure.message);
  error.name = failure.name;
  return error;
}

/**
 * The pool sampler (PoolSampler) on a worker thread of its own, with the
 * same surface: started before the load, read live, stopped after it. The
 * generator shares the main thread's event loop with everything else; the
 * sampler keeps its 200 ms interval beside it, whatever that loop does.
 * Every wait on the thread is bounded; a thread that does not answer its
 * stop is an error (no verdict), never a silence read as a healthy pool.
 */
export class PoolSamplerThread {
  private readonly latest = new Map<ServiceName, PoolSample>();
  private byService = new Map<ServiceName, ReadonlyMap<number, Row>>();
  private crashed: string | undefined;

  private constructor(private worker: Worker | undefined) {
    worker?.on("message", (message: SamplerMessage) => {
      if (message.type === "live") this.latest.set(message.service, message.sample);
    });
    worker?.on("error", (error) => {
      this.crashed = error instanceof Error ? error.message : String(error);
    });
  }

  /** A thread loaded and waiting to begin: booted before the load's time zero, which it does not delay. */
  static async boot(options: SamplerWorkerData["options"]): Promise<PoolSamplerThread> {
    const data: SamplerWorkerData = { options };
    // No flags of ours: the entry loads tsx itself.
    const worker = new Worker(WORKER_URL, { workerData: data, execArgv: [] });
    worker.unref();
    const thread = new PoolSamplerThread(worker);
    try {
      await thread.answer("ready", BOOT_BOUND_MS, "the pool sampler's thread to load");
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    return thread;
  }

  /** Resolves at the worker's next `type`; rejects at a failed start, at its exit, or past `boundMs`. */
  private answer<T extends SamplerMessage["type"]>(
    type: T,
    boundMs: number,
    what: string,
    send?: SamplerCommand,
  ): Promise<Extract<SamplerMessage, { type: T }>> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new SamplerThreadError(`${what}: the thread has ended`));
    let cleanup = () => {};
    return withinBound(
      new Promise<Extract<SamplerMessage, { type: T }>>((resolve, reject) => {
        const onMessage = (message: SamplerMessage) => {
          if (message.type === type) resolve(message as Extract<SamplerMessage, { type: T }>);
          else if (message.type === "startFailed") reject(rebuilt(message.error));
        };
        const onExit = (code: number) =>
          reject(
            new SamplerThreadError(
              `${what}: its thread ended (${code})${this.crashed ? `: ${this.crashed}` : ""}`,
            ),
          );
        worker.on("message", onMessage);
        worker.once("exit", onExit);
        cleanup = () => {
          worker.off("message", onMessage);
          worker.off("exit", onExit);
        };
        if (send) worker.postMessage(send);
      }),
      boundMs,
      what,
    ).finally(() => cleanup());
  }

  /**
   * Connects, reads every source once (the counters' baseline) and samples
   * from now on; `startMs` (`performance.now()`) is the load's time zero,
   * which the per-second rows and the coverage count from.
   */
  async start(startMs: number): Promise<void> {
    try {
      await this.answer("started", START_BOUND_MS, "the pool sampler's start", {
        type: "begin",
        startEpochMs: performance.timeOrigin + startMs,
      });
    } catch (error) {
      await this.worker?.terminate();
      this.worker = undefined;
      throw error;
    }
  }

  /** The latest sample per service, for the live progress line. */
  live(): ReadonlyMap<ServiceName, PoolSample> {
    return this.latest;
  }

  /** Max in use (and waiting, where scraped) per service and second, once stopped. */
  rows(service: ServiceName): ReadonlyMap<number, Row> {
    return this.byService.get(service) ?? new Map();
  }

  /** Every service with per-second rows, once stopped. */
  rowServices(): ServiceName[] {
    return [...this.byService.keys()];
  }

  /** The read after the load and every figure; the thread ends. */
  async stop(): Promise<SamplerFigures> {
    const worker = this.worker;
    if (!worker) throw new SamplerThreadError("the pool sampler was stopped before it started");
    try {
      const stopped = await this.answer("stopped", STOP_BOUND_MS, "the pool sampler's stop", {
        type: "stop",
      });
      this.byService = new Map(stopped.rows.map(({ service, rows }) => [service, new Map(rows)]));
      return stopped.result;
    } catch (error) {
      throw new SamplerThreadError(
        `the pool sampler gave no figures (${error instanceof Error ? error.message : String(error)}): no pool verdict is possible for this scenario.`,
      );
    } finally {
      this.worker = undefined;
      await worker.terminate();
    }
  }

  /** Ends the thread without figures (the scenario did not start). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
