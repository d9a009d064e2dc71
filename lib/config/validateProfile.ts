import { profileNames, SECTIONS, targetProfileSchema } from "./schemas/profileSchema.ts";
import { schemaProblems } from "./schemas/schemaProblems.ts";

/** Keys of the first (flat) profile shape, and where each lives now. */
const MOVED_KEYS: Record<string, string> = {
  identity: "smoke.identity",
  helpers: "smoke.helpers",
  assertions: "smoke.assertions",
  cleanup: "smoke.cleanup",
};

/**
 * Every problem of a profile's core (services, databases, queue, secrets),
 * and every unknown key at any depth of any section: a typo anywhere is an
 * error, never a silent default. The rest of a section is checked by the
 * command that uses it, so a target that is only ever smoked need not
 * describe load, and the reverse.
 */
export function profileProblems(profile: object): string[] {
  const name = (profile as { name?: unknown }).name;
  const target = `targets.${typeof name === "string" ? name : "?"}`;
  const p: string[] = [];
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(profile)) {
    if (key === "name") continue;
    if (Object.hasOwn(MOVED_KEYS, key))
      p.push(`${target}: ${key} now lives in the smoke section: write it as ${MOVED_KEYS[key]}.`);
    else rest[key] = value;
  }
  const queue = rest.queue as { jobId?: unknown } | undefined;
  if (typeof queue?.jobId === "function") {
    p.push(
      `${target}: queue.jobId is now smoke.webhookJobId(ids, lookup), which may also look the job up (async).`,
    );
    const { jobId: _moved, ...others } = queue;
    rest.queue = others;
  }
  const sections: readonly string[] = SECTIONS;
  p.push(
    ...schemaProblems(targetProfileSchema(profileNames(rest)), rest, target, "", {
      keep: (issue) =>
        issue.code === "unrecognized_keys" || !sections.includes(String(issue.path[0])),
    }),
  );
  return p;
}
