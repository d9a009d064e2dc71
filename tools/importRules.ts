import { readFile } from "node:fs/promises";
import { dirname, join, normalize, relative } from "node:path";

/*
 * The layering, checked instead of remembered: one table of what each
 * top-level folder may import (Playwright's DEPS.list idea, in one place).
 * `pnpm lint` runs it (tools/importRulesCli.ts); a forbidden import is
 * reported with its file and line.
 */

export type Area =
  | "lib"
  | "smoke"
  | "load"
  | "watch"
  | "probe"
  | "cli"
  | "targets"
  | "fixtures"
  | "testkit"
  | "bench"
  | "tools"
  | "deploy"
  | "bin"
  | "examples"
  | "dist"
  | "root";

/** What each folder's modules may import (besides packages), and why. Tests: see TEST_MAY. */
export const IMPORT_RULES: Record<Area, { may: readonly Area[]; why: string }> = {
  lib: { may: ["lib"], why: "lib/ is shared by every suite and knows none of them" },
  smoke: { may: ["lib", "smoke"], why: "a suite uses lib/, never another suite" },
  load: { may: ["lib", "load"], why: "a suite uses lib/, never another suite" },
  watch: { may: ["lib", "watch"], why: "a suite uses lib/, never another suite" },
  probe: { may: ["lib", "probe"], why: "a suite uses lib/, never another suite" },
  cli: {
    may: ["lib", "smoke", "load", "watch", "probe", "cli"],
    why: "entry points run the suites; targets come from the config file",
  },
  targets: {
    may: ["lib", "targets", "fixtures"],
    why: "targets describe where a run goes; the local one starts the stack",
  },
  fixtures: { may: ["lib", "fixtures"], why: "the reference stack stands on its own" },
  testkit: {
    may: ["lib", "smoke", "load", "watch", "probe", "cli", "targets", "fixtures", "testkit"],
    why: "test support may reach anything the tests need",
  },
  bench: {
    may: ["lib", "smoke", "load", "probe", "targets", "fixtures", "testkit", "bench", "root"],
    why: "benchmarks drive the engine, the stack and the configured targets",
  },
  tools: {
    may: ["lib", "tools", "targets", "probe", "fixtures"],
    why: "repository tooling stands apart from the suites; it reads the tables the targets, the probe catalogue and the stack's faults own, to check the docs",
  },
  deploy: { may: [], why: "deployment files run the CLI; they import nothing" },
  bin: {
    may: ["cli", "lib", "dist"],
    why: "the bin starts the CLI through its entry runner: the build's (dist/) while fresh, else the source's",
  },
  examples: {
    may: ["lib"],
    why: "an example config is what a team writes: it uses lib/'s config types and run-id helpers only",
  },
  dist: {
    may: [],
    why: "the build (tools/buildDist.mjs), never tracked: the source's rules hold for it",
  },
  root: { may: ["lib", "targets"], why: "harness.config.ts names the targets" },
};

/** A test may also import test support, the targets and the stack's face, and the CLI it drives. */
const TEST_MAY: readonly Area[] = [
  "lib",
  "smoke",
  "load",
  "watch",
  "probe",
  "cli",
  "targets",
  "fixtures",
  "testkit",
];

/**
 * Rooms inside load/ and what each may not import (tests may reach across,
 * as everywhere). What both an engine and distribution read (k6's plan,
 * options and raw results) is load/k6format/; the plan's segments stay at
 * load/'s top.
 */
const ROOM_RULES: readonly { room: string; mayNot: readonly string[]; why: string }[] = [
  {
    room: "load/engines/",
    mayNot: ["load/distribute/"],
    why: "an engine drives one runner's traffic; splitting a run across runners sits above it",
  },
  {
    room: "load/distribute/",
    mayNot: ["load/engines/"],
    why: "distribution reads what runners wrote (load/k6format/), never an engine itself",
  },
  {
    room: "load/pool/",
    mayNot: ["load/engines/", "load/distribute/"],
    why: "the pool sampler watches the target, not the generator",
  },
  {
    room: "load/scenarios/",
    mayNot: ["load/engines/", "load/distribute/"],
    why: "what a run drives and how it is judged is the same on every engine and every split",
  },
  {
    room: "load/k6format/",
    mayNot: ["load/engines/", "load/distribute/"],
    why: "k6's file formats are read by both an engine and distribution",
  },
];

/** Outside fixtures/, the reference stack is entered through this module only. */
const FIXTURES_FACE = "fixtures/referenceStack.ts";

/** What the k6 scripts may import: k6 itself and runtime-neutral modules (no Node API). */
const RUNTIME_NEUTRAL = [
  "load/scenarios/scenarios.ts",
  "load/scenarios/stages.ts",
  "load/executionSegment.ts",
  "load/scenarios/thresholds.ts",
  "lib/thresholdCondition.ts",
  "load/k6format/k6Options.ts",
  "load/k6format/k6Plan.ts",
  "lib/webhookSigning.ts",
  "lib/webhookSchemes.ts",
  "lib/expectedStatuses.ts",
  // Data: the shared signing vectors the self-check verifies under k6.
  "lib/webhookSigningVectors.json",
] as const;

const K6_SCRIPTS = "load/engines/k6/scripts/";

export interface ImportProblem {
  file: string;
  line: number;
  message: string;
}

/** `import … from "x"`, `export … from "x"`, `import("x")`: the specifier, whether type-only, and its line. */
function importsOf(text: string): { spec: string; typeOnly: boolean; line: number }[] {
  const out: { spec: string; typeOnly: boolean; line: number }[] = [];
  const pattern =
    /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  for (const match of text.matchAll(pattern)) {
    const spec = match[3] ?? match[4];
    if (!spec) continue;
    // The line of the keyword itself (the match may start with the blank lines before it).
    const at = match.index + (match[1] ? match[0].indexOf(match[1]) : 0);
    out.push({
      spec,
      typeOnly: match[2] !== undefined,
      line: text.slice(0, at).split("\n").length,
    });
  }
  return out;
}

function areaOf(file: string): Area {
  const first = file.split("/")[0] ?? "";
  return (first in IMPORT_RULES && file.includes("/") ? first : "root") as Area;
}

/** Every forbidden import among `files` (paths relative to the repository root). */
export function importProblems(files: readonly { path: string; text: string }[]): ImportProblem[] {
  const problems: ImportProblem[] = [];
  for (const { path: file, text } of files) {
    const from = areaOf(file);
    const isTest = file.endsWith(".test.ts");
    const isK6Script = file.startsWith(K6_SCRIPTS);
    const isNeutral = (RUNTIME_NEUTRAL as readonly string[]).includes(file);
    for (const { spec, typeOnly, line } of importsOf(text)) {
      const report = (message: string) => problems.push({ file, line, message });
      if (!spec.startsWith(".")) {
        const isK6 = spec === "k6" || spec.startsWith("k6/");
        if ((isK6Script || isNeutral) && !isK6 && !typeOnly)
          report(
            `"${spec}": a k6 script and what it imports run in k6, not Node; only k6 and runtime-neutral modules.`,
          );
        continue;
      }
      const target = normalize(join(dirname(file), spec));
      if (target.startsWith("..")) {
        report(`"${spec}" leaves the repository.`);
        continue;
      }
      const to = areaOf(target);
      if ((isK6Script || isNeutral) && !typeOnly) {
        const neutral =
          (RUNTIME_NEUTRAL as readonly string[]).includes(target) || target.startsWith(K6_SCRIPTS);
        if (!neutral)
          report(
            `"${spec}" (${target}) is not runtime-neutral: k6 scripts import only ${RUNTIME_NEUTRAL.join(", ")}.`,
          );
      }
      if (!isTest)
        for (const rule of ROOM_RULES)
          if (file.startsWith(rule.room))
            for (const other of rule.mayNot)
              if (target.startsWith(other))
                report(`${rule.room} may not import ${other} ("${spec}"): ${rule.why}.`);
      if (to === "fixtures" && from !== "fixtures" && target !== FIXTURES_FACE)
        report(
          `"${spec}": outside fixtures/, the reference stack is entered through ${FIXTURES_FACE} only.`,
        );
      // The stack's own tests use test support too; it enters the stack through the face.
      const may = isTest
        ? from === "fixtures"
          ? ["lib", "fixtures", "testkit"]
          : [...TEST_MAY, from]
        : IMPORT_RULES[from].may;
      if (to !== from && !may.includes(to))
        report(
          `${from}/ may not import ${to}/ ("${spec}"): ${IMPORT_RULES[from].why}. Allowed: ${IMPORT_RULES[from].may.join(", ") || "nothing"}.`,
        );
    }
  }
  return problems;
}

/** The repository's TypeScript and JavaScript sources (`git ls-files` output), read. */
export async function readSources(
  root: string,
  paths: readonly string[],
): Promise<{ path: string; text: string }[]> {
  const sources = paths.filter((p) => /\.(ts|mjs|js)$/.test(p) && !p.endsWith(".d.ts"));
  return Promise.all(
    sources.map(async (path) => ({
      path: relative(root, join(root, path)),
      text: await readFile(join(root, path), "utf8"),
    })),
  );
}
