/*
 * The profile's key reference, docs/profile.md: every key of every section
 * at every depth, with its type and its description, generated from the
 * JSON Schema the zod schemas make (tools/profileJsonSchema.ts). A key's
 * words live in one place, its schema's `.meta`; this file is their only
 * page, and `pnpm lint:docs` keeps it so (`keyProblems`).
 */

/** Where the key reference is kept (checked by `pnpm lint:docs`, rewritten by `--write`). */
export const PROFILE_KEYS_PATH = "docs/profile.md";

/** One key of the profile: `probe.http.rateLimit.limit`; `*` is any name of a record, `[]` an entry of a list. */
export interface ProfileKey {
  path: string;
  type: string;
  required: boolean;
  description?: string;
}

interface Node {
  type?: string | string[];
  description?: string;
  properties?: Record<string, Node>;
  required?: string[];
  items?: Node;
  additionalProperties?: Node | boolean;
  propertyNames?: Node;
  anyOf?: Node[];
  oneOf?: Node[];
  allOf?: Node[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
}

/** Every key of a JSON Schema, depth first, in the schema's own order; a key reached by several alternatives is listed once. */
export function profileKeys(jsonSchema: object): ProfileKey[] {
  const schema = jsonSchema as Node;
  const keys = new Map<string, ProfileKey>();
  const walk = (node: Node, at: string) => {
    const alternatives = [...(node.anyOf ?? []), ...(node.oneOf ?? [])];
    for (const alternative of [...alternatives, ...(node.allOf ?? [])]) walk(alternative, at);
    // A key of some kinds only (a union's alternatives) is required only where every kind requires it.
    for (const name of new Set(alternatives.flatMap((a) => Object.keys(a.properties ?? {})))) {
      const key = keys.get(at ? `${at}.${name}` : name);
      if (key) key.required = alternatives.every((a) => (a.required ?? []).includes(name));
    }
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const path = at ? `${at}.${name}` : name;
      const seen = keys.get(path);
      const description = seen?.description ?? child.description;
      keys.set(path, {
        path,
        type: seen ? mergeTypes(seen.type, typeOf(child)) : typeOf(child),
        required: (seen?.required ?? true) && (node.required ?? []).includes(name),
        ...(description ? { description } : {}),
      });
      walk(child, path);
    }
    if (node.items) walk(node.items, `${at}[]`);
    if (typeof node.additionalProperties === "object") walk(node.additionalProperties, `${at}.*`);
  };
  walk(schema, "");
  return [...keys.values()];
}

function mergeTypes(a: string, b: string): string {
  return [...new Set([...a.split(" | "), ...b.split(" | ")])].join(" | ");
}

/** A key's type as a reader says it: `string`, `"hmac" | "stripe"`, `list of object`, `function`. */
function typeOf(node: Node): string {
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(" | ");
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives) return [...new Set(alternatives.map(typeOf))].join(" | ");
  const type = Array.isArray(node.type) ? node.type.join(" | ") : node.type;
  if (type === "array") return `list of ${node.items ? typeOf(node.items) : "any"}`;
  if (type === "object" && !node.properties && typeof node.additionalProperties === "object")
    return `object of ${typeOf(node.additionalProperties)} by name`;
  if (type === "string" && node.format === "uri") return "URL";
  if (type) return type;
  return node.description?.startsWith("A function") ? "function" : "any";
}

/** Markdown text of a cell: no pipe or line break may end the cell early. */
const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** docs/profile.md: one table per section, every key with its type, whether required, and what it is. */
export function profileKeysPage(keys: readonly ProfileKey[]): string {
  const sections = new Map<string, ProfileKey[]>();
  for (const key of keys) {
    const top = key.path.split(/[.[]/)[0] ?? key.path;
    const section = ["smoke", "load", "probe", "watch", "sweep"].includes(top) ? top : "core";
    sections.set(section, [...(sections.get(section) ?? []), key]);
  }
  const lines = [
    "# Profile keys",
    "",
    "Every key of a target profile (what a target's `setup()` returns in a",
    "harness config), at every depth: `*` is a name you choose (a service, a",
    "scenario, a receiver), `[]` an entry of a list. Generated from",
    "`lib/config/schemas/` by `pnpm lint:docs --write`; do not edit: a key's",
    "words are its schema's `.meta`. The same schema as JSON Schema, for an",
    "editor: [profile.schema.json](profile.schema.json).",
    "",
  ];
  for (const [section, rows] of sections) {
    lines.push(`## ${section}`, "", "| key | type | | what |", "|---|---|---|---|");
    for (const key of rows)
      lines.push(
        `| \`${key.path}\` | ${cell(key.type)} | ${key.required ? "required" : "optional"} | ${cell(key.description ?? "")} |`,
      );
    lines.push("");
  }
  return lines.join("\n");
}

/**
 * What keeps each key documented in exactly one place: every key has its
 * words (in its schema), and no other page's table defines a key again (a
 * row whose first cell is a key's path, whole or under a path its table's
 * header names, e.g. `| setting (\`watch.settings\`) |` then `| \`dlqMax\` |`).
 */
export function keyProblems(
  keys: readonly ProfileKey[],
  pages: readonly { file: string; text: string }[],
): string[] {
  const problems = keys
    .filter((key) => !key.description)
    .map(
      (key) =>
        `profile key ${key.path} has no description: add .meta({ description }) to it in lib/config/schemas/, then pnpm lint:docs --write.`,
    );
  const paths = new Set(keys.map((k) => k.path));
  for (const { file, text } of pages) {
    if (file === PROFILE_KEYS_PATH) continue;
    let under: string[] = [];
    let row = -1;
    for (const [index, line] of text.split("\n").entries()) {
      row = line.startsWith("|") ? row + 1 : -1;
      if (row < 0 || /^\|\s*:?-/.test(line)) continue;
      const first = line.split("|")[1] ?? "";
      const named = [...first.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "");
      // A table's header: the paths it names are where the keys of its rows live.
      if (row === 0) {
        under = named.filter((n) => paths.has(n));
        continue;
      }
      for (const name of named) {
        const defined = [name, ...under.map((u) => `${u}.${name}`)].find((p) => paths.has(p));
        if (defined)
          problems.push(
            `${file}:${index + 1}: a table defines profile key ${defined} again; ${PROFILE_KEYS_PATH} is its one place (its words are its schema's .meta): link there instead.`,
          );
      }
    }
  }
  return problems;
}
