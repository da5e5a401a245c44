// The FN relay's snapshot as /v1/health shows it (fnRelaySchema in schemas.ts).
import type { z } from 'zod';
import type { FnRelaySnapshot } from '../core/fn-relay/fn-relay.ts';
import type { fnRelaySchema } from './schemas.ts';

export function fnRelayView(s: FnRelaySnapshot | null): z.input<typeof fnRelaySchema> {
  if (!s) return null;
  const r = s.lastRun;
  return {
    server: s.server,
    running: s.running,
    host_mode: s.hostMode,
    last_run_at: s.lastRunAt,
    last_run: r && {
      delivered: r.delivered,
      failed: r.failed,
      refused: r.refused,
      kkt_errors: r.kktErrors,
      held: r.held,
      bytes_sent: r.bytesSent,
      bytes_received: r.bytesReceived,
      duration_seconds: r.durationMs / 1000,
    },
    last_exchange_at: s.lastExchangeAt,
    last_error: s.lastError,
    last_error_why: s.lastErrorWhy,
    last_error_at: s.lastErrorAt,
    next_run_at: s.nextRunAt,
    backoff_seconds: s.backoffMs / 1000,
    totals: {
      runs: s.totals.runs,
      delivered: s.totals.delivered,
      failed: s.totals.failed,
      refused: s.totals.refused,
      kkt_errors: s.totals.kktErrors,
    },
    circuit_breaker: {
      state: s.breaker.state,
      consecutive_failures: s.breaker.consecutiveFailures,
      total_failures: s.breaker.totalFailures,
      next_attempt_at: s.breaker.nextAttemptAt,
      last_failure: s.breaker.lastFailure,
    },
  };
}
