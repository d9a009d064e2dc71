import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseArgs, resolveOptions } from "../../cli/commandLine.ts";

/** The three ways to schedule the watch: each runs a valid `watch --once` every 5 minutes, never overlapping. */
const file = (name: string) => readFile(new URL(`./${name}`, import.meta.url), "utf8");

/**
 * The arguments after the harness's bin (`bin/harness.mjs`, Node running the
 * harness directly, so a process manager's SIGTERM reaches it), up to a closing quote.
 */
function harnessArgs(commandLine: string): string[] {
  expect(commandLine).not.toMatch(/pnpm/);
  const after = /bin\/harness\.mjs ([^'"\]]*)/.exec(commandLine)?.[1] ?? "";
  return after
    .split(/\s+/)
    .filter(Boolean)
    .map((a) => a.replace(/%i$/, "staging"));
}

function expectValidWatch(args: string[]): void {
  expect(args.slice(0, 1)).toEqual(["watch"]);
  expect(args).toContain("--once");
  const parsed = parseArgs(args);
  expect(parsed.problems).toEqual([]);
  const { options, problems } = resolveOptions(parsed, {}, {});
  expect(problems).toEqual([]);
  expect(options.watch.everyMs).toBeUndefined();
  expect(options.target).toBe("staging");
}

describe("deploy/watch", () => {
  it("crontab: every 5 minutes, under flock, a valid watch --once", async () => {
    const line = (await file("crontab")).split("\n").find((l) => l.startsWith("*/5 * * * * "));
    expect(line).toBeDefined();
    expect(line).toContain("flock -n ");
    expectValidWatch(harnessArgs(line ?? ""));
  });

  it("systemd: a oneshot service and a 5-minute timer, the command a valid watch --once", async () => {
    const service = await file("harness-watch@.service");
    expect(service).toMatch(/^Type=oneshot$/m);
    expect(service).toMatch(/^TimeoutStartSec=4min$/m);
    expectValidWatch(
      harnessArgs(service.split("\n").find((l) => l.startsWith("ExecStart=")) ?? ""),
    );
    expect(await file("harness-watch@.timer")).toMatch(/^OnCalendar=\*:0\/5$/m);
  });

  it("Kubernetes: a CronJob every 5 minutes with concurrencyPolicy Forbid, bounded, a valid watch --once", async () => {
    const job = parse(await file("cronjob.yaml")) as {
      kind: string;
      spec: {
        schedule: string;
        concurrencyPolicy: string;
        jobTemplate: {
          spec: {
            activeDeadlineSeconds: number;
            template: { spec: { containers: { command: string[] }[] } };
          };
        };
      };
    };
    expect(job.kind).toBe("CronJob");
    expect(job.spec.schedule).toBe("*/5 * * * *");
    expect(job.spec.concurrencyPolicy).toBe("Forbid");
    expect(job.spec.jobTemplate.spec.activeDeadlineSeconds).toBeLessThan(300);
    const command = job.spec.jobTemplate.spec.template.spec.containers[0]?.command ?? [];
    expect(command.slice(0, 2)).toEqual(["node", "bin/harness.mjs"]);
    expectValidWatch(command.slice(2));
  });
});
