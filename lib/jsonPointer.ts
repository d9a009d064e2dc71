/*
 * JSON Pointer (RFC 6901): "" is the whole document, "/a/0/b" steps into
 * key a, element 0, key b; "~1" is a "/" in a key and "~0" a "~".
 */

/** A pointer's problem, or undefined when it is one: it is "" or starts with "/", and every "~" is "~0" or "~1". */
export function pointerProblem(pointer: string): string | undefined {
  if (pointer !== "" && !pointer.startsWith("/"))
    return 'a JSON pointer is "" (the whole body) or starts with /, e.g. /services/0/status';
  if (/~(?![01])/.test(pointer)) return 'in a JSON pointer, "~" is written ~0 and "/" in a key ~1';
  return undefined;
}

/** What a pointer reaches in a parsed document: found, with the value, or not, with the step that failed. */
export function resolvePointer(
  document: unknown,
  pointer: string,
): { found: true; value: unknown } | { found: false; missing: string } {
  if (pointer === "") return { found: true, value: document };
  let value = document;
  let at = "";
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    at += `/${raw}`;
    if (Array.isArray(value)) {
      if (!/^(0|[1-9]\d*)$/.test(key) || Number(key) >= value.length)
        return { found: false, missing: at };
      value = value[Number(key)];
    } else if (typeof value === "object" && value !== null && Object.hasOwn(value, key)) {
      value = (value as Record<string, unknown>)[key];
    } else return { found: false, missing: at };
  }
  return { found: true, value };
}
