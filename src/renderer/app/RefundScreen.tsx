// Refund: find the original receipt (by FD number or amount), choose lines and quantities, choose
// the payout, print. The core refuses a refund of a receipt the OFD has not accepted yet and says
// which receipt and what to do: that message is shown as is. The manager's PIN, typed in the form,
// lets it go before the OFD, or pays a card sale out in cash; a sale older than the buffer is refunded
// by its FD number and total (OldSaleRefund.tsx). The form of one sale is RefundForm.tsx.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { ReceiptView } from '../../shared/contract.ts';
import type { CommandError } from '../../shared/errors.ts';
import { formatDateTime } from '../format.ts';
import { useLang, useT } from '../state/language.ts';
import { call } from '../state/api.ts';
import { ReceiptResult } from './ReceiptResult.tsx';
import { ErrorAlert, Money, TextField, focusOnOpen } from './ui.tsx';
import { OldSaleRefundForm } from './OldSaleRefund.tsx';
import { RefundForm } from './RefundForm.tsx';

export function RefundScreen() {
  const t = useT();
  const [query, setQuery] = useState('');
  const [list, setList] = useState<ReceiptView[] | null>(null);
  const [listError, setListError] = useState<CommandError | null>(null);
  const [selected, setSelected] = useState<ReceiptView | null>(null);
  const [result, setResult] = useState<ReceiptView | null>(null);
  const [oldSale, setOldSale] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);

  const load = useCallback(async (q: string) => {
    const normalised = q
      .trim()
      .replace(/[\s\u00a0₽]/g, '')
      .replace(',', '.');
    const r = await call('receipt.list', normalised ? { query: normalised, limit: 50 } : { limit: 50 });
    if (r.ok) {
      setList(r.value);
      setListError(null);
    } else setListError(r.error);
  }, []);

  useEffect(() => {
    void load('');
    focusOnOpen(searchRef.current);
  }, [load]);

  function search(e: FormEvent) {
    e.preventDefault();
    void load(query);
  }

  const label = (r: ReceiptView) => (r.fiscal ? `${t.fdNumber} ${r.fiscal.fdNumber}` : r.id.slice(0, 8));

  if (result) {
    return (
      <div className="screen refund-screen">
        <h2>{t.refundTitle}</h2>
        <ReceiptResult
          receipt={result}
          refund
          onNew={() => {
            setResult(null);
            setSelected(null);
            setOldSale(false);
            void load(query);
          }}
        />
      </div>
    );
  }

  if (oldSale) {
    return (
      <div className="screen refund-screen">
        <h2>{t.refundTitle}</h2>
        <OldSaleRefundForm onBack={() => setOldSale(false)} onDone={(r) => setResult(r)} />
      </div>
    );
  }

  if (selected) {
    return (
      <div className="screen refund-screen">
        <h2>{t.refundTitle}</h2>
        <RefundForm
          original={selected}
          title={t.selectedReceipt(label(selected))}
          onBack={() => setSelected(null)}
          onDone={(r) => setResult(r)}
        />
      </div>
    );
  }

  return (
    <div className="screen refund-screen">
      <h2>{t.refundTitle}</h2>
      <form className="panel inline-form" role="search" onSubmit={search}>
        <TextField
          label={t.searchReceipt}
          value={query}
          onValue={setQuery}
          inputRef={searchRef}
          hint={t.searchHint}
          autoComplete="off"
          type="search"
        />
        <button type="submit" className="btn btn-primary">
          {t.search}
        </button>
        {query ? (
          <button
            type="button"
            className="btn"
            onClick={() => {
              setQuery('');
              void load('');
            }}
          >
            {t.showRecent}
          </button>
        ) : null}
      </form>
      <p className="hint old-sale-hint">
        {t.oldSaleHint}{' '}
        <button type="button" className="btn btn-small" onClick={() => setOldSale(true)}>
          {t.oldSaleButton}
        </button>
      </p>
      {listError ? <ErrorAlert error={listError} /> : null}
      <section className="panel" aria-labelledby="receipts-title">
        <h3 id="receipts-title">{t.receiptsTable}</h3>
        {list && list.length === 0 ? <p className="empty">{t.noReceipts}</p> : null}
        {list && list.length > 0 ? <ReceiptTable receipts={list} label={label} onPick={setSelected} /> : null}
      </section>
    </div>
  );
}

function ReceiptTable({
  receipts,
  label,
  onPick,
}: {
  receipts: ReceiptView[];
  label: (r: ReceiptView) => string;
  onPick: (r: ReceiptView) => void;
}) {
  const t = useT();
  const lang = useLang();
  return (
    <table className="table receipts-table" aria-labelledby="receipts-title">
      <thead>
        <tr>
          <th scope="col">{t.colFd}</th>
          <th scope="col">{t.colDate}</th>
          <th scope="col">{t.colType}</th>
          <th scope="col" className="num">
            {t.colAmount}
          </th>
          <th scope="col">{t.colState}</th>
          <th scope="col">
            <span className="visually-hidden">{t.actions}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {receipts.map((r) => (
          <tr key={r.id}>
            <td>{r.fiscal ? r.fiscal.fdNumber : '—'}</td>
            <td>{formatDateTime(r.fiscal?.fiscalDatetime ?? r.createdAt, lang)}</td>
            <td>{t.receiptTypes[r.type] ?? r.type}</td>
            <td className="num">
              <Money kop={r.totalKop} />
            </td>
            <td>
              <span className={`state state-${r.state}`}>{t.receiptStates[r.state] ?? r.state}</span>
            </td>
            <td className="actions-cell">
              <div className="row-actions">
                {r.type === 'sale' && r.fiscal ? (
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={t.pickReceipt(label(r))}
                    onClick={() => onPick(r)}
                  >
                    {t.pick}
                  </button>
                ) : null}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
