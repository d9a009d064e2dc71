import { parseDuration } from "../lib/config/parseDuration.ts";
import { CLI_DEFAULTS } from "./cliOptions.ts";

/** `harness watch`: the interval of --every (undefined: --once), how long it may run, --test-notification. */
export interface WatchOptions {
  everyMs: number | undefined;
  forMs: number;
  testNotification: boolean;
}

const MIN_WATCH_EVERY_MS = 10_000;
/** The watch stops by itself; a scheduler starts the next. */
const MAX_WATCH_FOR_MS = 7 * 24 * 3_600_000;

/** Resolves the watch's scheduling flags; problems go to `problems`. */
export function watchOptions(
  flags: ReadonlyMap<string, string | true>,
  get: (flag: string) => { value?: string; from: string },
  duration: (flag: string, fallback: string) => number,
  problems: string[],
): WatchOptions {
  const once = flags.get("once") === true;
  const { value: everyText, from: everyFrom } = get("every");
  let everyMs: number | undefined;
  if (everyText !== undefined) {
    everyMs = parseDuration(everyText);
    if (everyMs === undefined || everyMs < MIN_WATCH_EVERY_MS) {
      problems.push(
        `${everyFrom}="${everyText}" is not a check interval. Use 10s or more, e.g. 5m.`,
      );
      everyMs = undefined;
    }
    if (once) problems.push("--once and --every exclude each other: pick one.");
  }
  const forMs = duration("for", CLI_DEFAULTS.watchFor);
  if (forMs > MAX_WATCH_FOR_MS)
    problems.push("--for is at most 7d; the watch stops by itself, a scheduler starts it again.");
  return {
    everyMs: once ? undefined : everyMs,
    forMs: Math.min(forMs, MAX_WATCH_FOR_MS),
    testNotification: flags.get("test-notification") === true,
  };
}
