// The circuit breaker in front of the OFD (opossum). The spec's rule is "open after N failures in a
// row", which opossum does not have (it opens on an error percentage in a rolling window), so this
// wrapper counts consecutive failures itself and opens the breaker; opossum keeps the open → half-open
// → closed timing and the single trial call in half-open. Permanent rejections (4xx), rate limiting and
// a refused token are filtered: they prove the OFD is alive and never trip the breaker.
import CircuitBreaker from 'opossum';
import type { OfdClient, OfdOutcome, OfdReceiptPayload } from '../ofd/ofd-client.ts';

export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  totalFailures: number;
  threshold: number;
  openedAt: string | null;
  /** When an open breaker lets the next trial call through. */
  nextAttemptAt: string | null;
  lastFailure: string | null;
}

/** Thrown through opossum so it counts the call as failed; carries the outcome for the worker. */
export class OfdCallFailed extends Error {
  constructor(readonly outcome: OfdOutcome) {
    super('message' in outcome ? outcome.message : outcome.kind);
  }
}

export class OfdBreaker {
  private readonly breaker: CircuitBreaker<[OfdReceiptPayload], OfdOutcome>;
  private consecutive = 0;
  private total = 0;
  private openedAtMs: number | null = null;
  private lastFailure: string | null = null;
  private readonly listeners = new Set<(s: BreakerState) => void>();
  /** Senders waiting for the half-open trial's verdict. */
  private trialWaiters: (() => void)[] = [];

  constructor(
    private client: Pick<OfdClient, 'send'>,
    private readonly opts: { threshold: number; resetMs: number },
  ) {
    this.breaker = new CircuitBreaker(
      async (payload: OfdReceiptPayload) => {
        const outcome = await this.client.send(payload);
        if (outcome.kind === 'accepted' || outcome.kind === 'duplicate') return outcome;
        throw new OfdCallFailed(outcome);
      },
      {
        timeout: false, // the client has its own request timeout
        resetTimeout: opts.resetMs,
        errorThresholdPercentage: 100, // never opens by percentage; see onFailure
        rollingCountTimeout: 60_000,
        // Answers that prove the OFD is up: a rejected receipt, "slow down", a refused token.
        errorFilter: (e: unknown) =>
          e instanceof OfdCallFailed &&
          (e.outcome.kind === 'permanent' || e.outcome.kind === 'rate_limited' || e.outcome.kind === 'auth'),
      },
    );
    this.breaker.on('success', () => {
      this.consecutive = 0;
    });
    this.breaker.on('failure', (e: Error) => {
      this.consecutive++;
      this.total++;
      this.lastFailure = e.message;
      if (this.consecutive >= this.opts.threshold && this.breaker.closed) this.breaker.open();
    });
    this.breaker.on('open', () => {
      this.openedAtMs = Date.now();
      this.emit('OPEN');
    });
    this.breaker.on('halfOpen', () => this.emit('HALF_OPEN'));
    this.breaker.on('close', () => {
      this.openedAtMs = null;
      this.consecutive = 0;
      this.emit('CLOSED');
    });
  }

  /** A manager changed the OFD URL or token: the next call uses the new client, the counts stay. */
  setClient(client: Pick<OfdClient, 'send'>): void {
    this.client = client;
  }

  /** Sends through the breaker. Resolves with the OFD's outcome, or 'rejected' when the breaker is open. */
  async send(payload: OfdReceiptPayload): Promise<OfdOutcome | 'rejected'> {
    try {
      return await this.breaker.fire(payload);
    } catch (e) {
      if (e instanceof OfdCallFailed) return e.outcome;
      if ((e as { code?: string }).code === 'EOPENBREAKER') return 'rejected';
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
      this.consecutive++;
      this.total++;
      this.lastFailure = outcome.message;
    } else {
      this.breaker.close();
    }
    return outcome;
  }

  get state(): BreakerState {
    return this.breaker.opened ? 'OPEN' : this.breaker.halfOpen ? 'HALF_OPEN' : 'CLOSED';
  }

  /** True while calls are refused without reaching the OFD (open, or half-open with its trial out). */
  get refusing(): boolean {
    return this.breaker.opened || (this.breaker.halfOpen && !this.breaker.pendingClose);
  }

  onStateChange(listener: (s: BreakerState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): BreakerSnapshot {
    const open = this.state === 'OPEN';
    return {
      state: this.state,
      consecutiveFailures: this.consecutive,
      totalFailures: this.total,
      threshold: this.opts.threshold,
      openedAt: this.openedAtMs === null ? null : new Date(this.openedAtMs).toISOString(),
      nextAttemptAt:
        open && this.openedAtMs !== null ? new Date(this.openedAtMs + this.opts.resetMs).toISOString() : null,
      lastFailure: this.lastFailure,
    };
  }

  shutdown(): void {
    this.breaker.shutdown();
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

  private emit(state: BreakerState): void {
    if (state !== 'HALF_OPEN') this.releaseTrialWaiters();
    for (const l of this.listeners) l(state);
  }

  private releaseTrialWaiters(): void {
    const waiters = this.trialWaiters;
    this.trialWaiters = [];
    for (const w of waiters) w();
  }
}
