import { pathToFileURL } from "node:url";
import { ConfigError } from "../lib/errors.ts";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { runEntry } from "../lib/runEntry.ts";
import { COMMANDS, parseArgs, resolveOptions } from "./commandLine.ts";
import { helpText } from "./helpText.ts";

/*
 * The harness CLI's entry: the arguments parsed, --help printed, and each
 * command loaded only when it runs (a command on a target loads the
 * drivers; --help, init, signoff and merge do not).
 */

type Env = Readonly<Record<string, string | undefined>>;

export async function main(argv: readonly string[], env: Env): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.flags.get("help") === true) {
    process.stdout.write(helpText(parsed.command));
    return exitCodeFor("pass");
  }
  const { command } = parsed;
  if (!command) {
    process.stderr.write(helpText(undefined));
    throw new ConfigError(
      [...parsed.problems, `No command given: use ${Object.keys(COMMANDS).join(", ")}.`],
      "Usage error",
    );
  }
  // The sign-off reads run folders: no config file, no target, nothing to interrupt.
  if (command === "signoff") {
    const { options, problems } = resolveOptions(parsed, env, {});
    if (parsed.problems.length + problems.length > 0)
      throw new ConfigError([...parsed.problems, ...problems], "Usage error");
    // Loaded only for the sign-off: its readers (the schema validator) cost every other command's start.
    const { signoffCommand } = await import("./signoffCommand.ts");
    return signoffCommand(options.signoff);
  }
  // init writes a config: there is none to load yet.
  if (command === "init") {
    const { options, problems } = resolveOptions(parsed, env, {});
    if (parsed.problems.length + problems.length > 0)
      throw new ConfigError([...parsed.problems, ...problems], "Usage error");
    const { initCommand } = await import("./initCommand.ts");
    return initCommand(options.init);
  }
  // The merge reads shard folders: the plan travels in them, so no config file or target either.
  if (command === "merge") {
    const { options, problems } = resolveOptions(parsed, env, {});
    if (parsed.problems.length + problems.length > 0)
      throw new ConfigError([...parsed.problems, ...problems], "Usage error");
    const { mergeCommand } = await import("./mergeCommand.ts");
    return mergeCommand(options, env);
  }
  const { runTargetCommand } = await import("./targetCommand.ts");
  return runTargetCommand(parsed, command, env);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runEntry("harness", () => main(process.argv.slice(2), process.env));
}
