import type {
  HelperCall,
  RunIds,
  ServiceName,
  TargetProfile,
} from "../lib/config/targetProfile.ts";
import { httpJson } from "../lib/drivers/httpJson.ts";
import type { TargetConnections } from "../lib/drivers/targetConnections.ts";

export type HelperOutcome<T> =
  | { ok: true; value: T; status: number }
  | { ok: false; status: number; observed: string; hint: string };

const SERVICE_LABEL: Record<ServiceName, string> = { pasukuru: "Pasukuru", curva: "Curva" };

function statusHint(service: ServiceName, status: number): string {
  const label = SERVICE_LABEL[service];
  if (status === 401 || status === 403) {
    return `${label} refused the credentials: the test-helper secret (or token) in the target's env does not match the deployed one.`;
  }
  if (status === 404)
    return `${label} has no such route or record: is the test helper deployed on this target?`;
  if (status >= 500)
    return `${label} failed internally (${status}): see its logs; a downstream service or its DB may be failing.`;
  return `${label} answered ${status}: the request the profile builds does not match what the service expects.`;
}

function brief(body: unknown): string {
  const text = typeof body === "string" ? body : JSON.stringify(body ?? null);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Performs a test-helper call from the profile and reads what the step needs from the answer. */
export async function callHelper<T>(
  profile: TargetProfile,
  connections: TargetConnections,
  call: HelperCall<T>,
  ids: RunIds,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<HelperOutcome<T>> {
  const base = profile.services[call.service].url;
  const response = await httpJson(connections.http, {
    method: call.method,
    url: `${base}${call.path(ids)}`,
    ...(call.headers ? { headers: call.headers } : {}),
    ...(call.body ? { body: call.body(ids) } : {}),
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const read = call.read({ status: response.status, body: response.body });
  if (typeof read === "object" && read !== null && "problem" in read) {
    return {
      ok: false,
      status: response.status,
      observed: `${response.status} ${brief(response.body)}`,
      hint:
        response.status >= 200 && response.status < 300
          ? read.problem
          : statusHint(call.service, response.status),
    };
  }
  return { ok: true, value: read as T, status: response.status };
}
