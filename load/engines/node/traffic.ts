/** One request the engine sends: built fresh for each send (a webhook is signed at send time). */
export interface LoadRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  headers: Record<string, string>;
  /** None for a GET without one. */
  body?: string;
}

/** Where one endpoint's requests go, and how each is built. */
export interface EndpointTraffic {
  /** The endpoint's name, as reports and thresholds tag it. */
  endpoint: string;
  /** `http://host:port`, no path. */
  origin: string;
  /**
   * A fresh request for every send (the open model, and endpoints whose
   * requests must differ). `index`: the request's place in the whole
   * scenario's schedule (open model), the same on every runner of a split
   * run, so its data (body, event id) does not depend on how many runners
   * share the schedule; `turn`, the endpoint's own count of it (its body
   * in turn). Without them, the next in turn.
   */
  next: (index?: number, turn?: number) => LoadRequest;
  /**
   * A request fixed for one connection, built when it opens (closed model):
   * each connection is one user sending the same request again, so its bytes
   * are built once instead of per send.
   */
  perConnection?: () => LoadRequest;
}

/** A request unanswered after this is an error (timeout), as in k6's default. */
export const REQUEST_TIMEOUT_SEC = 10;

/** The Node engine's defaults. */
export const ENGINE_DEFAULTS = {
  /**
   * After a scenario's duration, how long requests still open may take to
   * finish before they are cut and counted as interrupted (k6's
   * gracefulStop, 30 s there too). Each is bounded by its own timeout first.
   */
  gracefulStopMs: 30_000,
} as const;
