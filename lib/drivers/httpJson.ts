import { Agent, type Dispatcher, request } from "undici";

export interface HttpJsonRequest {
  method: "GET" | "POST" | "PUT";
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON when defined. */
  body?: unknown;
  /** The whole exchange, headers and body, must end within this. */
  timeoutMs: number;
  /** Ends the request early (Ctrl-C). */
  signal?: AbortSignal;
}

export interface HttpJsonResponse {
  status: number;
  /** Parsed JSON, or the raw text when the answer is not JSON. */
  body: unknown;
  durationMs: number;
}

/** One keep-alive pool per run, closed with it, so nothing keeps the process alive afterwards. */
export function createHttpAgent(): Agent {
  return new Agent({ connections: 8, keepAliveTimeout: 2_000 });
}

/** A JSON request that returns any status as data; only transport failures throw. */
export async function httpJson(agent: Dispatcher, req: HttpJsonRequest): Promise<HttpJsonResponse> {
  const started = performance.now();
  const headers: Record<string, string> = { accept: "application/json", ...req.headers };
  if (req.body !== undefined) headers["content-type"] = "application/json";
  const response = await request(req.url, {
    dispatcher: agent,
    method: req.method,
    headers,
    body: req.body === undefined ? undefined : JSON.stringify(req.body),
    signal: req.signal
      ? AbortSignal.any([AbortSignal.timeout(req.timeoutMs), req.signal])
      : AbortSignal.timeout(req.timeoutMs),
    headersTimeout: req.timeoutMs,
    bodyTimeout: req.timeoutMs,
  });
  const text = await response.body.text();
  let body: unknown = text;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: the raw text is the most useful thing to report.
  }
  return { status: response.statusCode, body, durationMs: performance.now() - started };
}
