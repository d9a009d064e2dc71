import { BoundExceededError, WaitAbortedError, withinBound } from "../drivers/withinBound.ts";
import { ConfigError, describeError, HarnessError } from "../errors.ts";
import { redactSecrets } from "../redact.ts";
import type { HarnessConfig, TargetSetupContext } from "./defineConfig.ts";
import { EnvReader } from "./envReader.ts";
import { OPEN_TARGET_DEFAULTS } from "./openTargetDefaults.ts";
import type { TargetProfile } from "./targetProfile.ts";
import { profileProblems } from "./validateProfile.ts";

/** The profile's own secrets, as far as it lists them (a malformed list is a problem of its own). */
function secretsOf(profile: { secrets?: unknown }): string[] {
  return Array.isArray(profile.secrets)
    ? profile.secrets.filter((s): s is string => typeof s === "string")
    : [];
}

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
  /** The config file the target comes from, for messages. */
  configFile: string;
  /** How long the target's setup() may take (default OPEN_TARGET_DEFAULTS.setupMs). */
  setupTimeoutMs?: number;
  /** Ctrl-C or SIGTERM: a setup() still running is given up (SetupInterruptedError, exit 130). */
  signal?: AbortSignal;
}

const SETTLE_AFTER_SIGNAL_MS = OPEN_TARGET_DEFAULTS.settleAfterSignalMs;

/** A signal arrived while the target's setup() ran: nothing was run against the target. */
class SetupInterruptedError extends HarnessError {
  readonly outcome = "interrupted" as const;
  constructor(where: string, tornDown: boolean) {
    super(
      `interrupted during ${where}: nothing was run against the target${tornDown ? "; what the setup started was torn down" : ""}.`,
    );
    this.name = "SetupInterruptedError";
  }
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
  const refuseProduction = (where: string) => {
    if (options.mutating !== false && !options.confirmProduction)
      throw new ConfigError(
        [
          `--target ${targetName} is marked production: true (${where}). The harness creates and deletes test data there; ` +
            "pass --confirm-production if that is intended.",
        ],
        "Refusing to run against production",
      );
  };
  if (definition.production === true) refuseProduction("in its definition");
  const env = new EnvReader(options.env);
  const setupMs = options.setupTimeoutMs ?? OPEN_TARGET_DEFAULTS.setupMs;
  const where = `targets.${targetName}.setup() in ${options.configFile}`;
  let session: Awaited<ReturnType<typeof definition.setup>>;
  // async: a setup() that returns a plain object (no promise) is read as resolved.
  const pending = (async () =>
    definition.setup({ targetName, env, keepData: options.keepData, purpose: options.purpose }))();
  try {
    session = await withinBound(pending, setupMs, where, options.signal);
  } catch (error) {
    if (error instanceof WaitAbortedError) {
      // A setup() about to finish may have started something (the local stack): it is stopped
      // before the exit. One that hangs created nothing the harness knows of: the exit is at once.
      const late = await withinBound(pending, SETTLE_AFTER_SIGNAL_MS, where).catch(() => undefined);
      await withinBound(
        async () => late?.teardown?.(),
        OPEN_TARGET_DEFAULTS.teardownAfterSignalMs,
        "teardown",
      ).catch(() => {});
      throw new SetupInterruptedError(where, late !== undefined);
    }
    // A setup() that settles after its bound is still torn down when it does.
    void pending.then((late) => late?.teardown?.()).catch(() => {});
    // The harness's own errors (a bad env, an unreachable store) say what they are; scrub them.
    if (error instanceof HarnessError) {
      error.message = redactSecrets(error.message, env.secrets);
      throw error;
    }
    throw new ConfigError(
      [
        error instanceof BoundExceededError
          ? `${where} did not settle within ${setupMs} ms: it must resolve to { profile } (or throw); a promise that never settles would hang every run.`
          : `${where} threw: ${redactSecrets(describeError(error), env.secrets)}. Fix the target's setup.`,
      ],
      `Target "${targetName}" could not be set up`,
    );
  }
  const teardown = async () => {
    await session?.teardown?.();
  };
  const given = (session as { profile?: unknown } | null | undefined)?.profile;
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    await teardown().catch(() => {});
    throw new ConfigError(
      [
        redactSecrets(
          `${where} resolved to ${session === null || typeof session !== "object" ? JSON.stringify(session ?? null) : `{ profile: ${given === undefined ? "undefined" : JSON.stringify(given)?.slice(0, 20)} }`}: it must resolve to { profile: { services, databases, secrets, … } } (and optionally teardown).`,
          env.secrets,
        ),
      ],
      `Target "${targetName}" could not be set up`,
    );
  }
  // The profile setup() returns may say production too: honoured, never dropped; it cannot unmark one.
  const said = (session.profile as { production?: unknown }).production;
  const production = definition.production === true || said === true;
  if (said === true && definition.production !== true) {
    try {
      refuseProduction("by the profile its setup() returns");
    } catch (error) {
      await teardown();
      throw error;
    }
  }
  const profile = { ...session.profile, name: targetName, production } as TargetProfile;
  // A missing variable also leaves a hole in the profile; report it once, by its variable name.
  // Otherwise every problem at once: the core's, every unknown key's, the command's sections'.
  const problems = [
    ...(said === false && definition.production === true
      ? [
          `targets.${targetName}: the profile setup() returns says production: false, but the target is marked production: true; a profile cannot unmark production.`,
        ]
      : []),
    ...(env.problems.length > 0
      ? env.redactedProblems()
      : [...profileProblems(profile), ...options.sectionProblems(profile)].map((p) =>
          redactSecrets(p, [...env.secrets, ...secretsOf(profile)]),
        )),
  ];
  if (problems.length > 0) {
    await teardown();
    throw new ConfigError(
      [...new Set(problems)],
      `Target "${targetName}" of ${options.configFile} is not usable`,
    );
  }
  profile.secrets = [...new Set([...profile.secrets, ...env.secrets])];
  return { profile, teardown };
}
