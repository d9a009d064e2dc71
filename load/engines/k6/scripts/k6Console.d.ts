// k6 provides console (to its log output), which @types/k6 does not declare; the DOM lib would bring far more.
declare const console: { log(...values: unknown[]): void; error(...values: unknown[]): void };
