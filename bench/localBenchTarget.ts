import config from "../harness.config.ts";
import type { TargetSetupContext } from "../lib/config/defineConfig.ts";
import { type OpenTarget, openTarget } from "../lib/config/openTarget.ts";
import type { TargetProfile } from "../lib/config/targetProfile.ts";

/** The local target, opened for one bench as the CLI opens it, and how long that took (the stack's start-up). */
export async function openLocalBenchTarget(
  purpose: TargetSetupContext["purpose"],
  sectionProblems: (profile: TargetProfile) => string[],
): Promise<{ target: OpenTarget; startupMs: number }> {
  const began = performance.now();
  const target = await openTarget({
    config,
    targetName: "local",
    env: process.env,
    keepData: false,
    confirmProduction: false,
    sectionProblems,
    purpose,
    configFile: "harness.config.ts",
  });
  return { target, startupMs: performance.now() - began };
}
