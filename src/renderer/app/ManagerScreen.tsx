// The manager area behind the PIN. The PIN lives only in this component's memory while the manager
// session is open: leaving the section (unmount) or "Leave manager mode" forgets it.
import { useCallback, useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { CommandError, DlqEntryView, SettingsView, SyncResultView } from '../../shared/contract.ts';
import { formatDateTime } from '../format.ts';
import { isValidPin } from '../../shared/pin.ts';
import { useLang, useT } from '../i18n/index.ts';
import { call } from '../state/api.ts';
import { acceptSnapshot, useStation } from '../state/store.ts';
import { ErrorAlert, Modal, Money, Notice, ProgressBar, TextField, focusOnOpen } from './ui.tsx';

const PIN_ERRORS = new Set(['pin_wrong', 'pin_required', 'pin_not_set']);

const MANAGER_IDLE_MS = 3 * 60_000;

export function ManagerScreen() {
  const t = useT();
  const pinSet = useStation((s) => s.snapshot?.managerPinSet ?? null);
  const [pin, setPin] = useState<string | null>(null);
  const [loggedOutReason, setLoggedOutReason] = useState<string | null>(null);

  // Forget the PIN when leaving the section.
  useEffect(() => () => setPin(null), []);

  // ...and after a few idle minutes: a manager who walks away must not leave the manager area open.
  useEffect(() => {
    if (pin === null) return;
    let timer = setTimeout(expire, MANAGER_IDLE_MS);
    function expire() {
      setPin(null);
      setLoggedOutReason(t.managerIdleLogout);
    }
    const activity = () => {
      clearTimeout(timer);
      timer = setTimeout(expire, MANAGER_IDLE_MS);
    };
    const hidden = () => document.visibilityState === 'hidden' && expire();
    document.addEventListener('keydown', activity, true);
    document.addEventListener('pointerdown', activity, true);
    document.addEventListener('visibilitychange', hidden);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('keydown', activity, true);
      document.removeEventListener('pointerdown', activity, true);
      document.removeEventListener('visibilitychange', hidden);
    };
  }, [pin, t]);

  const onPinRejected = useCallback((e: CommandError) => {
    if (PIN_ERRORS.has(e.code)) {
      setPin(null);
      setLoggedOutReason(t.errorText(e));
      return true;
    }
    return false;
  }, [t]);

  return (
    <div className="screen manager-screen">
      <h2>{t.managerTitle}</h2>
      {pinSet === null ? <p role="status">{t.connecting}</p> : null}
      {pinSet === false ? <SetPinForm /> : null}
      {pinSet && !pin ? <LoginForm reason={loggedOutReason} onLogin={(p) => { setLoggedOutReason(null); setPin(p); }} /> : null}
      {pinSet && pin ? (
        <>
          <div className="button-row">
            <button type="button" className="btn btn-ghost" onClick={() => setPin(null)}>
              {t.logout}
            </button>
          </div>
          <SyncPanel pin={pin} onPinRejected={onPinRejected} />
          <DlqPanel pin={pin} onPinRejected={onPinRejected} />
          <SettingsPanel pin={pin} onPinRejected={onPinRejected} />
          <ChangePinPanel onChanged={(p) => setPin(p)} />
        </>
      ) : null}
    </div>
  );
}

type PinProps = { pin: string; onPinRejected: (e: CommandError) => boolean };

function PinField({ label, value, onValue, error, inputRef, hint }: {
  label: string;
  value: string;
  onValue: (v: string) => void;
  error?: string | null;
  inputRef?: RefObject<HTMLInputElement | null>;
  hint?: string;
}) {
  return (
    <TextField
      label={label}
      type="password"
      value={value}
      onValue={(v) => onValue(v.replace(/\D/g, '').slice(0, 8))}
      error={error}
      inputRef={inputRef}
      hint={hint}
      inputMode="numeric"
      autoComplete="off"
      maxLength={8}
    />
  );
}

function SetPinForm() {
  const t = useT();
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [errA, setErrA] = useState<string | null>(null);
  const [errB, setErrB] = useState<string | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => focusOnOpen(ref.current), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ea = isValidPin(a) ? null : t.errPinFormat;
    const eb = ea ? null : a === b ? null : t.errPinMismatch;
    setErrA(ea);
    setErrB(eb);
    if (ea || eb) return;
    setBusy(true);
    const r = await call('manager.setPin', { newPin: a });
    setBusy(false);
    setA('');
    setB('');
    if (!r.ok) setError(r.error);
    // On success the next snapshot says managerPinSet: true and the sign-in form appears.
    else {
      setError(null);
      const snap = await call('station.snapshot');
      if (snap.ok) acceptSnapshot(snap.value);
    }
  }

  return (
    <form className="panel narrow-form" onSubmit={(e) => void submit(e)} aria-labelledby="set-pin-title" noValidate>
      <h3 id="set-pin-title">{t.setPinTitle}</h3>
      <p>{t.setPinIntro}</p>
      <PinField label={t.newPin} value={a} onValue={setA} error={errA} inputRef={ref} hint={t.pinHint} />
      <PinField label={t.repeatPin} value={b} onValue={setB} error={errB} />
      {error ? <ErrorAlert error={error} /> : null}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {t.setPin}
      </button>
    </form>
  );
}

function LoginForm({ onLogin, reason }: { onLogin: (pin: string) => void; reason: string | null }) {
  const t = useT();
  const [pin, setPin] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => focusOnOpen(ref.current), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!isValidPin(pin)) {
      setErr(t.errPinFormat);
      return;
    }
    setErr(null);
    setBusy(true);
    const r = await call('manager.verifyPin', { pin });
    setBusy(false);
    if (r.ok) onLogin(pin);
    else {
      setError(r.error);
      setPin('');
      ref.current?.focus();
    }
  }

  return (
    <form className="panel narrow-form" onSubmit={(e) => void submit(e)} aria-labelledby="login-title" noValidate>
      <h3 id="login-title">{t.loginTitle}</h3>
      {reason && !error ? <ErrorAlert error={reason} /> : null}
      <PinField label={t.managerPin} value={pin} onValue={setPin} error={err} inputRef={ref} hint={t.pinHint} />
      {error ? <ErrorAlert error={error} /> : null}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {t.login}
      </button>
    </form>
  );
}

function SyncPanel({ pin, onPinRejected }: PinProps) {
  const t = useT();
  const progress = useStation((s) => s.syncProgress);
  const manualRunning = useStation((s) => s.snapshot?.worker.manualRunning ?? false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SyncResultView | null>(null);
  const [error, setError] = useState<CommandError | null>(null);

  async function sync() {
    if (busy) return;
    setBusy(true);
    setError(null);
    setResult(null);
    useStation.setState({ syncProgress: null });
    const r = await call('sync.now', { pin });
    setBusy(false);
    if (r.ok) setResult(r.value);
    else if (!onPinRejected(r.error)) setError(r.error);
  }

  const running = busy || manualRunning;
  const total = progress?.total ?? 0;
  return (
    <section className="panel" aria-labelledby="sync-title">
      <h3 id="sync-title">{t.syncTitle}</h3>
      <button type="button" className="btn btn-primary" onClick={() => void sync()} disabled={running} aria-busy={running}>
        {t.syncNow}
      </button>
      {running || progress ? (
        <ProgressBar
          label={t.syncProgress}
          value={progress?.done ?? 0}
          max={Math.max(total, 1)}
          text={progress ? t.syncProgressText(progress.done, progress.total) : t.working}
        />
      ) : null}
      {result ? (
        <p role="status" className="notice" data-testid="sync-result">
          {t.syncResult(result.synced, result.failed, result.skipped, result.deadLettered, result.durationMs)}
        </p>
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
    </section>
  );
}

function DlqPanel({ pin, onPinRejected }: PinProps) {
  const t = useT();
  const lang = useLang();
  const dlqSize = useStation((s) => s.snapshot?.buffer.dlqSize ?? 0);
  const [entries, setEntries] = useState<DlqEntryView[] | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [resolving, setResolving] = useState<DlqEntryView | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await call('dlq.list', { pin });
    if (r.ok) setEntries(r.value);
    else if (!onPinRejected(r.error)) setError(r.error);
  }, [pin, onPinRejected]);
  useEffect(() => {
    void load();
  }, [load, dlqSize]);

  const label = (e: DlqEntryView) => (e.fdNumber !== null ? `${t.fdNumber} ${e.fdNumber}` : e.receiptId.slice(0, 8));

  async function retry(e: DlqEntryView) {
    setBusyId(e.receiptId);
    setError(null);
    setNotice(null);
    const r = await call('dlq.retry', { pin, receiptId: e.receiptId });
    setBusyId(null);
    if (r.ok) setNotice(t.dlqRetried(label(e)));
    else if (!onPinRejected(r.error)) setError(r.error);
    void load();
  }

  const open = entries?.filter((e) => !e.resolvedAt) ?? [];
  const resolved = entries?.filter((e) => e.resolvedAt) ?? [];
  return (
    <section className="panel" aria-labelledby="dlq-title">
      <h3 id="dlq-title">{t.dlqTitle}</h3>
      <button type="button" className="btn btn-small" onClick={() => void load()}>
        {t.dlqRefresh}
      </button>
      {notice ? <Notice>{notice}</Notice> : null}
      {error ? <ErrorAlert error={error} /> : null}
      {entries && entries.length === 0 ? <p className="empty">{t.dlqEmpty}</p> : null}
      {entries && entries.length > 0 ? (
        <table className="table dlq-table" aria-labelledby="dlq-title">
          <thead>
            <tr>
              <th scope="col">{t.dlqReceipt}</th>
              <th scope="col" className="num">{t.colAmount}</th>
              <th scope="col">{t.dlqReason}</th>
              <th scope="col" className="num">{t.dlqAttempts}</th>
              <th scope="col">{t.dlqMoved}</th>
              <th scope="col"><span className="visually-hidden">{t.actions}</span></th>
            </tr>
          </thead>
          <tbody>
            {[...open, ...resolved].map((e) => (
              <tr key={e.receiptId} className={e.resolvedAt ? 'row-muted' : undefined}>
                <td>
                  {label(e)}
                  <div className="hint mono">{e.receiptId}</div>
                </td>
                <td className="num"><Money kop={e.totalKop} /></td>
                <td>
                  {e.reason}
                  {e.lastError ? <div className="hint">{e.lastError}</div> : null}
                  {e.resolvedAt ? <div className="hint">{t.dlqResolved(formatDateTime(e.resolvedAt, lang), e.resolvedBy ?? '', e.resolutionNote ?? '')}</div> : null}
                </td>
                <td className="num">{e.attempts}</td>
                <td>{formatDateTime(e.movedAt, lang)}</td>
                <td className="actions-cell">
                  <div className="row-actions">
                    {!e.resolvedAt ? (
                    <>
                      <button type="button" className="btn btn-small" disabled={busyId === e.receiptId} aria-label={t.dlqRetry(label(e))} onClick={() => void retry(e)}>
                        ↻
                      </button>
                      <button type="button" className="btn btn-small" aria-label={t.dlqResolve(label(e))} onClick={() => setResolving(e)}>
                        ✓
                      </button>
                    </>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {resolving ? (
        <ResolveDialog
          pin={pin}
          entry={resolving}
          onPinRejected={onPinRejected}
          onClose={() => setResolving(null)}
          onDone={() => {
            setNotice(t.dlqResolvedDone(label(resolving)));
            setResolving(null);
            void load();
          }}
        />
      ) : null}
    </section>
  );
}

function ResolveDialog({ pin, entry, onPinRejected, onClose, onDone }: PinProps & { entry: DlqEntryView; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [note, setNote] = useState('');
  const [noteErr, setNoteErr] = useState<string | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!note.trim()) {
      setNoteErr(t.dlqNoteHint);
      return;
    }
    setBusy(true);
    const r = await call('dlq.resolve', { pin, receiptId: entry.receiptId, note: note.trim() });
    setBusy(false);
    if (r.ok) onDone();
    else if (onPinRejected(r.error)) onClose();
    else setError(r.error);
  }

  return (
    <Modal title={t.dlqResolveTitle} onClose={onClose} initialFocus={ref}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p className="mono">{entry.fdNumber !== null ? `${t.fdNumber} ${entry.fdNumber} · ` : ''}{entry.receiptId}</p>
        <TextField label={t.dlqNote} value={note} onValue={setNote} inputRef={ref} error={noteErr} hint={t.dlqNoteHint} maxLength={500} autoComplete="off" />
        {error ? <ErrorAlert error={error} /> : null}
        <div className="dialog-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t.dlqResolveConfirm}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            {t.cancel}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function SettingsPanel({ pin, onPinRejected }: PinProps) {
  const t = useT();
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [kkt, setKkt] = useState('');
  const [baud, setBaud] = useState('');
  const [ofdUrl, setOfdUrl] = useState('');
  const [token, setToken] = useState('');
  const [capacity, setCapacity] = useState('');
  const [errs, setErrs] = useState<{ baud?: string; capacity?: string }>({});
  const [error, setError] = useState<CommandError | null>(null);
  const [saved, setSaved] = useState<{ restartRequired: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const fill = (s: SettingsView) => {
    setSettings(s);
    setKkt(s.kkt);
    setBaud(String(s.kktBaud));
    setOfdUrl(s.ofdUrl);
    setCapacity(String(s.bufferCapacity));
    setToken('');
  };
  useEffect(() => {
    void call('settings.get', { pin }).then((r) => {
      if (r.ok) fill(r.value);
      else if (!onPinRejected(r.error)) setError(r.error);
    });
  }, [pin, onPinRejected]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!settings || busy) return;
    const next: { baud?: string; capacity?: string } = {};
    const baudN = /^\d+$/.test(baud.trim()) ? Number(baud.trim()) : NaN;
    const capN = /^\d+$/.test(capacity.trim()) ? Number(capacity.trim()) : NaN;
    if (!(baudN > 0)) next.baud = t.errBaud;
    if (!(capN >= 1)) next.capacity = t.errCapacity;
    setErrs(next);
    if (next.baud || next.capacity) return;
    const patch: { kkt?: string; kktBaud?: number; ofdUrl?: string; ofdToken?: string; bufferCapacity?: number } = {};
    if (kkt.trim() !== settings.kkt) patch.kkt = kkt.trim();
    if (baudN !== settings.kktBaud) patch.kktBaud = baudN;
    if (ofdUrl.trim() !== settings.ofdUrl) patch.ofdUrl = ofdUrl.trim();
    if (token) patch.ofdToken = token;
    if (capN !== settings.bufferCapacity) patch.bufferCapacity = capN;
    setBusy(true);
    setError(null);
    setSaved(null);
    const r = await call('settings.update', { pin, patch });
    setBusy(false);
    if (r.ok) {
      fill(r.value.settings);
      setSaved({ restartRequired: r.value.restartRequired });
    } else if (!onPinRejected(r.error)) setError(r.error);
  }

  const tokenState = settings?.ofdTokenSet ? t.ofdTokenSet : t.ofdTokenNotSet;
  return (
    <section className="panel" aria-labelledby="settings-title">
      <h3 id="settings-title">{t.settingsTitle}</h3>
      {settings ? (
        <form className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
          <TextField label={t.kktPort} value={kkt} onValue={setKkt} hint={t.kktPortHint} autoComplete="off" />
          <TextField label={t.kktBaud} value={baud} onValue={setBaud} error={errs.baud} inputMode="numeric" autoComplete="off" />
          <TextField label={t.ofdUrl} value={ofdUrl} onValue={setOfdUrl} type="url" autoComplete="off" />
          <TextField label={t.ofdToken} value={token} onValue={setToken} type="password" hint={t.ofdTokenHint(tokenState)} autoComplete="new-password" />
          <TextField label={t.bufferCapacity} value={capacity} onValue={setCapacity} error={errs.capacity} inputMode="numeric" autoComplete="off" />
          {error ? <ErrorAlert error={error} /> : null}
          {saved ? (
            <Notice>
              {t.settingsSaved}
              {saved.restartRequired ? ` ${t.restartRequired}` : ''}
            </Notice>
          ) : null}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t.saveSettings}
          </button>
        </form>
      ) : error ? (
        <ErrorAlert error={error} />
      ) : (
        <p role="status">{t.working}</p>
      )}
    </section>
  );
}

function ChangePinPanel({ onChanged }: { onChanged: (pin: string) => void }) {
  const t = useT();
  const [cur, setCur] = useState('');
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [errs, setErrs] = useState<{ cur?: string; a?: string; b?: string }>({});
  const [error, setError] = useState<CommandError | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const next: { cur?: string; a?: string; b?: string } = {};
    if (!isValidPin(cur)) next.cur = t.errPinFormat;
    if (!isValidPin(a)) next.a = t.errPinFormat;
    else if (a !== b) next.b = t.errPinMismatch;
    setErrs(next);
    if (next.cur || next.a || next.b) return;
    setBusy(true);
    setError(null);
    setDone(false);
    const r = await call('manager.setPin', { currentPin: cur, newPin: a });
    setBusy(false);
    setCur('');
    setA('');
    setB('');
    if (r.ok) {
      setDone(true);
      onChanged(a);
    } else setError(r.error);
  }

  return (
    <section className="panel" aria-labelledby="change-pin-title">
      <h3 id="change-pin-title">{t.changePinTitle}</h3>
      <form className="narrow-form" onSubmit={(e) => void submit(e)} noValidate>
        <PinField label={t.currentPin} value={cur} onValue={setCur} error={errs.cur} />
        <PinField label={t.newPin} value={a} onValue={setA} error={errs.a} hint={t.pinHint} />
        <PinField label={t.repeatPin} value={b} onValue={setB} error={errs.b} />
        {error ? <ErrorAlert error={error} /> : null}
        {done ? <Notice>{t.pinSaved}</Notice> : null}
        <button type="submit" className="btn" disabled={busy}>
          {t.changePin}
        </button>
      </form>
    </section>
  );
}
