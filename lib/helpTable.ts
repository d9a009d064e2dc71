/**
 * Rows of `--help` as aligned lines: the left column padded to the longest
 * entry plus a gap, so no flag runs into its description whatever its length.
 */
export function helpTable(rows: readonly (readonly [string, string])[], indent = 2): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `${" ".repeat(indent)}${left.padEnd(width)}${right}`);
}
