// Prometheus text exposition (format 0.0.4) for fleets that scrape their stations. The alert rules
// (ops/prometheus/alerts.yml), the dashboard (ops/grafana/cashier-station.json) and docs/fleet.md use
// these names; tests/fleet.test.ts checks a real scrape with `promtool check metrics` and that every
// station_* name those files use is exported here.
// Design: ages are exported as seconds ("how long has this been so"), computed at scrape time, 0 when
// nothing is waiting, so an alert is a plain threshold and survives a Prometheus restart; the store and
// till labels come from the scrape target (file_sd), not from the station. Nothing here talks to the
// KKT: the KKT figures are the last status the station saw, and station_kkt_connected says whether the
// KKT answered the last probe. Counters (_total) count since the process started; rate() handles resets.
import type { Station } from '../core/station.ts';
import { RECEIPT_STATES } from '../../shared/receipt-states.ts';
import { FN_WARNING_BITS } from '../../shared/fn-health.ts';

/** Seconds since an ISO time (a KKT time without zone is read as local time, as the KKT shows it); 0 for none. */
function ageSeconds(iso: string | null | undefined, now: number): number {
  const at = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(at) ? Math.max(0, now - at) / 1000 : 0;
}

/** A label value as the exposition format wants it: backslash, quote and newline escaped. */
function labelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function prometheusMetrics(station: Station): string {
  const now = Date.now();
  const b = station.bufferStatus();
  const w = station.worker.snapshot();
  const br = station.breaker.snapshot();
  const ops = station.opsStatus();
  const kkt = ops.kkt;
  const lines: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: [string, number][]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
  };
  metric('station_info', 'gauge', 'Always 1; the labels say which till and KKT this is.', [
    [
      `{pos_id="${labelValue(station.config.posId)}",kkt_emulated="${station.kkt.emulated ? 1 : 0}",node_version="${process.versions.node}"}`,
      1,
    ],
  ]);
  metric('station_start_time_seconds', 'gauge', 'When this station process started (Unix time).', [
    ['', Math.round(Date.parse(ops.startedAt) / 1000)],
  ]);
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
    [['', ageSeconds(b.oldestPendingAt, now)]],
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
    'station_breaker_open_seconds',
    'gauge',
    'Seconds since the OFD breaker opened in the current outage (failed half-open trials do not reset it); 0 when closed.',
    [['', ageSeconds(ops.ofdOutageSince, now)]],
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
  metric(
    'station_receipts_printed_total',
    'counter',
    'Receipts printed by the KKT (or found printed by reconciliation) since the station started.',
    (['sale', 'refund', 'correction'] as const).map((t) => [`{type="${t}"}`, ops.printedSinceStart[t]]),
  );
  metric('station_kkt_connected', 'gauge', "1 when the KKT answered the station's last status probe.", [
    ['', ops.kktConnected ? 1 : 0],
  ]);
  metric('station_shift_open', 'gauge', '1 while a shift is open on the KKT (last status seen).', [
    ['', kkt?.shiftOpen ? 1 : 0],
  ]);
  metric(
    'station_shift_age_seconds',
    'gauge',
    'Age of the open shift by its opening time on the KKT; 0 with no open shift. Sales stop at 24 h.',
    [['', kkt?.shiftOpen ? ageSeconds(kkt.shiftOpenedAt, now) : 0]],
  );
  metric(
    'station_fn_unsent_documents',
    'gauge',
    "Fiscal documents the KKT's fiscal drive (FN) has not yet had acknowledged by the OFD.",
    [['', kkt?.unsentCount ?? 0]],
  );
  metric(
    'station_fn_oldest_unsent_age_seconds',
    'gauge',
    "Age of the FN's oldest unacknowledged document (0 when none); the FN blocks after 30 days.",
    [['', kkt && kkt.unsentCount > 0 ? ageSeconds(kkt.oldestUnsentAt, now) : 0]],
  );
  const relay = station.relay?.snapshot() ?? null;
  metric(
    'station_fn_relay_enabled',
    'gauge',
    "1 when the station relays the FN's messages to the OFD (ofdServer set); 0 when the KKT sends by itself.",
    [['', relay ? 1 : 0]],
  );
  if (relay) {
    metric(
      'station_fn_relay_breaker_state',
      'gauge',
      "The FN relay's OFD circuit breaker state (1 for the current one).",
      (['CLOSED', 'OPEN', 'HALF_OPEN'] as const).map((s) => [
        `{state="${s}"}`,
        relay.breaker.state === s ? 1 : 0,
      ]),
    );
    metric('station_fn_relay_documents_total', 'counter', 'FN relay outcomes per document since start.', [
      ['{outcome="delivered"}', relay.totals.delivered],
      ['{outcome="failed"}', relay.totals.failed],
      ['{outcome="refused"}', relay.totals.refused],
      ['{outcome="kkt_error"}', relay.totals.kktErrors],
    ]);
    metric(
      'station_fn_relay_last_exchange_age_seconds',
      'gauge',
      'Seconds since the FN relay last delivered a document (0 before the first).',
      [['', ageSeconds(relay.lastExchangeAt, now)]],
    );
  }
  const expiry = kkt?.fnExpiresOn ? Date.parse(`${kkt.fnExpiresOn}T00:00:00`) : NaN;
  metric(
    'station_fn_expires_in_seconds',
    'gauge',
    "Seconds until the FN's validity date (FF03h; negative after it); absent until the KKT told it. Replace the FN before it.",
    Number.isFinite(expiry) ? [['', Math.round((expiry - now) / 1000)]] : [],
  );
  metric(
    'station_fn_warning',
    'gauge',
    "The FN's own warning flags (FF01h), 1 while set: replace_urgent (3 days left), replace_soon (30 days), memory_almost_full (90 %), ofd_timeout.",
    (Object.keys(FN_WARNING_BITS) as (keyof typeof FN_WARNING_BITS)[]).map((f) => [
      `{flag="${f}"}`,
      kkt?.fnWarnings.includes(f) ? 1 : 0,
    ]),
  );
  metric(
    'station_kkt_tax_system_ok',
    'gauge',
    '0 when no tax system can be used (the configured one is not registered on the KKT, or several are and none is configured): sales are refused.',
    [['', kkt?.connected && kkt.taxSystemProblem ? 0 : 1]],
  );
  metric(
    'station_kkt_registration_info',
    'gauge',
    'Always 1 once the KKT answered; the labels are its registration: tax systems (1062), the one in use (1055), the FFD version.',
    kkt?.connected
      ? [
          [
            `{tax_systems="${kkt.taxSystems.join(',')}",tax_system="${kkt.taxSystem ?? ''}",ffd_version="${labelValue(kkt.ffdVersion ?? '')}"}`,
            1,
          ],
        ]
      : [],
  );
  return `${lines.join('\n')}\n`;
}
