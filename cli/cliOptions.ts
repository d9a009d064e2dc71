import { INIT_FLAGS } from "./flags/initFlags.ts";
import { LOAD_FLAGS } from "./flags/loadFlags.ts";
import { MANIFEST_FLAGS } from "./flags/manifestFlags.ts";
import { ALL, GENERATORS, type OptionSpec } from "./flags/optionSpec.ts";
import { SIGNOFF_FLAGS } from "./flags/signoffFlags.ts";
import { TARGET_FLAGS } from "./flags/targetFlags.ts";
import { WATCH_FLAGS } from "./flags/watchFlags.ts";

/*
 * The one table of the harness CLI's options: the parser, the precedence and
 * `--help` all read it (cli/commandLine.ts); the commands are cli/commands.ts.
 * Each group of options is its own table in cli/flags/.
 */

export { CLI_DEFAULTS, type OptionSpec } from "./flags/optionSpec.ts";

/** The one list of options, in --help's order. */
export const OPTIONS: readonly OptionSpec[] = [
  ...TARGET_FLAGS,
  ...LOAD_FLAGS,
  ...WATCH_FLAGS,
  ...SIGNOFF_FLAGS,
  ...MANIFEST_FLAGS,
  ...INIT_FLAGS,
  {
    flag: "help",
    description: "Show this help.",
    commands: [...ALL, "signoff", "merge", ...GENERATORS, "init"],
  },
];
