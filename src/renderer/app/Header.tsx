// Always visible: the online/offline chip with the queue, the OFD breaker with its next attempt, the
// last worker run, the emulator badge, and the alerts that escalate (capacity 80/90/100 %, the FN's
// 30-day limit, an expired shift, KKT problems).
import { useShallow } from 'zustand/react/shallow';
import type { StationSnapshot } from '../../shared/contract.ts';
import { formatTime } from '../format.ts';
import { registrationAlerts, type HeaderAlert } from '../state/kkt-alerts.ts';
import { useLang, useT } from '../state/language.ts';
import { call, station } from '../state/api.ts';
import { useSale } from '../state/sale.ts';
import { SHIFT_ERROR_CODES } from '../state/receipt.ts';
import { statusLine, statusTone } from '../state/status.ts';
import { setLang, setScreen, useStation } from '../state/store.ts';
import { useCommand } from './useCommand.ts';

export function Header() {
  const t = useT();
  const lang = useLang();
  const { snapshot, now, connectError, hostLost } = useStation(
    useShallow((s) => ({
      snapshot: s.snapshot,
      now: s.now,
      connectError: s.connectError,
      hostLost: s.hostLost,
    })),
  );
  const host = station().host;

  const line = snapshot ? (hostLost ? t.hostLost : statusLine(t, lang, snapshot, now)) : null;
  const connecting = connectError ? t.noConnection(connectError) : t.connecting;
  const breaker = snapshot
    ? `${t.breakerLabel}: ${t.breakerState[snapshot.breaker.state] ?? snapshot.breaker.state}${
        snapshot.breaker.state !== 'CLOSED' && snapshot.breaker.nextAttemptAt
          ? `, ${t.breakerNext(formatTime(snapshot.breaker.nextAttemptAt, lang))}`
          : ''
      }`
    : '';
  const lastRun = snapshot
    ? `${t.lastRun}: ${snapshot.worker.lastRunAt ? formatTime(snapshot.worker.lastRunAt, lang) : t.never}`
    : '';

  // Two rows of fixed height (shell.css): a long status or a new alert is cut with an ellipsis (its
  // full text in the tooltip and on «Состояние»), so the sale screen under it never moves.
  return (
    <header className="app-header">
      <div className="header-row">
        <div className="brand">
          <h1>{t.appTitle}</h1>
          {snapshot ? <span className="pos-id">{t.pos(snapshot.posId)}</span> : null}
        </div>
        <section className="status-strip" aria-label={t.statusRegion}>
          {snapshot ? (
            <>
              <p
                role="status"
                className={`chip chip-${hostLost ? 'offline' : statusTone(snapshot)}`}
                data-testid="status-chip"
                title={line ?? undefined}
              >
                <span className="chip-dot" aria-hidden="true" />
                <span className="ellipsis">{line}</span>
              </p>
              {snapshot.kkt?.emulated ? (
                <p className="badge-emulator" data-testid="emulator-badge">
                  {t.emulatorBadge}
                </p>
              ) : null}
            </>
          ) : (
            <p role="status" className="chip chip-unknown" title={connecting}>
              <span className="ellipsis">{connecting}</span>
            </p>
          )}
        </section>
        <button
          type="button"
          className="btn btn-ghost lang-switch"
          lang={t.switchLanguageLang}
          onClick={() => setLang(lang === 'ru' ? 'en' : 'ru')}
        >
          {t.switchLanguage}
        </button>
      </div>
      <div className="header-row header-row-second">
        {snapshot ? (
          <>
            <p
              className={`breaker breaker-${snapshot.breaker.state.toLowerCase()}`}
              data-testid="breaker"
              title={breaker}
            >
              {breaker}
            </p>
            <p className="last-run" data-testid="last-run" title={lastRun}>
              {lastRun}
            </p>
            <Alerts snapshot={snapshot} now={now} />
          </>
        ) : null}
      </div>
      <span className="visually-hidden">{t.host(host)}</span>
    </header>
  );
}

function Alerts({ snapshot, now }: { snapshot: StationSnapshot; now: number }) {
  const t = useT();
  const lang = useLang();
  const { busy, error: kktError, run, clearError } = useCommand();
  // The sale screen offers the same actions next to its own error: one button of each name on screen.
  const saleOwnsActions = useSale(
    (s) => s.error !== null && (s.error.code === 'kkt_refused' || SHIFT_ERROR_CODES.has(s.error.code)),
  );
  const b = snapshot.buffer;
  const pct = Math.floor(b.percentFull);
  const kkt = snapshot.kkt;
  const alerts: HeaderAlert[] = [];

  const level =
    b.alert !== 'ok' ? b.alert : pct >= 100 ? 'full' : pct >= 90 ? 'critical' : pct >= 80 ? 'warning' : 'ok';
  if (level === 'full') alerts.push({ key: 'cap', level: 'critical', text: t.capFull(b.queued, b.capacity) });
  else if (level === 'critical')
    alerts.push({ key: 'cap', level: 'critical', text: t.capCritical(pct, b.queued, b.capacity) });
  else if (level === 'warning')
    alerts.push({ key: 'cap', level: 'warning', text: t.capWarning(pct, b.queued, b.capacity) });

  if (kkt?.connected) alerts.push(...registrationAlerts(t, lang, kkt, now));
  if (kkt) {
    if (kkt.shiftOpen && kkt.shiftExpired)
      alerts.push({ key: 'shift', level: 'critical', text: t.shiftExpiredAlert, action: 'shift' });
    if (
      kkt.mode === 'paper_out' ||
      kkt.mode === 'awaiting_continue' ||
      (kkt.connected && !kkt.paperPresent)
    ) {
      alerts.push({ key: 'paper', level: 'critical', text: t.kktPaperOut, action: 'continue' });
    } else if (!kkt.connected) {
      alerts.push({
        key: 'kkt',
        level: 'critical',
        text: kkt.error ? t.kktProblemAlert(kkt.error) : t.kktDisconnected,
      });
    } else if (kkt.problem) {
      alerts.push({ key: 'kkt', level: 'warning', text: t.kktProblemAlert(kkt.problem) });
    }
  }
  if (alerts.length === 0 && !kktError) return null;

  const continuePrint = () => run(() => call('kkt.continuePrint'));

  return (
    <section className="alerts" aria-label={t.alertsRegion}>
      {alerts.map((a) => (
        <div key={a.key} role="alert" className={`alert alert-${a.level}`} data-testid={`alert-${a.key}`}>
          <p title={a.text}>{a.text}</p>
          {a.action === 'shift' && !saleOwnsActions ? (
            <button type="button" className="btn btn-small" onClick={() => setScreen('shift')}>
              {t.goToShift}
            </button>
          ) : null}
          {a.action === 'continue' && !saleOwnsActions ? (
            <button
              type="button"
              className="btn btn-small"
              disabled={busy}
              onClick={() => void continuePrint()}
            >
              {t.continuePrint}
            </button>
          ) : null}
        </div>
      ))}
      {kktError ? (
        <div role="alert" className="alert alert-critical">
          <p title={t.errorText(kktError)}>{t.errorText(kktError)}</p>
          <button type="button" className="btn btn-small" onClick={clearError}>
            {t.dismiss}
          </button>
        </div>
      ) : null}
    </section>
  );
}
