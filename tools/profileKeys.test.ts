import { describe, expect, it } from "vitest";
import { profileJsonSchema } from "./profileJsonSchema.ts";
import { keyProblems, profileKeys, profileKeysPage } from "./profileKeys.ts";

/* Every key of the profile documented in exactly one place: its schema's words, on docs/profile.md. */

const schema = {
  type: "object",
  properties: {
    services: {
      type: "object",
      description: "Services by name.",
      additionalProperties: {
        type: "object",
        properties: { url: { type: "string", format: "uri", description: "Base URL." } },
        required: ["url"],
      },
    },
    watch: {
      type: "object",
      description: "The watch.",
      properties: {
        settings: {
          type: "object",
          description: "Settings.",
          properties: { dlqMax: { type: "integer" } },
        },
      },
    },
    queue: {
      description: "Where dead letters go.",
      anyOf: [
        {
          type: "object",
          properties: { kind: { const: "failedSet", description: "Which kind." } },
          required: ["kind"],
        },
        {
          type: "object",
          properties: {
            kind: { const: "queue" },
            name: { type: "string", description: "Its name." },
          },
          required: ["kind", "name"],
        },
      ],
    },
  },
  required: ["services"],
};

describe("profileKeys", () => {
  const keys = profileKeys(schema);
  const byPath = Object.fromEntries(keys.map((k) => [k.path, k]));

  it("lists every key at every depth: records as *, a union's keys once, required only where every kind requires them", () => {
    expect(keys.map((k) => k.path)).toEqual([
      "services",
      "services.*.url",
      "watch",
      "watch.settings",
      "watch.settings.dlqMax",
      "queue",
      "queue.kind",
      "queue.name",
    ]);
    expect(byPath["services.*.url"]).toMatchObject({ type: "URL", required: true });
    expect(byPath["queue.kind"]).toMatchObject({ type: '"failedSet" | "queue"', required: true });
    expect(byPath["queue.name"]?.required).toBe(false);
    expect(profileKeysPage(keys)).toContain("| `services.*.url` | URL | required | Base URL. |");
  });

  it("a key without words is a problem naming it and where its words go", () => {
    expect(keyProblems(keys, [])).toEqual([
      "profile key watch.settings.dlqMax has no description: add .meta({ description }) to it in lib/config/schemas/, then pnpm lint:docs --write.",
    ]);
  });

  it("a table elsewhere that defines a key again is a problem, whole or under a path its header names", () => {
    const described = keys.map((k) => ({ ...k, description: k.description ?? "x" }));
    const page = [
      "| key | what |",
      "|---|---|",
      "| `services.*.url` | the URL |",
      "",
      "| setting (`watch.settings`) | default |",
      "|---|---|",
      "| `dlqMax` | 10 |",
    ].join("\n");
    expect(keyProblems(described, [{ file: "watch/README.md", text: page }])).toEqual([
      expect.stringContaining(
        "watch/README.md:3: a table defines profile key services.*.url again",
      ),
      expect.stringContaining(
        "watch/README.md:7: a table defines profile key watch.settings.dlqMax again",
      ),
    ]);
  });

  it("a table that merely names files, or words that happen to be keys in prose, is no second place", () => {
    const described = keys.map((k) => ({ ...k, description: k.description ?? "x" }));
    const page = [
      "The `watch.settings` key and `dlqMax` are in profile.md.",
      "",
      "| file | what |",
      "|---|---|",
      "| `watchSection.ts` | reads `watch.settings` |",
    ].join("\n");
    expect(keyProblems(described, [{ file: "watch/README.md", text: page }])).toEqual([]);
  });

  it("the real profile: every key has its words", () => {
    const real = profileKeys(JSON.parse(profileJsonSchema()));
    expect(real.length).toBeGreaterThan(300);
    expect(real.filter((k) => !k.description).map((k) => k.path)).toEqual([]);
  });
});
