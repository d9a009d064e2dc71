import { CLI_DEFAULTS, type OptionSpec } from "./optionSpec.ts";

/** The watch's options: once, every, for how long, a test notification. */
export const WATCH_FLAGS: readonly OptionSpec[] = [
  {
    flag: "once",
    description:
      "One check, then exit (the default; what cron, a systemd timer or a CronJob runs).",
    commands: ["watch"],
  },
  {
    flag: "every",
    takes: "<duration>",
    description:
      "Check again every <duration> (at least 10s, e.g. 5m) until --for has passed or Ctrl-C.",
    commands: ["watch"],
  },
  {
    flag: "for",
    takes: "<duration>",
    default: CLI_DEFAULTS.watchFor,
    description: "With --every: stop by itself after this long (at most 7d).",
    commands: ["watch"],
  },
  {
    flag: "test-notification",
    description:
      "Send one clearly marked test message through every configured notifier; exit 0 only when each delivered it.",
    commands: ["watch"],
  },
];
