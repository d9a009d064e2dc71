/**
 * Secrets never reach logs or reports. Two tools: one for URLs (passwords,
 * tokens in the query) and one for free text that may contain known secrets.
 */
const SECRET_QUERY_KEYS = /^(password|passwd|pass|token|secret|key|apikey|api_key|access_token)$/i;

export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not a URL we can parse: hide anything that looks like user:password@.
    return raw.replace(/\/\/([^/@:]*):[^/@]*@/, "//$1:***@");
  }
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
