import { exitCodesLine } from "../lib/exitCodes.ts";
import { helpTable } from "../lib/helpTable.ts";
import { OPTIONS } from "./cliOptions.ts";
import { COMMANDS, type CommandName, USAGE } from "./commands.ts";

/** `--help`, generated from OPTIONS so it cannot drift from the parser. */
export function helpText(command: CommandName | undefined): string {
  if (!command) {
    return [
      "Usage: pnpm harness <command> [options]",
      "",
      "Commands:",
      ...helpTable(Object.entries(COMMANDS)),
      "",
      "Run `pnpm harness <command> --help` for its options.",
      "",
    ].join("\n");
  }
  const rows = OPTIONS.filter((o) => o.commands.includes(command)).map((o): [string, string] => {
    const extra = [
      o.env ? `env ${o.env}` : "",
      o.fromConfig ? `config defaults.${o.fromConfig}` : "",
      o.default ? `default ${o.default}` : "",
    ]
      .filter(Boolean)
      .join("; ");
    return [
      `--${o.flag}${o.takes ? ` ${o.takes}` : ""}`,
      `${o.description}${extra ? ` (${extra})` : ""}`,
    ];
  });
  return [
    `Usage: pnpm harness ${USAGE[command] ?? `${command} [options]`}`,
    "",
    COMMANDS[command],
    "",
    "Options (precedence: flag > env > config file defaults > default):",
    ...helpTable(rows),
    "",
    exitCodesLine(),
    "",
  ].join("\n");
}
