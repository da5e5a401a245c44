// The dead-letter queue: documents the OFD refused for good, with the reason and the attempts. Each
// open entry can be sent again (back to the queue) or closed by hand with a note (ResolveDialog);
// closed entries stay listed, muted. The list reloads whenever the snapshot's DLQ size changes.
import { useCallback, useRef, useState, type FormEvent } from 'react';
import type { DlqEntryView } from '../../../shared/contract.ts';
import { formatDateTime } from '../../format.ts';
import { useLang, useT } from '../../state/language.ts';
import { call } from '../../state/api.ts';
import { useStation } from '../../state/store.ts';
import { ErrorAlert, Modal, Money, Notice, TextField, RowAction } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';
import { ManagerList, ReceiptCell } from './ManagerList.tsx';
import { useManagerList } from './useManagerList.ts';
import type { PinProps } from './session.ts';

export function DlqPanel({ pin, onPinRejected }: PinProps) {
  const t = useT();
  const lang = useLang();
  const dlqSize = useStation((s) => s.snapshot?.buffer.dlqSize ?? 0);
  const retry = useCommand(onPinRejected);
  const { fail } = retry;
  const [retrying, setRetrying] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [resolving, setResolving] = useState<DlqEntryView | null>(null);

  const fetchList = useCallback(() => call('dlq.list', { pin }), [pin]);
  const { items: entries, reload: load } = useManagerList(fetchList, fail, dlqSize);

  const label = (e: DlqEntryView) =>
    e.fdNumber !== null ? `${t.fdNumber} ${e.fdNumber}` : e.receiptId.slice(0, 8);

  async function sendAgain(e: DlqEntryView) {
    if (retry.busy) return;
    setRetrying(e.receiptId);
    setNotice(null);
    const r = await retry.run(() => call('dlq.retry', { pin, receiptId: e.receiptId }));
    setRetrying(null);
    if (r?.ok) setNotice(t.dlqRetried(label(e)));
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
      {retry.error ? <ErrorAlert error={retry.error} /> : null}
      <ManagerList
        items={entries ? [...open, ...resolved] : null}
        name={{ labelledBy: 'dlq-title' }}
        className="dlq-table"
        empty={t.dlqEmpty}
        rowKey={(e) => e.receiptId}
        rowClassName={(e) => (e.resolvedAt ? 'row-muted' : undefined)}
        columns={[
          { title: t.dlqReceipt, cell: (e) => <ReceiptCell label={label(e)} id={e.receiptId} /> },
          { title: t.colAmount, numeric: true, cell: (e) => <Money kop={e.totalKop} /> },
          {
            title: t.dlqReason,
            cell: (e) => (
              <>
                {e.why ? t.dlqReasonText(e.why) : e.reason}
                {e.lastError && e.why?.code !== 'ofd_rejected' ? (
                  <div className="hint" title={e.lastError}>
                    {e.why?.code === 'attempts_exhausted' && e.why.failure
                      ? t.ofdFailureText(e.why.failure)
                      : e.lastError}
                  </div>
                ) : null}
                {e.resolvedAt ? (
                  <div className="hint">
                    {t.dlqResolved(
                      formatDateTime(e.resolvedAt, lang),
                      e.resolvedBy ?? '',
                      e.resolutionNote ?? '',
                    )}
                  </div>
                ) : null}
              </>
            ),
          },
          { title: t.dlqAttempts, numeric: true, cell: (e) => e.attempts },
          { title: t.dlqMoved, cell: (e) => formatDateTime(e.movedAt, lang) },
        ]}
        actions={(e) =>
          e.resolvedAt ? null : (
            <>
              <RowAction
                label={t.dlqRetry(label(e))}
                icon="↻"
                disabled={retrying === e.receiptId}
                onClick={() => void sendAgain(e)}
              />
              <RowAction label={t.dlqResolve(label(e))} icon="✓" onClick={() => setResolving(e)} />
            </>
          )
        }
      />
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

/** Closes a dead-lettered document by hand; the note (who did what outside the app) is required. */
function ResolveDialog({
  pin,
  entry,
  onPinRejected,
  onClose,
  onDone,
}: PinProps & { entry: DlqEntryView; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [note, setNote] = useState('');
  const [noteErr, setNoteErr] = useState<string | null>(null);
  // A PIN refusal signs out and closes the dialog; anything else is shown in it.
  const command = useCommand((e) => {
    if (!onPinRejected(e)) return false;
    onClose();
    return true;
  });
  const ref = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (command.busy) return;
    if (!note.trim()) {
      setNoteErr(t.dlqNoteHint);
      return;
    }
    const r = await command.run(() =>
      call('dlq.resolve', { pin, receiptId: entry.receiptId, note: note.trim() }),
    );
    if (r?.ok) onDone();
  }

  return (
    <Modal title={t.dlqResolveTitle} onClose={onClose} initialFocus={ref}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p className="mono">
          {entry.fdNumber !== null ? `${t.fdNumber} ${entry.fdNumber} · ` : ''}
          {entry.receiptId}
        </p>
        <TextField
          label={t.dlqNote}
          value={note}
          onValue={setNote}
          inputRef={ref}
          error={noteErr}
          hint={t.dlqNoteHint}
          maxLength={500}
          autoComplete="off"
        />
        {command.error ? <ErrorAlert error={command.error} /> : null}
        <div className="dialog-actions">
          <button type="submit" className="btn btn-primary" disabled={command.busy}>
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
