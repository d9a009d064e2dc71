import { nodeHmac } from "../lib/nodeHmac.ts";
import { SCHEMES } from "../lib/webhookSchemes.ts";
import { headersCarrying, signatureOf } from "../lib/webhookSigning.ts";
import type { ProbeTable } from "./receiverContext.ts";
import { mustProcessOnce, mustRefuse } from "./receiverVerdicts.ts";
import {
  bodyFor,
  extras,
  idsFor,
  input,
  nowSec,
  randomLike,
  send,
  signed,
} from "./signedDelivery.ts";

/** The signature's edges (W5–W8): a stale and a future timestamp, the body's bytes as sent, a rotated key. */
export const SIGNING_EDGE_PROBES: ProbeTable = {
  W5: {
    expected: () => "4xx just past the tolerance; 2xx and processed once just inside it",
    async run(ctx) {
      const tolerance = SCHEMES[ctx.receiver.signing.scheme].toleranceSec as number;
      const expected = `4xx at ${tolerance + 30} s old; 2xx and processed once at ${tolerance - 30} s old`;
      const oldId = ctx.newEventId();
      const refused = await mustRefuse(ctx, expected, [
        {
          label: `${tolerance + 30} s old`,
          eventId: oldId,
          delivery: signed(ctx, oldId, nowSec() - tolerance - 30),
        },
      ]);
      if (refused.status !== "passed") return refused;
      const insideId = ctx.newEventId();
      const answer = await send(ctx, signed(ctx, insideId, nowSec() - tolerance + 30));
      const inside = await mustProcessOnce(
        ctx,
        expected,
        insideId,
        [answer],
        [...answer.evidence],
        false,
      );
      return {
        ...inside,
        observed: `${refused.observed}; ${tolerance - 30} s old: ${inside.observed}`,
        evidence: [
          ...(refused.evidence ?? []),
          `[${tolerance - 30} s old]`,
          ...(inside.evidence ?? []),
        ],
      };
    },
  },
  W6: {
    expected: (ctx) =>
      SCHEMES[ctx.receiver.signing.scheme].future === "accepted"
        ? "2xx (the scheme accepts future timestamps)"
        : "4xx (the scheme rejects future timestamps)",
    async run(ctx) {
      const facts = SCHEMES[ctx.receiver.signing.scheme];
      const ahead = (facts.toleranceSec as number) + 60;
      const eventId = ctx.newEventId();
      const delivery = signed(ctx, eventId, nowSec() + ahead);
      if (facts.future === "accepted") {
        const answer = await send(ctx, delivery);
        return mustProcessOnce(
          ctx,
          `2xx at ${ahead} s ahead (${ctx.receiver.signing.scheme} accepts it)`,
          eventId,
          [answer],
          [...answer.evidence],
          false,
        );
      }
      return mustRefuse(
        ctx,
        `4xx at ${ahead} s ahead (${ctx.receiver.signing.scheme} rejects it)`,
        [{ label: `${ahead} s ahead`, eventId, delivery }],
      );
    },
  },
  W7: {
    expected: () => "2xx, processed once",
    async run(ctx) {
      const eventId = ctx.newEventId();
      const event = ctx.receiver.eventBody(idsFor(ctx, eventId));
      const reordered =
        typeof event === "object" && event !== null && !Array.isArray(event)
          ? Object.fromEntries(
              [...Object.entries(event), ["probeNote", "café @ SLASH ü 日本"]].reverse(),
            )
          : event;
      // Pretty-printed, keys reversed, non-ASCII as is, and an escaped slash (\/) no serialiser writes.
      const body = JSON.stringify(reordered, null, 2).replace("SLASH", "\\/");
      const answer = await send(ctx, signed(ctx, eventId, nowSec(), body));
      return mustProcessOnce(
        ctx,
        "2xx, processed once",
        eventId,
        [answer],
        [...answer.evidence],
        false,
      );
    },
  },
  W8: {
    expected: () => "2xx with one invalid and one valid signature",
    async run(ctx) {
      const scheme = ctx.receiver.signing.scheme;
      const eventId = ctx.newEventId();
      const body = bodyFor(ctx, eventId);
      const i = input(ctx, body, eventId);
      const good = signatureOf(scheme, i, nodeHmac);
      const answer = await send(ctx, {
        body,
        headers: {
          ...headersCarrying(scheme, i, [randomLike(good), good]),
          ...extras(ctx, eventId),
        },
      });
      return mustProcessOnce(
        ctx,
        "2xx with one invalid and one valid signature",
        eventId,
        [answer],
        [...answer.evidence],
        false,
      );
    },
  },
};
