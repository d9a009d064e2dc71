/**
 * Requests the run stopped waiting for (their timeout passed, or Ctrl-C) but
 * left open. A target keeps working on a request whose client gave up: an
 * identify abandoned at the client's timeout still creates its member a
 * moment later. Left open, the request's answer tells when that work is done,
 * so cleanup waits for it and removes what it created, instead of running
 * first and leaving it behind.
 */
/**
 * How long a request may stay open after the run stopped waiting for it, and
 * so how long cleanup waits for it at most. Not derived from the request
 * timeout: how long a target keeps working after its client gave up is the
 * target's matter, not the client's. A second Ctrl-C still abandons at once.
 */
export const LATE_ANSWER_MAX_MS = 30_000;

export class LateAnswers {
  private readonly open = new Map<Promise<unknown>, string>();

  /** Follows `answer` (which must settle by itself: its own timeout bounds it). */
  track(label: string, answer: Promise<unknown>): void {
    const followed = answer.then(
      () => {},
      () => {},
    );
    this.open.set(followed, label);
    void followed.then(() => this.open.delete(followed));
  }

  get pending(): string[] {
    return [...this.open.values()];
  }

  /** Waits until every tracked request has ended, at most `maxWaitMs`; says what is still open. */
  async settle(maxWaitMs: number): Promise<{ waitedMs: number; open: string[] }> {
    const started = performance.now();
    if (this.open.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(this.open.keys()),
        new Promise((resolve) => {
          timer = setTimeout(resolve, maxWaitMs);
        }),
      ]);
      clearTimeout(timer);
    }
    return { waitedMs: Math.round(performance.now() - started), open: this.pending };
  }
}
