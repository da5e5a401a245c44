// The FN relay's own circuit breaker in front of the OFD's TCP server (opossum), with the sync
// worker's rule (src/main/core/sync/ofd-breaker.ts): open after N failed exchanges in a row, one
// trial after the reset time. Only the network exchange goes through it: an FN that refuses an answer
// or a KKT that does not answer says nothing about the OFD.
import CircuitBreaker from 'opossum';
import type { BreakerSnapshot, BreakerState } from '../sync/ofd-breaker.ts';

export class RelayBreaker {
  private readonly breaker: CircuitBreaker<[() => Promise<Buffer>], Buffer>;
  private consecutive = 0;
  private total = 0;
  private openedAtMs: number | null = null;
  private lastFailure: string | null = null;
  private readonly listeners = new Set<(s: BreakerState) => void>();

  constructor(private readonly opts: { threshold: number; resetMs: number }) {
    this.breaker = new CircuitBreaker((call: () => Promise<Buffer>) => call(), {
      timeout: false, // the exchange has its own timeout
      resetTimeout: opts.resetMs,
      errorThresholdPercentage: 100, // opened by the consecutive count below
      rollingCountTimeout: 60_000,
    });
    this.breaker.on('success', () => (this.consecutive = 0));
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

  /** The exchange's answer; 'rejected' when the breaker is open; the exchange's error otherwise. */
  async fire(call: () => Promise<Buffer>): Promise<Buffer | 'rejected'> {
    try {
      return await this.breaker.fire(call);
    } catch (e) {
      if ((e as { code?: string }).code === 'EOPENBREAKER') return 'rejected';
      throw e;
    }
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

  private emit(state: BreakerState): void {
    for (const l of this.listeners) l(state);
  }
}
