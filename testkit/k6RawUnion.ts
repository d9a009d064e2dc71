import { join } from "node:path";
import { k6RawFile, readK6Raw } from "../load/k6format/k6Raw.ts";
import type { ScenarioDefinition } from "../load/scenarios/scenarios.ts";

/**
 * Test support: every answered request's duration (ms) that k6 runners
 * wrote to their shard folders, for one scenario's endpoint, sorted: the
 * union a raw-exact merge must match. Kept apart from merge's own union
 * (plain arrays, sorted here), so a test compares against something else.
 */
export async function k6RawUnion(
  dirs: readonly string[],
  scenario: string,
  endpoint: string,
): Promise<Float64Array> {
  const definition = { name: scenario, endpoints: [endpoint] } as unknown as ScenarioDefinition;
  const all: number[] = [];
  for (const dir of dirs) {
    const raw = await readK6Raw(join(dir, k6RawFile(scenario)), [definition], "", {
      keepSamples: true,
    });
    all.push(...(raw.samples?.[scenario]?.[endpoint] ?? []));
  }
  return Float64Array.from(all).sort();
}
