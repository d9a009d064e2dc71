import { parseArgs } from "node:util";
import { exitCodeFor } from "../lib/exitCodes.ts";
import { helpTable } from "../lib/helpTable.ts";
import { runEntry } from "../lib/runEntry.ts";

/*
 * The bench scripts' command lines, one way: each script declares a table
 * of its options (placeholder, default, description, what a value must
 * be); the parser and `--help` both read it, as the harness CLI's do. An
 * unknown flag or a bad value is exit 2 with the usage; `--help` is exit 0.
 */

export interface BenchOption {
  /** The value's placeholder in the usage, e.g. `<s>`. */
  takes: string;
  default: string;
  description: string;
  /** What is wrong with a value, in a phrase (`use whole seconds 1-120`); undefined when it is fine. */
  check?: (value: string) => string | undefined;
}

export interface BenchCommand<K extends string> {
  /** The pnpm script, e.g. `bench:engine`. */
  name: string;
  /** What it does, in a sentence or two; wrapped as given. */
  about: string;
  options: Readonly<Record<K, BenchOption>>;
  /** Paragraphs after the options (what a column means, what it needs). */
  notes?: readonly string[];
}

/** A whole number in [min, max] (`unit` names it in the message: `seconds`). */
export function wholeNumber(min: number, max: number, unit = ""): BenchOption["check"] {
  return (value) => {
    const n = Number(value);
    return /^\d+$/.test(value) && n >= min && n <= max
      ? undefined
      : `use whole ${unit ? `${unit} ` : "numbers "}${min}-${max}`;
  };
}

/** One of `choices`. */
export function oneOf(choices: readonly string[]): BenchOption["check"] {
  return (value) => (choices.includes(value) ? undefined : `use one of ${choices.join(", ")}`);
}

/** `--help`, generated from the table. */
export function benchUsage<K extends string>(command: BenchCommand<K>): string {
  const entries = Object.entries(command.options) as [K, BenchOption][];
  const synopsis = entries.map(([flag, o]) => ` [--${flag} ${o.takes}]`).join("");
  const rows = entries.map(([flag, o]): [string, string] => [
    `--${flag} ${o.takes}`,
    `${o.description} (default ${o.default})`,
  ]);
  return [
    `Usage: pnpm ${command.name}${synopsis}`,
    "",
    command.about,
    "",
    ...(rows.length > 0 ? ["Options:", ...helpTable(rows), ""] : []),
    ...(command.notes ?? []).flatMap((note) => [note, ""]),
  ].join("\n");
}

export type BenchArgs<K extends string> =
  | { help: true }
  | { help: false; values: Record<K, string>; problems: string[] };

/** The command line read against the table: every option's value (its default when not given) and the problems. */
export function parseBenchArgs<K extends string>(
  command: BenchCommand<K>,
  argv: readonly string[],
): BenchArgs<K> {
  const entries = Object.entries(command.options) as [K, BenchOption][];
  let parsed: { values: Record<string, string | boolean | undefined> };
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: "boolean" },
        ...Object.fromEntries(entries.map(([flag]) => [flag, { type: "string" as const }])),
      },
    });
  } catch (error) {
    const known = ["--help", ...entries.map(([flag]) => `--${flag}`)].join(", ");
    return {
      help: false,
      values: Object.fromEntries(entries.map(([flag, o]) => [flag, o.default])) as Record<
        K,
        string
      >,
      problems: [
        `${(error as Error).message.split("\n")[0]?.replace(/\.$/, "")}; options: ${known}.`,
      ],
    };
  }
  if (parsed.values.help === true) return { help: true };
  const values = {} as Record<K, string>;
  const problems: string[] = [];
  for (const [flag, option] of entries) {
    const given = parsed.values[flag];
    const value = typeof given === "string" ? given : option.default;
    const problem = option.check?.(value);
    if (problem) problems.push(`--${flag} "${value}": ${problem}.`);
    values[flag] = value;
  }
  return { help: false, values, problems };
}

/**
 * A bench script's entry: its command line read against the table (help →
 * exit 0, problems → exit 2 with the usage), then `main` with the values,
 * ended through runEntry like every other entry point.
 */
export function benchEntry<K extends string>(
  command: BenchCommand<K>,
  main: (values: Record<K, string>) => Promise<number>,
  argv: readonly string[] = process.argv.slice(2),
): void {
  runEntry(command.name, async () => {
    const args = parseBenchArgs(command, argv);
    if (args.help) {
      process.stdout.write(benchUsage(command));
      return exitCodeFor("pass");
    }
    if (args.problems.length > 0) {
      process.stderr.write(`${args.problems.join("\n")}\n\n${benchUsage(command)}`);
      return exitCodeFor("usageOrConfig");
    }
    return main(args.values);
  });
}
