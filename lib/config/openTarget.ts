import { ConfigError } from "../errors.ts";
import type { HarnessConfig, TargetSetupContext } from "./defineConfig.ts";
import { EnvReader } from "./envReader.ts";
import type { TargetProfile } from "./targetProfile.ts";
import { profileProblems } from "./validateProfile.ts";

export interface OpenTargetOptions {
  config: HarnessConfig;
  targetName: string;
  env: Readonly<Record<string, string | undefined>>;
  keepData: boolean;
  confirmProduction: boolean;
  /** The command creates or deletes data on the target; false for read-only commands (default true). */
  mutating?: boolean;
  purpose: TargetSetupContext["purpose"];
  /**
   * The problems of the sections the command will use (e.g. the smoke's),
   * listed with the core's; each section is validated by its own user.
   */
  sectionProblems: (profile: TargetProfile) => string[];
}

export interface OpenTarget {
  profile: TargetProfile;
  /** Stops what the target's setup started; safe to call once. */
  teardown: () => Promise<void>;
}

/**
 * Picks a target, refuses production without confirmation, runs its setup
 * and validates the profile's core and the sections the command needs.
 * Every problem is a ConfigError (exit 2).
 */
export async function openTarget(options: OpenTargetOptions): Promise<OpenTarget> {
  const { config, targetName } = options;
  const definition = Object.hasOwn(config.targets, targetName)
    ? config.targets[targetName]
    : undefined;
  if (!definition) {
    const known = Object.keys(config.targets).join(", ");
    throw new ConfigError([`--target ${targetName}: no such target. Known targets: ${known}.`]);
  }
  const production = definition.production === true;
  if (production && options.mutating !== false && !options.confirmProduction) {
    throw new ConfigError(
      [
        `--target ${targetName} is marked production: true. The harness creates and deletes test data there; ` +
          "pass --confirm-production if that is intended.",
      ],
      "Refusing to run against production",
    );
  }
  const env = new EnvReader(options.env);
  const session = await definition.setup({
    targetName,
    env,
    keepData: options.keepData,
    purpose: options.purpose,
  });
  const teardown = async () => {
    await session.teardown?.();
  };
  const profile: TargetProfile = { ...session.profile, name: targetName, production };
  // A missing variable also leaves a hole in the profile; report it once, by its variable name.
  const problems =
    env.problems.length > 0
      ? [...env.problems]
      : [...profileProblems(profile), ...options.sectionProblems(profile)];
  if (problems.length > 0) {
    await teardown();
    throw new ConfigError(problems, `Target "${targetName}" is not usable`);
  }
  profile.secrets = [...new Set([...profile.secrets, ...env.secrets])];
  return { profile, teardown };
}
