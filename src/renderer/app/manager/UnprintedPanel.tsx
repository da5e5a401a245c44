// Never-printed receipts: stored, but the KKT never fiscalised them (the request died with the station,
// or the KKT refused). They do not wait for the OFD. The manager prints one (the sale happened) or voids
// it (confirmed in a dialog); the core voids the rest after unprintedTtlMs and at the Z report. The list
// reloads whenever the snapshot's count changes.
import { useCallback, useRef, useState } from 'react';
import type { ReceiptView } from '../../../shared/contract.ts';
import { formatDateTime } from '../../format.ts';
import { useLang, useT } from '../../state/language.ts';
import { call } from '../../state/api.ts';
import { useStation } from '../../state/store.ts';
import { ErrorAlert, Modal, Money, Notice } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';
import { useManagerList } from './useManagerList.ts';
import type { PinProps } from './session.ts';

export function UnprintedPanel({ pin, onPinRejected }: PinProps) {
  const t = useT();
  const lang = useLang();
  const count = useStation((s) => s.snapshot?.buffer.unprinted ?? 0);
  const command = useCommand(onPinRejected);
  const { fail } = command;
  const [notice, setNotice] = useState<string | null>(null);
  const [voiding, setVoiding] = useState<ReceiptView | null>(null);

  const fetchList = useCallback(() => call('unprinted.list', { pin }), [pin]);
  const { items: receipts, reload: load } = useManagerList(fetchList, fail, count);

  const label = (r: ReceiptView) => r.id.slice(0, 8);

  async function print(r: ReceiptView) {
    setNotice(null);
    const res = await command.run(() => call('unprinted.print', { pin, receiptId: r.id }));
    if (res?.ok) setNotice(t.unprintedPrinted(label(r), res.value.fiscal?.fdNumber ?? null));
    void load();
  }

  async function voidIt(r: ReceiptView) {
    setNotice(null);
    const res = await command.run(() => call('unprinted.void', { pin, receiptId: r.id }));
    setVoiding(null);
    if (res?.ok) setNotice(t.unprintedVoided(label(r)));
    void load();
  }

  return (
    <section className="panel" aria-labelledby="unprinted-title">
      <h3 id="unprinted-title">{t.unprintedTitle}</h3>
      <p className="hint">{t.unprintedIntro}</p>
      {notice ? <Notice>{notice}</Notice> : null}
      {command.error ? <ErrorAlert error={command.error} /> : null}
      {receipts && receipts.length === 0 ? <p className="empty">{t.unprintedEmpty}</p> : null}
      {receipts && receipts.length > 0 ? (
        <table className="table dlq-table" aria-labelledby="unprinted-title">
          <thead>
            <tr>
              <th scope="col">{t.dlqReceipt}</th>
              <th scope="col" className="num">
                {t.colAmount}
              </th>
              <th scope="col">{t.unprintedCreated}</th>
              <th scope="col">{t.dlqReason}</th>
              <th scope="col">
                <span className="visually-hidden">{t.actions}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {receipts.map((r) => (
              <tr key={r.id}>
                <td>
                  {label(r)}
                  <div className="hint mono">{r.id}</div>
                </td>
                <td className="num">
                  <Money kop={r.totalKop} />
                </td>
                <td>{formatDateTime(r.createdAt, lang)}</td>
                <td>{r.lastError ?? t.receiptStates[r.state] ?? r.state}</td>
                <td className="actions-cell">
                  <div className="row-actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={command.busy}
                      aria-label={t.unprintedPrint(label(r))}
                      title={t.unprintedPrint(label(r))}
                      onClick={() => void print(r)}
                    >
                      🖨
                    </button>
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={command.busy}
                      aria-label={t.unprintedVoid(label(r))}
                      title={t.unprintedVoid(label(r))}
                      onClick={() => setVoiding(r)}
                    >
                      ✕
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {voiding ? (
        <VoidDialog
          receipt={voiding}
          busy={command.busy}
          onClose={() => setVoiding(null)}
          onConfirm={() => void voidIt(voiding)}
        />
      ) : null}
    </section>
  );
}

function VoidDialog({
  receipt,
  busy,
  onClose,
  onConfirm,
}: {
  receipt: ReceiptView;
  busy: boolean;
  onClose: () => void;
  onConfirm: () => void;
}) {
  const t = useT();
  const ref = useRef<HTMLButtonElement>(null);
  return (
    <Modal title={t.unprintedVoidTitle} onClose={onClose} initialFocus={ref}>
      <p className="mono">{receipt.id}</p>
      <p>
        <Money kop={receipt.totalKop} />
      </p>
      <div className="dialog-actions">
        <button type="button" className="btn btn-primary" disabled={busy} ref={ref} onClick={onConfirm}>
          {t.unprintedVoidConfirm}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          {t.cancel}
        </button>
      </div>
    </Modal>
  );
}
