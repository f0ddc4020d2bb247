/** A case id and a message id for one intake, taken before it writes. */
export interface IntakeIds {
  readonly caseId: number;
  readonly messageId: number;
}

/**
 * Ids taken from the database's sequences a block at a time, so an intake
 * knows its case and message ids (which its audit entries hash) without a
 * round trip of its own. Concurrent takers share one refill. Ids left in a
 * block when the process stops are never used: ids have gaps anyway, and
 * nothing orders cases by id across servers.
 */
export class IdPool {
  readonly #refill: (count: number) => Promise<IntakeIds[]>;
  readonly #blockSize: number;
  #ready: IntakeIds[] = [];
  #refilling: Promise<void> | undefined;

  constructor(refill: (count: number) => Promise<IntakeIds[]>, blockSize = 32) {
    this.#refill = refill;
    this.#blockSize = blockSize;
  }

  async take(): Promise<IntakeIds> {
    for (;;) {
      const ids = this.#ready.pop();
      if (ids) return ids;
      this.#refilling ??= this.#refill(this.#blockSize)
        .then((block) => {
          // Popped from the end: the lowest ids go first.
          this.#ready = [...block].reverse().concat(this.#ready);
        })
        .finally(() => {
          this.#refilling = undefined;
        });
      await this.#refilling;
    }
  }
}
