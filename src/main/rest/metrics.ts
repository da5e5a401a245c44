// Prometheus text exposition (format 0.0.4) for fleets that scrape their stations.
import type { Station } from '../core/station.ts';
import { RECEIPT_STATES } from '../../shared/receipt-states.ts';

export function prometheusMetrics(station: Station): string {
  const b = station.bufferStatus();
  const w = station.worker.snapshot();
  const br = station.breaker.snapshot();
  const lines: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: [string, number][]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
  };
  metric('station_buffer_capacity', 'gauge', 'Receipts the buffer holds before refusing sales.', [
    ['', b.capacity],
  ]);
  metric(
    'station_buffer_queued',
    'gauge',
    'Receipts not yet accepted by the OFD (accepted, printing, printed).',
    [['', b.queued]],
  );
  metric(
    'station_receipts',
    'gauge',
    'Receipts in the buffer by state.',
    RECEIPT_STATES.map((s) => [`{state="${s}"}`, b.counts[s]]),
  );
  metric('station_dlq_size', 'gauge', 'Unresolved receipts in the dead-letter queue.', [['', b.dlqSize]]);
  metric(
    'station_oldest_pending_age_seconds',
    'gauge',
    'Age of the oldest receipt not yet synced (0 when none).',
    [
      [
        '',
        b.oldestPendingAt ? Math.max(0, Math.round((Date.now() - Date.parse(b.oldestPendingAt)) / 1000)) : 0,
      ],
    ],
  );
  metric(
    'station_network_online',
    'gauge',
    '1 when the OFD is reachable (breaker closed, no recent failures).',
    [['', b.networkStatus === 'online' ? 1 : 0]],
  );
  metric(
    'station_breaker_state',
    'gauge',
    'OFD circuit breaker state (1 for the current one).',
    (['CLOSED', 'OPEN', 'HALF_OPEN'] as const).map((s) => [`{state="${s}"}`, br.state === s ? 1 : 0]),
  );
  metric(
    'station_breaker_failures_total',
    'counter',
    'OFD calls that failed and counted toward the breaker.',
    [['', br.totalFailures]],
  );
  metric('station_sync_runs_total', 'counter', 'Sync worker runs since start.', [['', w.totals.runs]]);
  metric('station_sync_receipts_total', 'counter', 'OFD delivery outcomes since start.', [
    ['{outcome="synced"}', w.totals.synced],
    ['{outcome="failed"}', w.totals.failed],
    ['{outcome="dead_lettered"}', w.totals.deadLettered],
  ]);
  metric(
    'station_sync_backoff_seconds',
    'gauge',
    'Current delay before the next sync run after runs without progress.',
    [['', w.backoffMs / 1000]],
  );
  return `${lines.join('\n')}\n`;
}
