import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  type BenchCommand,
  benchUsage,
  oneOf,
  parseBenchArgs,
  wholeNumber,
} from "./benchCommand.ts";

const COMMAND: BenchCommand<"seconds" | "mode"> = {
  name: "bench:example",
  about: "An example.",
  options: {
    seconds: {
      takes: "<s>",
      default: "10",
      description: "How long.",
      check: wholeNumber(1, 60, "seconds"),
    },
    mode: { takes: "a|b", default: "a", description: "Which.", check: oneOf(["a", "b"]) },
  },
  notes: ["A note."],
};

describe("parseBenchArgs", () => {
  it("gives every option its default when not given, and the given value when it is", () => {
    expect(parseBenchArgs(COMMAND, [])).toEqual({
      help: false,
      values: { seconds: "10", mode: "a" },
      problems: [],
    });
    expect(parseBenchArgs(COMMAND, ["--seconds", "5", "--mode=b"])).toEqual({
      help: false,
      values: { seconds: "5", mode: "b" },
      problems: [],
    });
  });

  it("names each bad value with what it must be", () => {
    const args = parseBenchArgs(COMMAND, ["--seconds", "1.5", "--mode", "c"]);
    expect(args.help === false && args.problems).toEqual([
      '--seconds "1.5": use whole seconds 1-60.',
      '--mode "c": use one of a, b.',
    ]);
  });

  it("an unknown flag or a stray argument is a problem that lists the options, not ignored", () => {
    for (const argv of [["--second", "5"], ["5"]]) {
      const args = parseBenchArgs(COMMAND, argv);
      expect(args.help === false && args.problems).toEqual([
        expect.stringMatching(/; options: --help, --seconds, --mode\.$/),
      ]);
    }
  });

  it("--help wins", () => {
    expect(parseBenchArgs(COMMAND, ["--seconds", "x", "--help"])).toEqual({ help: true });
  });
});

describe("benchUsage", () => {
  it("is generated from the table: synopsis, every option with its default, the notes", () => {
    expect(benchUsage(COMMAND)).toBe(
      [
        "Usage: pnpm bench:example [--seconds <s>] [--mode a|b]",
        "",
        "An example.",
        "",
        "Options:",
        "  --seconds <s>  How long. (default 10)",
        "  --mode a|b     Which. (default a)",
        "",
        "A note.",
        "",
      ].join("\n"),
    );
  });
});

function run(script: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["--import", "tsx", script, ...args],
      { timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        done({ code, out: stdout, err: stderr });
      },
    );
  });
}

describe("the bench scripts read their command lines through the table", () => {
  const scripts = [
    ["bench/stackBench.ts", ["--scenario", "--duration", "--warmup", "--users"]],
    ["bench/engineBench.ts", ["--seconds", "--sustained"]],
    ["bench/smokeBench.ts", ["--runs"]],
    ["bench/probeBench.ts", ["--runs"]],
    ["bench/accuracyBench.ts", []],
  ] as const;

  it.each(scripts)(
    "%s: --help is exit 0 and names every option; a bad flag is exit 2 before any work",
    async (script, flags) => {
      const help = await run(script, ["--help"]);
      expect(help.code).toBe(0);
      for (const flag of flags) expect(help.out).toContain(`  ${flag} `);
      const bad = await run(script, ["--no-such-flag"]);
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/^Unknown option '--no-such-flag'; options: --help/);
      expect(bad.out).toBe("");
    },
  );
});
