// "Send to the OFD now": one manual sync run with its live progress (sync.progress events) and its
// summary. The button stays disabled while any manual run is under way, ours or another window's.
import { useState } from 'react';
import type { SyncResultView } from '../../../shared/contract.ts';
import { formatTime } from '../../format.ts';
import { useLang, useT } from '../../state/language.ts';
import { call } from '../../state/api.ts';
import { useStation } from '../../state/store.ts';
import { ErrorAlert, ProgressBar } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';
import type { PinProps } from './session.ts';

export function SyncPanel({ pin, onPinRejected }: PinProps) {
  const t = useT();
  const lang = useLang();
  const progress = useStation((s) => s.syncProgress);
  const manualRunning = useStation((s) => s.snapshot?.worker.manualRunning ?? false);
  const command = useCommand(onPinRejected);
  const [result, setResult] = useState<SyncResultView | null>(null);

  async function sync() {
    if (command.busy) return;
    setResult(null);
    useStation.setState({ syncProgress: null });
    const r = await command.run(() => call('sync.now', { pin }));
    if (r?.ok) setResult(r.value);
  }

  const running = command.busy || manualRunning;
  const total = progress?.total ?? 0;
  return (
    <section className="panel" aria-labelledby="sync-title">
      <h3 id="sync-title">{t.syncTitle}</h3>
      <button
        type="button"
        className="btn btn-primary"
        onClick={() => void sync()}
        disabled={running}
        aria-busy={running}
      >
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
      {result?.heldBack ? (
        <p
          role="alert"
          className="alert alert-warning"
          data-testid="sync-held-back"
          title={result.heldBack.reason}
        >
          {t.syncHeldBack(
            result.heldBack.why ? t.ofdFailureText(result.heldBack.why) : result.heldBack.reason,
            result.heldBack.nextAttemptAt ? formatTime(result.heldBack.nextAttemptAt, lang) : null,
          )}
        </p>
      ) : null}
      {command.error ? <ErrorAlert error={command.error} /> : null}
    </section>
  );
}
