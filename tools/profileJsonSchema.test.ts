import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { PROFILE_JSON_SCHEMA_PATH, profileJsonSchema } from "./profileJsonSchema.ts";

const root = resolve(import.meta.dirname, "..");

/** A profile's JSON-able parts, as a reviewer's editor sees them (functions are any value there). */
const profile = {
  services: { app: { url: "http://127.0.0.1:3000", healthPath: "/health" } },
  databases: {},
  secrets: [],
  probe: {
    http: {
      rateLimit: { service: "app", method: "POST", path: "/login", limit: 5, windowMs: 60_000 },
    },
    cleanup: [],
  },
};

describe("docs/profile.schema.json, the profile's JSON Schema for editors and reviewers", () => {
  it("is what the zod schemas generate (pnpm lint:docs --write rewrites it)", async () => {
    expect(await readFile(resolve(root, PROFILE_JSON_SCHEMA_PATH), "utf8")).toBe(
      profileJsonSchema(),
    );
  });

  it("compiles under ajv's strict draft 2020-12, takes a healthy profile and refuses a misspelt nested key", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(profileJsonSchema()));
    expect(validate(profile), JSON.stringify(validate.errors)).toBe(true);
    const typo = structuredClone(profile);
    (typo.probe.http.rateLimit as Record<string, unknown>).limt = 5;
    expect(validate(typo)).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({
      instancePath: "/probe/http/rateLimit",
      params: { additionalProperty: "limt" },
    });
    expect(
      validate({
        ...profile,
        probe: {
          ...profile.probe,
          http: { rateLimit: { ...profile.probe.http.rateLimit, limit: 0 } },
        },
      }),
    ).toBe(false);
  });
});
