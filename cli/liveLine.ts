import type { LiveFigures } from "../load/engines/scenarioEngine.ts";

/** The live progress line of a load run: elapsed/total, req/s, p95 so far, 5xx, errors, pools. */
function liveLine(live: LiveFigures): string {
  const pools = Object.entries(live.pools)
    .map(([service, p]) => `${service} pool ${p?.inUse ?? "?"} in use/${p?.waiting ?? "?"} waiting`)
    .join(" · ");
  return [
    `${live.scenario} ${live.elapsedSec}/${live.totalSec} s`,
    `${live.requestsPerSec} req/s`,
    `p95 ${Math.round(live.p95Ms)} ms`,
    `5xx ${live.status5xx}`,
    `errors ${live.errors}`,
    ...(pools ? [pools] : []),
  ].join(" · ");
}

/**
 * Prints live lines: rewritten in place every second on a terminal, one
 * line every `everySec` seconds otherwise (CI logs stay readable).
 */
export function livePrinter(
  stream: NodeJS.WriteStream,
  everySec = 10,
): { print: (live: LiveFigures) => void; end: () => void } {
  let printed = false;
  return {
    print(live) {
      if (stream.isTTY) {
        stream.write(`\r\u001b[2K${liveLine(live)}`);
        printed = true;
      } else if (live.elapsedSec % everySec === 0 && live.elapsedSec > 0) {
        stream.write(`${liveLine(live)}\n`);
      }
    },
    end() {
      if (printed) stream.write("\n");
      printed = false;
    },
  };
}
