import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { StackSecrets, StackUrls } from "../fixtures/stack/stackTypes.ts";

export interface ReadyLine {
  pid: number;
  urls: StackUrls;
  secrets: StackSecrets;
  channelId: string;
}

export interface StackProcess {
  ready: ReadyLine;
  /** Resident set size and cumulative CPU seconds of the stack's Node process, from /proc. */
  sample(): Promise<{ rssBytes: number; cpuSeconds: number }>;
  stop(): Promise<void>;
}

/**
 * Runs `pnpm stack` as its own process on free ports, so the load generator
 * never shares an event loop with the services it measures.
 */
export async function startStackProcess(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 30_000,
): Promise<StackProcess> {
  const child = spawn(
    process.execPath,
    [
      // BENCH_STACK_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the stack under load.
      ...(env.BENCH_STACK_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      "--import",
      "tsx",
      "fixtures/stack/stackCli.ts",
      "--json",
      "--line-port",
      "0",
      "--pasukuru-port",
      "0",
      "--curva-port",
      "0",
    ],
    { env, stdio: ["ignore", "pipe", "inherit"] },
  );
  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`stack not ready within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once("exit", (code) =>
      reject(new Error(`stack exited with ${code} before it was ready`)),
    );
    createInterface({ input: child.stdout }).once("line", (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as ReadyLine);
    });
  });
  const ticks = 100; // USER_HZ on Linux
  return {
    ready,
    async sample() {
      const status = await readFile(`/proc/${ready.pid}/status`, "utf8");
      const stat =
        (await readFile(`/proc/${ready.pid}/stat`, "utf8")).split(") ")[1]?.split(" ") ?? [];
      const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return { rssBytes: rssKb * 1024, cpuSeconds: (Number(stat[11]) + Number(stat[12])) / ticks };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Busy share of all cores since boot, from /proc/stat: diff two readings for a window. */
export async function machineCpu(): Promise<{ busy: number; total: number }> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "";
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}
