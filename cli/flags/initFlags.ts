import type { OptionSpec } from "./optionSpec.ts";

/** `harness init`'s options: the kind of target, and whether an existing file may be replaced. */
export const INIT_FLAGS: readonly OptionSpec[] = [
  {
    flag: "kind",
    takes: "<kind>",
    description:
      "init: the kind of target: stripe-app, whop-app, telegram-mini-app, whatsapp-portal, line-bot or generic.",
    commands: ["init"],
  },
  {
    flag: "force",
    description: "init: replace the file at --out if it exists.",
    commands: ["init"],
  },
];
