// The station's state for integrators and monitoring: the buffer, the sync worker (and a manual sync),
// health, Prometheus metrics.
import type { Station } from '../core/station.ts';
import { sendJson, sendText } from './http-util.ts';
import { prometheusMetrics } from './metrics.ts';
import { operation, type Operation } from './operations.ts';
import {
  acknowledgeLossBody,
  acknowledgeLossSchema,
  bufferStatusSchema,
  emptyBody,
  healthSchema,
  syncResultSchema,
  workerStatusSchema,
} from './schemas.ts';
import { kktStatusView } from './views.ts';
import { fnRelayView } from './fn-relay-view.ts';
import { BY } from '../../shared/journal-by.ts';

export function stationOperations(station: Station): Operation[] {
  return [
    operation({
      method: 'GET',
      path: '/v1/kkt/buffer/status',
      summary:
        'Capacity, queue (pending = printed, waiting for the OFD), unprinted (stored, never printed: not pending), counts by status, DLQ size, network status',
      responses: { 200: { description: 'Buffer status', schema: bufferStatusSchema } },
      async handler({ res }) {
        const b = station.bufferStatus();
        sendJson(res, 200, {
          total_capacity: b.capacity,
          current_queued: b.queued,
          percent_full: b.percentFull,
          alert_level: b.alert,
          network_status: b.networkStatus,
          total_receipts: b.total,
          pending: b.queued,
          synced: b.counts.synced,
          failed: b.counts.print_failed + b.counts.dead,
          dlq_size: b.dlqSize,
          oldest_pending_at: b.oldestPendingAt,
          oldest_pending_age_seconds: b.oldestPendingAt
            ? Math.round((Date.now() - Date.parse(b.oldestPendingAt)) / 1000)
            : null,
          // Stored but never printed (the request died with the station, or the KKT refused it): not pending
          // for the OFD; the same request with the same key prints it, else it is voided after unprintedTtlMs.
          unprinted: b.unprinted,
          by_status: b.counts,
        });
      },
    }),

    operation({
      method: 'POST',
      path: '/v1/kkt/buffer/sync',
      summary: 'Manual sync: drains the backlog through the breaker',
      body: { schema: emptyBody },
      responses: {
        200: { description: 'Result', schema: syncResultSchema },
        409: { description: 'A manual sync is already running' },
      },
      async handler({ res }) {
        const r = await station.worker.syncNow();
        sendJson(res, 200, {
          synced: r.synced,
          failed: r.failed,
          skipped: r.skipped,
          dead_lettered: r.deadLettered,
          duration_seconds: r.durationMs / 1000,
          ...(r.heldBack
            ? { held_back: { reason: r.heldBack.reason, next_attempt_at: r.heldBack.nextAttemptAt } }
            : {}),
        });
      },
    }),

    operation({
      method: 'POST',
      path: '/v1/kkt/buffer/acknowledge-loss',
      summary:
        'A manager acknowledges a lost buffer (deleted or emptied while the KKT kept documents): sales resume; the journal records who and when',
      body: { schema: acknowledgeLossBody },
      responses: {
        200: { description: 'Acknowledged', schema: acknowledgeLossSchema },
        409: { description: 'There is no lost buffer to acknowledge' },
      },
      async handler({ res, body }) {
        const ack = station.acknowledgeBufferLoss(body.acknowledged_by, BY.managerPinRest);
        sendJson(res, 200, {
          acknowledged: true,
          acknowledged_by: ack.acknowledgedBy,
          acknowledged_at: ack.acknowledgedAt,
          detected_at: ack.detectedAt,
          kkt_last_fd: ack.kktLastFd,
        });
      },
    }),

    operation({
      method: 'GET',
      path: '/v1/kkt/worker/status',
      summary: 'Sync worker: running, last and next run, counters, backoff, breaker',
      responses: { 200: { description: 'Worker status', schema: workerStatusSchema } },
      async handler({ res }) {
        const w = station.worker.snapshot();
        sendJson(res, 200, {
          running: w.started,
          sync_in_progress: w.running,
          manual_sync_in_progress: w.manualRunning,
          last_run_at: w.lastRunAt,
          last_run: w.lastRunResult && {
            synced: w.lastRunResult.synced,
            failed: w.lastRunResult.failed,
            skipped: w.lastRunResult.skipped,
            duration_seconds: w.lastRunResult.durationMs / 1000,
          },
          next_run_at: w.nextRunAt,
          backoff_seconds: w.backoffMs / 1000,
          last_error: w.lastError,
          ofd_auth_failure: w.ofdAuthFailure,
          in_flight: w.inFlight,
          counters: {
            runs: w.totals.runs,
            synced: w.totals.synced,
            failed: w.totals.failed,
            dead_lettered: w.totals.deadLettered,
          },
          circuit_breaker: station.breaker.snapshot(),
        });
      },
    }),

    operation({
      method: 'GET',
      path: '/v1/health',
      summary: 'healthy / degraded / unhealthy with components',
      responses: {
        200: { description: 'Healthy or degraded', schema: healthSchema },
        503: { description: 'Unhealthy', schema: healthSchema },
      },
      async handler({ res }) {
        const h = await station.health();
        sendJson(res, h.status === 'unhealthy' ? 503 : 200, {
          status: h.status,
          components: {
            database: h.components.database,
            buffer: {
              status: h.components.buffer.status,
              percent_full: h.components.buffer.percentFull,
              dlq_size: h.components.buffer.dlqSize,
            },
            circuit_breaker: {
              state: h.components.breaker.state,
              consecutive_failures: h.components.breaker.consecutiveFailures,
              total_failures: h.components.breaker.totalFailures,
              next_attempt_at: h.components.breaker.nextAttemptAt,
              last_failure: h.components.breaker.lastFailure,
            },
            kkt: {
              status: h.components.kkt.status,
              error: h.components.kkt.error,
              problems: h.components.kkt.problems,
              fn_health: h.components.kkt.fn && {
                level: h.components.kkt.fn.level,
                days_to_expiry: h.components.kkt.fn.daysToExpiry,
                unsent_days: h.components.kkt.fn.unsentDays,
                reasons: h.components.kkt.fn.reasons,
              },
              ...(h.components.kkt.detail ? kktStatusView(h.components.kkt.detail) : {}),
            },
            disk: {
              status: h.components.disk.status,
              free_bytes: h.components.disk.freeBytes,
              floor_bytes: h.components.disk.floorBytes,
              reserved: h.components.disk.reserved,
              ...(h.components.disk.error ? { error: h.components.disk.error } : {}),
            },
            unrecorded_prints: h.components.unrecordedPrints,
            buffer_lost: h.components.bufferLost
              ? {
                  detected_at: h.components.bufferLost.detectedAt,
                  kkt_last_fd: h.components.bufferLost.kktLastFd,
                }
              : null,
            fn_relay: fnRelayView(h.components.fnRelay),
          },
        });
      },
    }),

    operation({
      method: 'GET',
      path: '/metrics',
      summary: 'Prometheus text format',
      responses: { 200: { description: 'Metrics', contentType: 'text/plain' } },
      async handler({ res }) {
        sendText(res, 200, 'text/plain; version=0.0.4; charset=utf-8', prometheusMetrics(station));
      },
    }),
  ];
}
