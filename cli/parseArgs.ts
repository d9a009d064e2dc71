import { OPTIONS } from "./cliOptions.ts";
import { COMMANDS, type CommandName } from "./commands.ts";

export interface ParsedArgs {
  command: CommandName | undefined;
  flags: Map<string, string | true>;
  problems: string[];
}

function isCommand(value: string | undefined): value is CommandName {
  return value !== undefined && Object.hasOwn(COMMANDS, value);
}

/** Splits argv into a command and flags; every problem is collected, not only the first. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  const problems: string[] = [];
  const [first, ...rest] = argv;
  const command = isCommand(first) ? first : undefined;
  let tokens = argv;
  if (command) {
    tokens = rest;
  } else if (first !== undefined && !first.startsWith("--")) {
    problems.push(`"${first}" is not a command. Commands: ${Object.keys(COMMANDS).join(", ")}.`);
    tokens = rest;
  }
  const known = OPTIONS.filter((o) => command === undefined || o.commands.includes(command));
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    // merge takes its shard folders as arguments too.
    if (!token.startsWith("--") && command === "merge") {
      const given = flags.get("shard");
      flags.set("shard", typeof given === "string" ? `${given}\n${token}` : token);
      continue;
    }
    if (!token.startsWith("--")) {
      problems.push(`Unexpected argument "${token}". Options start with --; see --help.`);
      continue;
    }
    const eq = token.indexOf("=");
    const name = token.slice(2, eq === -1 ? undefined : eq);
    const spec = known.find((o) => o.flag === name);
    if (!spec) {
      const allowed = known.map((o) => `--${o.flag}`).join(", ");
      problems.push(
        `--${name} is not an option${command ? ` of ${command}` : ""}. Allowed: ${allowed}.`,
      );
      // Another command's option: skip its value too, so it is not reported again as a stray.
      if (
        eq === -1 &&
        OPTIONS.find((o) => o.flag === name)?.takes &&
        !tokens[i + 1]?.startsWith("--")
      )
        i++;
      continue;
    }
    if (!spec.takes) {
      if (eq !== -1)
        problems.push(`--${name} is a switch and takes no value; drop "=${token.slice(eq + 1)}".`);
      flags.set(name, true);
      continue;
    }
    const given = flags.get(name);
    const value = eq !== -1 ? token.slice(eq + 1) : tokens[++i];
    if (value === undefined || value === "" || (eq === -1 && value.startsWith("--"))) {
      problems.push(`--${name} needs a value ${spec.takes}.`);
      if (eq === -1 && value?.startsWith("--")) i--;
      continue;
    }
    // A repeatable option keeps every value, in order, separated by a newline (no path holds one);
    // any other given twice is ambiguous, and which one wins is not for the harness to guess.
    if (typeof given === "string" && !spec.repeatable) {
      problems.push(`--${name} is given twice ("${given}", "${value}"): give it once.`);
      continue;
    }
    flags.set(name, typeof given === "string" ? `${given}\n${value}` : value);
  }
  return { command, flags, problems };
}
