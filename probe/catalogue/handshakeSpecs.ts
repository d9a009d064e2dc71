import type { ProbeSpec } from "../probeSpec.ts";

/** The catalogue's probes of each receiver's handshakes and the provider's own checks (H1–H3), as data. */
export const HANDSHAKE_SPECS: readonly ProbeSpec[] = [
  {
    id: "H1",
    family: "handshake",
    title: "Meta verification handshake",
    sends: "GET ?hub.mode=subscribe&hub.verify_token=<the token>&hub.challenge=<random>",
    expects: "200 with exactly the challenge (not JSON-quoted)",
    safety: "readOnly",
    readBack: "none",
    schemes: ["meta"],
    claim: 'WhatsApp portal (001): "Meta webhook handshake diuji", "Verify token flow tersedia"',
  },
  {
    id: "H2",
    family: "handshake",
    title: "Meta handshake refusals",
    sends: "the handshake with a wrong token, another mode, and no parameters",
    expects: "4xx for each, and never the challenge",
    safety: "readOnly",
    readBack: "none",
    schemes: ["meta"],
    claim:
      "WhatsApp portal (001): verify token from env WEBHOOK_VERIFY_TOKEN: only Meta, with it, subscribes the URL",
  },
  {
    id: "H3",
    family: "handshake",
    title: "LINE verify request",
    sends: 'the console\'s "Verify": a signed {"destination":…,"events":[]}',
    expects: "200",
    safety: "readOnly",
    readBack: "none",
    schemes: ["line"],
    claim:
      "plan (000) X.I-3: Curva's LineAccount set up on staging (the LINE console's Verify passes)",
  },
];
