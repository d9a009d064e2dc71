/** Why `value` is not a URL with one of `protocols`, or undefined when it is one. */
export function urlProblem(value: string, protocols: readonly string[]): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return `is not a URL; expected a ${protocols.join(" or ")} URL`;
  }
  return protocols.includes(parsed.protocol)
    ? undefined
    : `uses ${parsed.protocol}; allowed: ${protocols.join(", ")}`;
}
