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
import { ErrorAlert, Modal, Money, Notice, RowAction } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';
import { ManagerList, ReceiptCell } from './ManagerList.tsx';
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
      <ManagerList
        items={receipts}
        name={{ labelledBy: 'unprinted-title' }}
        className="dlq-table"
        empty={t.unprintedEmpty}
        rowKey={(r) => r.id}
        columns={[
          { title: t.dlqReceipt, cell: (r) => <ReceiptCell label={label(r)} id={r.id} /> },
          { title: t.colAmount, numeric: true, cell: (r) => <Money kop={r.totalKop} /> },
          { title: t.unprintedCreated, cell: (r) => formatDateTime(r.createdAt, lang) },
          { title: t.dlqReason, cell: (r) => r.lastError ?? t.receiptStates[r.state] ?? r.state },
        ]}
        actions={(r) => (
          <>
            <RowAction
              label={t.unprintedPrint(label(r))}
              icon="🖨"
              disabled={command.busy}
              onClick={() => void print(r)}
            />
            <RowAction
              label={t.unprintedVoid(label(r))}
              icon="✕"
              disabled={command.busy}
              onClick={() => setVoiding(r)}
            />
          </>
        )}
      />
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
