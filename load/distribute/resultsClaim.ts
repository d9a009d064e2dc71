/*
 * What the generated manifests of a split run share: their objects'
 * metadata, and the claim every runner writes its results to.
 */

/** An object's metadata: named after the run, labelled as the harness's. */
export function objectMeta(
  run: { name: string; namespace?: string },
  label: "harness/testrun" | "harness/job",
  suffix = "",
): Record<string, unknown> {
  return {
    name: `${run.name}${suffix}`,
    ...(run.namespace ? { namespace: run.namespace } : {}),
    labels: { "app.kubernetes.io/managed-by": "harness", [label]: run.name },
  };
}

/** The results claim, `<name>-results`: every runner pod writes its own files to it at once (ReadWriteMany). */
export function resultsClaim(
  run: { name: string; namespace?: string },
  label: "harness/testrun" | "harness/job",
  storage: string,
): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: objectMeta(run, label, "-results"),
    spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage } } },
  };
}
