import type { EnvReader } from "./envReader.ts";
import type { TargetProfile } from "./targetProfile.ts";

/** What a target's `setup` receives. */
export interface TargetSetupContext {
  targetName: string;
  /** Reads named env variables, collecting every problem; the loader throws once, listing all. */
  env: EnvReader;
  /** The run keeps what it creates (`--keep-data`); a started stack should keep its data too. */
  keepData: boolean;
  /**
   * What the target is opened for. A target that starts services may start
   * them differently: the local stack runs in its own process for load, so
   * the generator never shares an event loop with what it measures.
   */
  purpose: "smoke" | "load" | "probe" | "sweep" | "watch";
}

export interface TargetSession {
  profile: Omit<TargetProfile, "name" | "production">;
  /** Stops whatever `setup` started (the local stack). Called after cleanup, also on failure. */
  teardown?: () => Promise<void>;
}

export interface TargetDefinition {
  description: string;
  /** Refuses to run without `--confirm-production`. */
  production?: boolean;
  /**
   * Set for a target started afresh for every run (the local reference
   * stack): nothing of an earlier run lives on it, so `harness sweep` says
   * this sentence (what removes leftovers instead) rather than sweeping.
   */
  freshEachRun?: string;
  setup: (context: TargetSetupContext) => Promise<TargetSession>;
}

/** Option defaults a config file may set: below flags and env, above built-in defaults. */
export interface ConfigFileDefaults {
  target?: string;
  timeout?: string;
  requestTimeout?: string;
  phase?: string;
  reportDir?: string;
}

export interface HarnessConfig {
  defaults?: ConfigFileDefaults;
  targets: Record<string, TargetDefinition>;
}

/**
 * Only a typing helper: a config file is any module whose default export is
 * a plain object of this shape, so it can live outside the repo.
 */
export function defineConfig(config: HarnessConfig): HarnessConfig {
  return config;
}
