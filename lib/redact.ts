/**
 * Secrets never reach logs or reports. Two tools: one for URLs (passwords,
 * tokens in the query) and one for free text that may contain known secrets.
 */
const SECRET_QUERY_KEYS = /^(password|passwd|pass|token|secret|key|apikey|api_key|access_token)$/i;

/**
 * A URL with its credentials hidden: the password and the username too (a
 * token often sits there, e.g. `https://<token>@host` or
 * `redis://<token>@host`), and secret-looking query values.
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not a URL we can parse: hide anything that looks like user:password@ or token@.
    return raw.replace(
      /\/\/([^/@\s:]*)(:[^/@\s]*)?@/g,
      (_m, user: string, password?: string) => `//${user ? "***" : ""}${password ? ":***" : ""}@`,
    );
  }
  if (url.username) url.username = "***";
  if (url.password) url.password = "***";
  for (const key of [...url.searchParams.keys()]) {
    if (SECRET_QUERY_KEYS.test(key)) url.searchParams.set(key, "***");
  }
  return url.toString();
}

/** Replaces every occurrence of each known secret (of 4+ characters) with `***`. */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join("***");
  }
  return out;
}
