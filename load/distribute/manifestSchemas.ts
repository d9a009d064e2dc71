import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse, stringify } from "yaml";
import { packageFile } from "../../lib/packageFile.ts";

/*
 * The manifests the harness generates (a k6-operator TestRun, its
 * ConfigMap and Secret, a results claim, a Kubernetes Indexed Job), checked
 * before anyone applies them: the TestRun against the operator's own CRD
 * schema (schemas/k6.io_testruns.yaml, v1.6.0, Apache-2.0, unchanged), the
 * Job with the CRD's own Container, EnvVar and Volume schemas, each once as
 * the API server would and once strictly. A cluster prunes fields a schema
 * does not define, silently: a misspelt `paralelism` would be dropped and
 * the run would go out with the default. So the strict pass rejects every
 * field a schema does not name, and the operator's rules (exactly one
 * script source, parallelism ≥ 1) are checked beside it.
 */

type Schema = Record<string, unknown>;

const CRD_FILE = packageFile("load/distribute/schemas/k6.io_testruns.yaml");

let testRun: Schema | undefined;

/** The TestRun's OpenAPI v3 schema, as the CRD ships it. */
function testRunSchema(): Schema {
  if (testRun) return testRun;
  const crd = parse(readFileSync(CRD_FILE, "utf8")) as {
    spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
  };
  const version = crd.spec.versions.find((v) => v.name === "v1alpha1");
  if (!version) throw new Error(`${CRD_FILE.pathname} has no v1alpha1 version`);
  testRun = version.schema.openAPIV3Schema;
  return testRun;
}

/**
 * A copy in which every object that names its properties allows no others
 * (unless it says it keeps unknown fields): what the API server would prune
 * is a problem instead.
 */
export function strictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (!schema || typeof schema !== "object") return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) out[key] = strictSchema(value);
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    out["x-kubernetes-preserve-unknown-fields"] !== true
  )
    out.additionalProperties = false;
  return out;
}

/** Object metadata as the harness writes it: a DNS-1123 name, and nothing it does not mean. */
const METADATA: Schema = {
  type: "object",
  required: ["name"],
  properties: {
    name: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 },
    namespace: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 },
    labels: { type: "object", additionalProperties: { type: "string" } },
    annotations: { type: "object", additionalProperties: { type: "string" } },
  },
};

function kindOf(apiVersion: string, kind: string, spec: Schema, required: string[]): Schema {
  return {
    type: "object",
    required: ["apiVersion", "kind", "metadata", ...required],
    properties: {
      apiVersion: { const: apiVersion },
      kind: { const: kind },
      metadata: METADATA,
      ...spec,
    },
  };
}

/** Schemas by kind; the Job's parts are the CRD's own core schemas (what the operator embeds). */
function schemas(): Record<string, Schema> {
  const runner = (
    (testRunSchema().properties as Schema).spec as {
      properties: { runner: { properties: Schema } };
    }
  ).properties.runner.properties;
  const container = (runner.initContainers as { items: Schema }).items;
  const volume = (runner.volumes as { items: Schema }).items;
  const stringMap = { type: "object", additionalProperties: { type: "string" } };
  return {
    TestRun: {
      ...testRunSchema(),
      properties: { ...(testRunSchema().properties as Schema), metadata: METADATA },
    },
    ConfigMap: kindOf("v1", "ConfigMap", { data: stringMap }, ["data"]),
    Secret: kindOf(
      "v1",
      "Secret",
      { type: { const: "Opaque" }, stringData: stringMap, data: stringMap },
      ["type"],
    ),
    PersistentVolumeClaim: kindOf(
      "v1",
      "PersistentVolumeClaim",
      {
        spec: {
          type: "object",
          required: ["accessModes", "resources"],
          properties: {
            accessModes: {
              type: "array",
              minItems: 1,
              items: {
                enum: ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"],
              },
            },
            storageClassName: { type: "string" },
            resources: {
              type: "object",
              required: ["requests"],
              properties: {
                requests: {
                  type: "object",
                  required: ["storage"],
                  properties: { storage: { type: "string", pattern: "^[0-9]+(Ki|Mi|Gi|Ti)$" } },
                },
              },
            },
          },
        },
      },
      ["spec"],
    ),
    Job: kindOf(
      "batch/v1",
      "Job",
      {
        spec: {
          type: "object",
          required: ["completionMode", "completions", "parallelism", "template"],
          properties: {
            completionMode: { const: "Indexed" },
            completions: { type: "integer", minimum: 1 },
            parallelism: { type: "integer", minimum: 1 },
            backoffLimit: { type: "integer", minimum: 0 },
            activeDeadlineSeconds: { type: "integer", minimum: 1 },
            ttlSecondsAfterFinished: { type: "integer", minimum: 0 },
            template: {
              type: "object",
              required: ["spec"],
              properties: {
                metadata: {
                  type: "object",
                  properties: { labels: stringMap, annotations: stringMap },
                },
                spec: {
                  type: "object",
                  required: ["containers", "restartPolicy"],
                  properties: {
                    restartPolicy: { enum: ["Never", "OnFailure"] },
                    containers: { type: "array", minItems: 1, items: container },
                    volumes: { type: "array", items: volume },
                  },
                },
              },
            },
          },
        },
      },
      ["spec"],
    ),
  };
}

let validators: Map<string, { loose: ValidateFunction; strict: ValidateFunction }> | undefined;

function validatorsByKind() {
  if (validators) return validators;
  // The CRD's x-kubernetes-* keywords are the API server's, not JSON Schema's: known, and ignored here.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  validators = new Map(
    Object.entries(schemas()).map(([kind, schema]) => [
      kind,
      { loose: ajv.compile(schema), strict: ajv.compile(strictSchema(schema) as Schema) },
    ]),
  );
  return validators;
}

function describe(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const at = e.instancePath || "/";
    if (e.keyword === "additionalProperties")
      return `${at}: field "${(e.params as { additionalProperty: string }).additionalProperty}" is not in the schema (a cluster would drop it silently)`;
    return `${at}: ${e.message ?? e.keyword}`;
  });
}

/** Kubernetes refuses a ConfigMap's or Secret's data over 1 MiB. */
const MAX_OBJECT_DATA_BYTES = 1_048_576;

function dataBytes(doc: Schema): number {
  const data = {
    ...((doc.data as Schema | undefined) ?? {}),
    ...((doc.stringData as Schema | undefined) ?? {}),
  };
  return Object.entries(data).reduce(
    (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(String(value)),
    0,
  );
}

/** The k6-operator's own rules beside its schema (its webhook and controller enforce them). */
function testRunRules(doc: Schema): string[] {
  const spec = (doc.spec ?? {}) as Schema;
  const problems: string[] = [];
  const script = spec.script;
  if (script && typeof script === "object") {
    const sources = ["configMap", "volumeClaim", "localFile"].filter(
      (s) => (script as Schema)[s] !== undefined,
    );
    if (sources.length !== 1)
      problems.push(
        `/spec/script: exactly one of configMap, volumeClaim, localFile, not ${sources.length}`,
      );
  }
  if (typeof spec.parallelism === "number" && spec.parallelism < 1)
    problems.push("/spec/parallelism: must be 1 or more");
  if (spec.args !== undefined && spec.arguments !== undefined)
    problems.push("/spec: args and arguments both given (args silently wins); give one");
  return problems;
}

/** A manifest as the file the user applies. */
export function manifestYaml(doc: unknown): string {
  return `# Generated by harness: do not edit; regenerate instead.\n${stringify(doc, { lineWidth: 0 })}`;
}

/**
 * Every problem of one manifest: the schema of its kind as the API server
 * reads it, then strictly (no field the schema does not define), then the
 * kind's own rules. Empty when it would apply as written.
 */
export function manifestProblems(doc: unknown): string[] {
  const kind = (doc as { kind?: unknown } | null)?.kind;
  const found = typeof kind === "string" ? validatorsByKind().get(kind) : undefined;
  if (!found)
    return [
      `kind ${JSON.stringify(kind)}: not one the harness generates or checks (${[...validatorsByKind().keys()].join(", ")})`,
    ];
  if (!found.loose(doc)) return describe(found.loose.errors);
  if (!found.strict(doc)) return describe(found.strict.errors);
  if (
    (kind === "ConfigMap" || kind === "Secret") &&
    dataBytes(doc as Schema) > MAX_OBJECT_DATA_BYTES
  )
    return [
      `/data: ${dataBytes(doc as Schema)} bytes, over the ${MAX_OBJECT_DATA_BYTES} a ${kind} may hold (Kubernetes refuses it)`,
    ];
  return kind === "TestRun" ? testRunRules(doc as Schema) : [];
}
