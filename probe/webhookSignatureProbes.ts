import { nodeHmac } from "../lib/nodeHmac.ts";
import { SCHEMES } from "../lib/webhookSchemes.ts";
import { headersCarrying, type SignatureInput, signatureOf } from "../lib/webhookSigning.ts";
import { ACK_BUDGET_MS, type ProbeTable } from "./receiverContext.ts";
import { HINT, mustProcessOnce, mustRefuse } from "./receiverVerdicts.ts";
import { bodyFor, extras, input, randomLike, send, signed } from "./signedDelivery.ts";

/** A valid delivery and the signatures a receiver must refuse (W1–W4): unsigned, wrong, over another body. */
export const WEBHOOK_SIGNATURE_PROBES: ProbeTable = {
  W1: {
    expected: (ctx) => `2xx within ${ctx.receiver.ackBudgetMs ?? ACK_BUDGET_MS} ms, processed once`,
    async run(ctx) {
      const budget = ctx.receiver.ackBudgetMs ?? ACK_BUDGET_MS;
      const expected = `2xx within ${budget} ms, processed once`;
      const eventId = ctx.newEventId();
      const answer = await send(ctx, signed(ctx, eventId));
      const verdict = await mustProcessOnce(
        ctx,
        expected,
        eventId,
        [answer],
        [...answer.evidence],
        false,
      );
      if (verdict.status === "passed" && answer.ms > budget)
        return { ...verdict, status: "failed", hint: HINT.slow };
      return verdict;
    },
  },
  W2: {
    expected: () => "4xx, not processed",
    run(ctx) {
      const eventId = ctx.newEventId();
      const { body, headers } = signed(ctx, eventId);
      const header = SCHEMES[ctx.receiver.signing.scheme].header;
      const rest = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== header));
      return mustRefuse(ctx, "4xx, not processed", [
        { label: "no signature", eventId, delivery: { body, headers: rest } },
      ]);
    },
  },
  W3: {
    expected: () => "4xx for each, not processed",
    run(ctx) {
      const scheme = ctx.receiver.signing.scheme;
      const facts = SCHEMES[scheme];
      const make = (
        label: string,
        sign: (input: SignatureInput, right: string) => { sigs: string[]; tag?: string | null },
      ) => {
        const eventId = ctx.newEventId();
        const body = bodyFor(ctx, eventId);
        const i = input(ctx, body, eventId);
        const right = signatureOf(scheme, i, nodeHmac);
        const { sigs, tag } = sign(i, right);
        return {
          label,
          eventId,
          delivery: {
            body,
            headers: {
              ...headersCarrying(scheme, i, sigs, tag === undefined ? facts.tag : tag),
              ...extras(ctx, eventId),
            },
          },
        };
      };
      const other = (i: SignatureInput) =>
        signatureOf(
          scheme,
          {
            ...i,
            secret:
              facts.key === "utf8" ? `${i.secret}-other` : "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
          },
          nodeHmac,
        );
      const cases = [
        make("random", (_i, right) => ({ sigs: [randomLike(right)] })),
        make("another key's", (i) => ({ sigs: [other(i)] })),
        make("truncated", (_i, right) => ({ sigs: [right.slice(0, Math.ceil(right.length / 2))] })),
        ...(facts.tag
          ? [
              make(`tag ${facts.tag === "v1" ? "v0" : "sha1"}`, (_i, right) => ({
                sigs: [right],
                tag: facts.tag === "v1" ? "v0" : "sha1",
              })),
            ]
          : []),
      ];
      return mustRefuse(ctx, "4xx for each, not processed", cases);
    },
  },
  W4: {
    expected: () => "4xx, not processed",
    run(ctx) {
      const signedFor = ctx.newEventId();
      const eventId = ctx.newEventId();
      const { headers } = signed(ctx, signedFor);
      return mustRefuse(ctx, "4xx, not processed", [
        { label: "another body", eventId, delivery: { body: bodyFor(ctx, eventId), headers } },
      ]);
    },
  },
};
