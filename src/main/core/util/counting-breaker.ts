// A circuit breaker (opossum) with the spec's rule "open after N failures in a row", which opossum does not
// have (it opens on an error percentage in a rolling window): this class counts consecutive failures itself
// and opens the breaker; opossum keeps the open → half-open → closed timing and the single trial call in
// half-open. The OFD sync breaker and the FN relay's breaker share it, so both keep one rule and one
// snapshot shape; each subclass says what a call is (run) and adds its own extras.
import CircuitBreaker from 'opossum';
import type { BreakerSnapshot, BreakerState } from '../../../shared/contract.ts';

// The snapshot's shape is the contract's: the status panel shows it as the core keeps it.
export type { BreakerSnapshot, BreakerState };

export interface CountingBreakerOptions {
  threshold: number;
  resetMs: number;
  /** Errors that prove the far side is alive: opossum counts them as neither success nor failure. */
  errorFilter?: (e: unknown) => boolean;
}

export abstract class CountingBreaker<TArgs extends unknown[], TResult> {
  protected readonly breaker: CircuitBreaker<TArgs, TResult>;
  private consecutive = 0;
  private total = 0;
  private openedAtMs: number | null = null;
  private lastFailure: string | null = null;
  private readonly listeners = new Set<(s: BreakerState) => void>();

  constructor(private readonly opts: CountingBreakerOptions) {
    this.breaker = new CircuitBreaker((...args: TArgs) => this.run(...args), {
      timeout: false, // every call has its own timeout
      resetTimeout: opts.resetMs,
      errorThresholdPercentage: 100, // never opens by percentage; opened by the consecutive count below
      rollingCountTimeout: 60_000,
      ...(opts.errorFilter ? { errorFilter: opts.errorFilter } : {}),
    });
    this.breaker.on('success', () => (this.consecutive = 0));
    this.breaker.on('failure', (e: Error) => {
      this.countFailure(e.message, e);
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

  /** The call itself; a thrown error is a failure unless errorFilter says otherwise. */
  protected abstract run(...args: TArgs): Promise<TResult>;

  /** The call's result; 'rejected' when the breaker is open; the call's error otherwise. */
  protected async fire(...args: TArgs): Promise<TResult | 'rejected'> {
    try {
      return await this.breaker.fire(...args);
    } catch (e) {
      if ((e as { code?: string }).code === 'EOPENBREAKER') return 'rejected';
      throw e;
    }
  }

  /**
   * Counts a failure in the snapshot (opossum's failures come through here too); `_cause` is the error
   * or outcome behind it, for a subclass that keeps more than the message.
   */
  protected countFailure(message: string, _cause?: unknown): void {
    this.consecutive++;
    this.total++;
    this.lastFailure = message;
  }

  get state(): BreakerState {
    return this.breaker.opened ? 'OPEN' : this.breaker.halfOpen ? 'HALF_OPEN' : 'CLOSED';
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
  }

  protected emit(state: BreakerState): void {
    for (const l of this.listeners) l(state);
  }
}
