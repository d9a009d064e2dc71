import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { packageFile } from "../packageFile.ts";
import type { RunEnvironment } from "./runResult.ts";

const REPO = packageFile("");

function gitCommit(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.GITHUB_SHA) return env.GITHUB_SHA;
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], {
      cwd: REPO,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 2_000,
    }).trim();
  } catch {
    // Not a git checkout (a packed copy), or no git: the commit is simply unknown.
    return undefined;
  }
}

/** Where this run happens: harness version and commit, Node, platform, host, CI or not. */
export function runEnvironment(env: Readonly<Record<string, string | undefined>>): RunEnvironment {
  const pkg = JSON.parse(readFileSync(new URL("package.json", REPO), "utf8")) as {
    version?: string;
  };
  const commit = gitCommit(env);
  return {
    harnessVersion: pkg.version ?? "unknown",
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    hostname: hostname(),
    ci: env.CI === "true" || env.CI === "1",
    ...(commit ? { gitCommit: commit } : {}),
  };
}
