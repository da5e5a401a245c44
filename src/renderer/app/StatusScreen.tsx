// The status panel, live from pushed snapshots: buffer, the OFD connection (the breaker: a pause after
// failures), sync worker, KKT. Shop words only: the breaker's state names stay out of the panel.
import { useShallow } from 'zustand/react/shallow';
import { FN_THRESHOLDS, fnHealth } from '../../shared/fn-health.ts';
import {
  daysSince,
  formatDate,
  formatDateTime,
  formatDuration,
  formatTime,
  minutesSince,
} from '../format.ts';
import { useLang, useT } from '../state/language.ts';
import { statusLine, statusTone } from '../state/status.ts';
import { useStation } from '../state/store.ts';
import { Facts, ProgressBar } from './ui.tsx';
import type { FnRelayView } from '../../shared/contract.ts';
import type { OfdFailureWhy } from '../../shared/ofd-failure.ts';

export function StatusScreen() {
  const t = useT();
  const lang = useLang();
  const { s, now } = useStation(useShallow((st) => ({ s: st.snapshot, now: st.now })));
  if (!s) return <p role="status">{t.connecting}</p>;
  const b = s.buffer;
  const pct = Math.floor(b.percentFull);
  const level = b.alert;
  const oldestMin = minutesSince(b.oldestPendingAt, now);
  const kkt = s.kkt;
  const yn = (v: boolean) => (v ? t.yes : t.no);
  const unsentDays = kkt ? daysSince(kkt.oldestUnsentAt, now) : null;
  const fn = kkt ? fnHealth(kkt, now) : null;
  const taxName = (n: string) => t.taxSystemNames[n] ?? n;
  const shiftAge = kkt?.shiftOpenedAt ? formatDuration(minutesSince(kkt.shiftOpenedAt, now) ?? 0, lang) : '';

  return (
    <div className="screen status-screen">
      <h2>{t.statusTitle}</h2>
      <p className={`chip chip-${statusTone(s)}`} data-testid="status-line">
        <span className="chip-dot" aria-hidden="true" />
        {statusLine(t, lang, s, now)}
      </p>
      <p className="hint">
        {t.snapshotAt}: {formatTime(s.at, lang)}
      </p>
      <div className="status-grid">
        <section className="panel" aria-labelledby="st-buffer">
          <h3 id="st-buffer">{t.bufferTitle}</h3>
          <ProgressBar
            label={t.bufferFill}
            value={b.queued}
            max={b.capacity}
            text={t.bufferOf(b.queued, b.capacity, pct)}
            marks={[80, 90]}
            level={level}
          />
          <p className="hint">{t.levels}</p>
          {b.unprinted > 0 ? <p className="hint">{t.unprintedHint(b.unprinted)}</p> : null}
          <Facts
            rows={[
              [t.pending, String(b.queued)],
              [t.synced, String(b.counts.synced ?? 0)],
              [t.failed, String(b.unprinted)],
              [t.dlq, String(b.dlqSize)],
              [
                t.oldestPending,
                b.oldestPendingAt
                  ? `${formatDateTime(b.oldestPendingAt, lang)} (${formatDuration(oldestMin ?? 0, lang)})`
                  : t.none,
              ],
              [t.networkLabel, t.network[s.network] ?? s.network],
            ]}
          />
        </section>

        <section className="panel" aria-labelledby="st-breaker">
          <h3 id="st-breaker">{t.breakerTitle}</h3>
          <p className="hint">{t.breakerHint(s.breaker.threshold)}</p>
          <Facts
            rows={[
              [t.breakerStateLabel, t.breakerState[s.breaker.state] ?? s.breaker.state],
              [t.failures, `${s.breaker.consecutiveFailures} / ${s.breaker.threshold}`],
              [t.totalFailures, String(s.breaker.totalFailures)],
              [t.nextAttempt, s.breaker.nextAttemptAt ? formatTime(s.breaker.nextAttemptAt, lang) : t.none],
              [
                t.lastFailure,
                s.breaker.lastFailure === null ? (
                  t.none
                ) : (
                  // The breaker keeps only the message; the worker's code for it, when it is the same one.
                  <OfdFailure
                    message={s.breaker.lastFailure}
                    why={s.breaker.lastFailure === s.worker.lastError ? s.worker.lastErrorWhy : null}
                  />
                ),
              ],
            ]}
          />
        </section>

        <section className="panel" aria-labelledby="st-worker">
          <h3 id="st-worker">{t.workerTitle}</h3>
          <Facts
            rows={[
              [t.workerRunning, yn(s.worker.started)],
              [t.workerNow, yn(s.worker.running || s.worker.manualRunning)],
              [t.lastRunAt, s.worker.lastRunAt ? formatTime(s.worker.lastRunAt, lang) : t.never],
              [t.nextRunAt, s.worker.nextRunAt ? formatTime(s.worker.nextRunAt, lang) : t.none],
              [
                t.backoff,
                s.worker.backoffMs > 0
                  ? t.seconds((s.worker.backoffMs / 1000).toFixed(s.worker.backoffMs < 10_000 ? 1 : 0))
                  : t.none,
              ],
              [
                t.lastError,
                s.worker.lastError === null ? (
                  t.none
                ) : (
                  <OfdFailure message={s.worker.lastError} why={s.worker.lastErrorWhy} />
                ),
              ],
              [
                t.workerTotals,
                `${s.worker.totals.synced} / ${s.worker.totals.failed} / ${s.worker.totals.deadLettered}`,
              ],
            ]}
          />
        </section>

        {s.fnRelay ? <FnRelayPanel relay={s.fnRelay} /> : null}

        <section className="panel" aria-labelledby="st-kkt">
          <h3 id="st-kkt">{t.kktTitle}</h3>
          {kkt ? (
            <>
              {kkt.emulated ? <p className="badge-emulator">{t.emulatorBadge}</p> : null}
              <Facts
                rows={[
                  [t.kktConnected, yn(kkt.connected)],
                  [t.kktDevice, kkt.label],
                  [t.kktMode, t.kktModes[kkt.mode] ?? kkt.mode],
                  [t.kktShift, t.kktShiftValue(kkt.shiftNumber, kkt.shiftOpen, shiftAge)],
                  [t.kktPaper, kkt.paperPresent ? t.kktPaperOk : t.kktPaperNo],
                  [t.kktCover, kkt.coverOpen ? t.kktCoverOpen : t.kktCoverClosed],
                  [t.kktTaxSystems, kkt.taxSystems.map(taxName).join(', ') || t.none],
                  [t.kktTaxSystem, kkt.taxSystem ? taxName(kkt.taxSystem) : t.kktTaxSystemNone],
                  [t.kktFfd, kkt.ffdVersion ?? t.none],
                  [t.fnNumber, kkt.fnNumber],
                  [
                    t.kktFnExpires,
                    kkt.fnExpiresOn
                      ? t.kktFnExpiresValue(formatDate(kkt.fnExpiresOn, lang), fn?.daysToExpiry ?? 0)
                      : t.none,
                  ],
                  [t.kktFnWarnings, kkt.fnWarnings.map((w) => t.fnWarningNames[w] ?? w).join(', ') || t.no],
                  [t.kktLastFd, String(kkt.lastFdNumber)],
                  [t.kktUnsent, String(kkt.unsentCount)],
                  [
                    t.kktOldestUnsent,
                    kkt.oldestUnsentAt
                      ? t.kktOldestValue(formatDateTime(kkt.oldestUnsentAt, lang), unsentDays ?? 0)
                      : t.none,
                  ],
                  ...(kkt.problem ? ([[t.lastError, kkt.problem]] as [string, string][]) : []),
                  ...(kkt.error && kkt.error !== kkt.problem
                    ? ([[t.lastError + ' ', kkt.error]] as [string, string][])
                    : []),
                ]}
              />
              {kkt.oldestUnsentAt ? (
                <ProgressBar
                  label={t.kktOldestUnsent}
                  value={Math.min(30, unsentDays ?? 0)}
                  max={30}
                  text={t.kktOldestValue(formatDateTime(kkt.oldestUnsentAt, lang), unsentDays ?? 0)}
                  marks={[
                    (FN_THRESHOLDS.unsentWarningDays / 30) * 100,
                    (FN_THRESHOLDS.unsentCriticalDays / 30) * 100,
                  ]}
                  level={
                    fn?.reasons.includes('fn_unsent_critical')
                      ? 'critical'
                      : fn?.reasons.includes('fn_unsent_old')
                        ? 'warning'
                        : 'ok'
                  }
                />
              ) : null}
            </>
          ) : (
            <p>{t.kktNotAvailable}</p>
          )}
        </section>
      </div>
    </div>
  );
}

/** An OFD failure in the shop's words; the OFD client's English message stays the tooltip for support. */
function OfdFailure({ message, why }: { message: string; why?: OfdFailureWhy | null }) {
  const t = useT();
  return <span title={message}>{why ? t.ofdFailureText(why) : message}</span>;
}

/** The FN → OFD relay (ofdServer set): shown only when the station carries the FN's messages itself. */
function FnRelayPanel({ relay }: { relay: FnRelayView }) {
  const t = useT();
  const lang = useLang();
  return (
    <section className="panel" aria-labelledby="st-fn-relay">
      <h3 id="st-fn-relay">{t.fnRelayTitle}</h3>
      <p className="hint">{t.fnRelayHint}</p>
      <Facts
        rows={[
          [t.fnRelayServer, relay.server],
          [t.breakerStateLabel, t.breakerState[relay.breakerState] ?? relay.breakerState],
          [
            t.fnRelayLastExchange,
            relay.lastExchangeAt ? formatDateTime(relay.lastExchangeAt, lang) : t.never,
          ],
          [t.nextRunAt, relay.nextRunAt ? formatTime(relay.nextRunAt, lang) : t.none],
          [
            t.lastError,
            relay.lastError === null ? (
              t.none
            ) : (
              // The shop's words; the relay's English message stays the tooltip for support.
              <span title={relay.lastError}>
                {relay.lastErrorWhy ? t.fnRelayFailureText(relay.lastErrorWhy) : relay.lastError}
              </span>
            ),
          ],
        ]}
      />
    </section>
  );
}
