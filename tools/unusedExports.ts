import { dirname, join, normalize } from "node:path";

/*
 * Exported values nothing imports: a module's surface should be what others
 * use, so an export nobody imports is either dead code or private by
 * mistake. `pnpm lint:imports` reports each with its file and line.
 * Values only (functions, consts, classes, enums): exported types that
 * describe a function's parameters are part of its surface whether or not
 * a caller names them. A test importing a value counts as a use.
 */

export interface UnusedExport {
  file: string;
  line: number;
  name: string;
}

/** Modules whose exports are a runtime's contract, not imports: k6 reads a script's options and functions. */
const EXPORTS_FOR_A_RUNTIME = [
  "load/engines/k6/scripts/",
  // Node calls a hooks module's initialize, resolve and load (module.register).
  "lib/config/compiledConfigHooks.mjs",
];

const EXPORTED_VALUE =
  /^export\s+(?:async\s+)?(?:function\*?|const|let|class|abstract\s+class|enum)\s+([A-Za-z_$][\w$]*)/gm;

/** What `text` takes from other modules: per resolved path, the names, or "all" (namespace, dynamic, `export *`). */
function importedNames(file: string, text: string): Map<string, Set<string> | "all"> {
  const out = new Map<string, Set<string> | "all">();
  const add = (spec: string, names: string[] | "all") => {
    if (!spec.startsWith(".")) return;
    const target = normalize(join(dirname(file), spec));
    const known = out.get(target);
    if (names === "all" || known === "all") {
      out.set(target, "all");
      return;
    }
    const set = known ?? new Set<string>();
    for (const n of names) set.add(n);
    out.set(target, set);
  };
  const clause = /(?:^|\n)\s*(import|export)\s+(?:type\s+)?([^"';]*?)\s+from\s+["']([^"']+)["']/g;
  for (const m of text.matchAll(clause)) {
    const [, , what = "", spec = ""] = m;
    if (/^\*(?!\s+as)/.test(what) || /\*\s+as\s+/.test(what)) {
      add(spec, "all");
      continue;
    }
    const braces = /\{([^}]*)\}/.exec(what)?.[1];
    const names = (braces ?? "")
      .split(",")
      .map((n) =>
        n
          .trim()
          .replace(/^type\s+/, "")
          .split(/\s+as\s+/)[0]
          ?.trim(),
      )
      .filter((n): n is string => Boolean(n));
    const beforeBraces = what
      .replace(/\{[^}]*\}/, "")
      .replace(/,/g, "")
      .trim();
    if (beforeBraces) names.push("default");
    add(spec, names);
  }
  for (const m of text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) add(m[1] ?? "", "all");
  return out;
}

/** Every exported value among `files` (paths from the repository root) that no other file imports. */
export function unusedExports(files: readonly { path: string; text: string }[]): UnusedExport[] {
  const used = new Map<string, Set<string> | "all">();
  for (const { path, text } of files) {
    for (const [target, names] of importedNames(path, text)) {
      const known = used.get(target);
      if (names === "all" || known === "all") used.set(target, "all");
      else used.set(target, new Set([...(known ?? []), ...names]));
    }
  }
  const unused: UnusedExport[] = [];
  for (const { path, text } of files) {
    const names = used.get(path);
    if (names === "all" || EXPORTS_FOR_A_RUNTIME.some((dir) => path.startsWith(dir))) continue;
    for (const m of text.matchAll(EXPORTED_VALUE)) {
      const name = m[1] ?? "";
      if (names?.has(name)) continue;
      unused.push({ file: path, line: text.slice(0, m.index).split("\n").length, name });
    }
  }
  return unused;
}
