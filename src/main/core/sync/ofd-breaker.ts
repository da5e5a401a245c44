// The circuit breaker in front of the OFD: the "open after N failures in a row" rule and its snapshot live
// in src/main/core/util/counting-breaker.ts. Here: permanent rejections (4xx), rate limiting and a refused
// token are filtered (they prove the OFD is alive and never trip the breaker), a manager's trial call, and
// the senders waiting for a half-open trial's verdict.
import type { OfdClient, OfdOutcome, OfdReceiptPayload } from '../ofd/ofd-client.ts';
import type { OfdFailureWhy } from '../../../shared/ofd-failure.ts';
import { CountingBreaker, type BreakerState } from '../util/counting-breaker.ts';

export type { BreakerSnapshot, BreakerState } from '../util/counting-breaker.ts';

/** Thrown through opossum so it counts the call as failed; carries the outcome for the worker. */
export class OfdCallFailed extends Error {
  constructor(readonly outcome: OfdOutcome) {
    super('message' in outcome ? outcome.message : outcome.kind);
  }
}

/** What the breaker calls: the OFD client, or a stand-in in tests. */
type OfdSender = Pick<OfdClient, 'send'> & Partial<Pick<OfdClient, 'close'>>;

export class OfdBreaker extends CountingBreaker<[OfdReceiptPayload], OfdOutcome> {
  /** Senders waiting for the half-open trial's verdict. */
  private trialWaiters: (() => void)[] = [];
  /** The code of the last counted failure (the snapshot's lastFailure in words), null when it had none. */
  private lastWhy: OfdFailureWhy | null = null;

  constructor(
    private client: OfdSender,
    opts: { threshold: number; resetMs: number },
  ) {
    super({
      ...opts,
      // Answers that prove the OFD is up: a rejected receipt, "slow down", a refused token.
      errorFilter: (e: unknown) =>
        e instanceof OfdCallFailed &&
        (e.outcome.kind === 'permanent' || e.outcome.kind === 'rate_limited' || e.outcome.kind === 'auth'),
    });
  }

  protected async run(payload: OfdReceiptPayload): Promise<OfdOutcome> {
    const outcome = await this.client.send(payload);
    if (outcome.kind === 'accepted' || outcome.kind === 'duplicate') return outcome;
    throw new OfdCallFailed(outcome);
  }

  /**
   * A manager changed the OFD URL or token: the next call uses the new client, the counts stay. The old
   * one is not closed: a send still out on it finishes, and its idle connections time out by themselves.
   */
  setClient(client: OfdSender): void {
    this.client = client;
  }

  /** Sends through the breaker. Resolves with the OFD's outcome, or 'rejected' when the breaker is open. */
  async send(payload: OfdReceiptPayload): Promise<OfdOutcome | 'rejected'> {
    try {
      return await this.fire(payload);
    } catch (e) {
      if (e instanceof OfdCallFailed) return e.outcome;
      throw e;
    }
  }

  /**
   * A manager's "sync now" while the breaker is open: one call straight to the OFD now, instead of after
   * the reset timer. An answer that shows the OFD is up (accepted, or a 4xx/429/401 about this receipt or
   * the token) closes the breaker, so the backlog can drain; a failure counts like any other and the
   * breaker stays open on its own schedule. When it is not open, this is an ordinary send.
   */
  async trialNow(payload: OfdReceiptPayload): Promise<OfdOutcome | 'rejected'> {
    if (this.state !== 'OPEN') return this.send(payload);
    const outcome = await this.client.send(payload);
    if (this.state !== 'OPEN') return outcome; // the reset timer moved it meanwhile: its trial decides
    if (outcome.kind === 'retryable') {
      this.countFailure(outcome.message, new OfdCallFailed(outcome));
    } else {
      this.breaker.close();
    }
    return outcome;
  }

  protected override countFailure(message: string, cause?: unknown): void {
    super.countFailure(message, cause);
    this.lastWhy = cause instanceof OfdCallFailed && 'why' in cause.outcome ? cause.outcome.why : null;
  }

  /** Why the last counted failure happened, as a code the UI words; null for a failure without one. */
  get lastFailureWhy(): OfdFailureWhy | null {
    return this.lastWhy;
  }

  /** True while calls are refused without reaching the OFD (open, or half-open with its trial out). */
  get refusing(): boolean {
    return this.breaker.opened || (this.breaker.halfOpen && !this.breaker.pendingClose);
  }

  override shutdown(): void {
    super.shutdown();
    this.client.close?.();
    this.releaseTrialWaiters(); // nobody may wait on a breaker that is gone
  }

  /**
   * Resolves when the half-open trial call has been decided (the breaker closed or opened again), so
   * the other receipts of a batch wait for the verdict instead of being skipped while it is out.
   */
  trialSettled(): Promise<void> {
    if (!this.breaker.halfOpen || this.breaker.pendingClose) return Promise.resolve();
    return new Promise((resolve) => this.trialWaiters.push(resolve));
  }

  protected override emit(state: BreakerState): void {
    if (state !== 'HALF_OPEN') this.releaseTrialWaiters();
    super.emit(state);
  }

  private releaseTrialWaiters(): void {
    const waiters = this.trialWaiters;
    this.trialWaiters = [];
    for (const w of waiters) w();
  }
}
