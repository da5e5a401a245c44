// Refund: find the original receipt — scan the QR on the customer's receipt (a 2D scanner's read,
// keyboard-mode or serial, state/scans.ts; the station finds the sale by its FD number and total), or
// search by FD number or amount and pick from the list — then choose lines and quantities (what is
// left of each, from the station), choose the payout, confirm, print. The core refuses a refund of a receipt the OFD has not accepted yet and says
// which receipt and what to do: that message is shown as is. The manager's PIN, typed in the form,
// lets it go before the OFD, or pays a card sale out in cash; a sale older than the buffer is refunded
// by its FD number and total (OldSaleRefund.tsx). The form of one sale is RefundForm.tsx.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { ReceiptView, RefundableSaleView } from '../../shared/contract.ts';
import { RECEIPT_SCAN_PATTERN, looksLikeFiscalQr, parseFiscalQr } from '../../shared/fiscal-qr.ts';
import { listenForAnyScanner } from '../state/scans.ts';
import type { CommandError } from '../../shared/errors.ts';
import { formatDateTime, formatMoney } from '../format.ts';
import { useLang, useT } from '../state/language.ts';
import { call } from '../state/api.ts';
import { ReceiptResult } from './ReceiptResult.tsx';
import { ErrorAlert, Money, TextField, focusOnOpen } from './ui.tsx';
import { OldSaleRefundForm } from './OldSaleRefund.tsx';
import { RefundForm } from './RefundForm.tsx';
import { fnTail, fnTailAmong, listsSeveralFns, paymentKind, paymentWords } from './refund-receipt-row.ts';

export function RefundScreen() {
  const t = useT();
  const [query, setQuery] = useState('');
  const [list, setList] = useState<ReceiptView[] | null>(null);
  const [listError, setListError] = useState<CommandError | null>(null);
  const [selected, setSelected] = useState<RefundableSaleView | null>(null);
  const [findError, setFindError] = useState<CommandError | string | null>(null);
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

  /** The sale with what is left of each line: by the receipt's QR, or a receipt picked from the list. */
  const open = useCallback(
    async (arg: { qr: string } | { id: string }) => {
      if ('qr' in arg && !parseFiscalQr(arg.qr).ok) return setFindError(t.qrMalformed);
      const r = await call('receipt.refundable', arg);
      if (r.ok) {
        setFindError(null);
        setSelected(r.value);
      } else setFindError(r.error);
    },
    [t],
  );

  // A scanned receipt QR opens its sale; another scanned code is searched for like typed text. Either
  // scanner, keyboard-mode or serial: one rule (looksLikeFiscalQr), one path.
  const listening = !selected && !oldSale && !result;
  useEffect(() => {
    if (!listening) return;
    return listenForAnyScanner((code) => {
      if (looksLikeFiscalQr(code)) void open({ qr: code });
      else {
        setQuery(code);
        void load(code);
      }
    }, RECEIPT_SCAN_PATTERN);
  }, [listening, open, load]);

  function search(e: FormEvent) {
    e.preventDefault();
    setFindError(null);
    if (looksLikeFiscalQr(query.trim())) void open({ qr: query.trim() });
    else void load(query);
  }

  const label = (r: ReceiptView) => (r.fiscal ? `${t.fdNumber} ${r.fiscal.fdNumber}` : r.id.slice(0, 8));
  const reopen = (r: ReceiptView) => void open({ id: r.id });

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
          sale={selected}
          title={t.selectedReceipt(label(selected.receipt), fnTailAmong(selected.receipt, list ?? []))}
          onBack={() => setSelected(null)}
          onDone={(r) => setResult(r)}
        />
      </div>
    );
  }

  return (
    <div className="screen refund-screen">
      <h2>{t.refundTitle}</h2>
      <p className="hint">{t.scanReceiptQr}</p>
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
      {findError ? <ErrorAlert error={findError} /> : null}
      {listError ? <ErrorAlert error={listError} /> : null}
      <section className="panel" aria-labelledby="receipts-title">
        <h3 id="receipts-title">{t.receiptsTable}</h3>
        {list && list.length === 0 ? <p className="empty">{t.noReceipts}</p> : null}
        {list && list.length > 0 ? <ReceiptTable receipts={list} label={label} onPick={reopen} /> : null}
      </section>
    </div>
  );
}

/** The found receipts; each row says what a cashier tells one sale from another by (refund-receipt-row.ts). */
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
  const showFn = listsSeveralFns(receipts);
  return (
    <table className="table receipts-table" aria-labelledby="receipts-title">
      <thead>
        <tr>
          <th scope="col">{t.colFd}</th>
          {showFn ? <th scope="col">{t.colFn}</th> : null}
          <th scope="col">{t.colDate}</th>
          <th scope="col">{t.colType}</th>
          <th scope="col">{t.colPayment}</th>
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
        {receipts.map((r) => {
          const when = formatDateTime(r.fiscal?.fiscalDatetime ?? r.createdAt, lang);
          const payment = paymentWords(paymentKind(r.payments), t);
          const fn = showFn && r.fiscal ? fnTail(r.fiscal.fnNumber) : null;
          return (
            <tr key={r.id}>
              <td>{r.fiscal ? r.fiscal.fdNumber : '—'}</td>
              {showFn ? <td>{fn ?? '—'}</td> : null}
              <td>{when}</td>
              <td>{t.receiptTypes[r.type] ?? r.type}</td>
              <td>
                {payment.shown === payment.spoken ? (
                  payment.shown
                ) : (
                  <>
                    <span aria-hidden="true">{payment.shown}</span>
                    <span className="visually-hidden">{payment.spoken}</span>
                  </>
                )}
              </td>
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
                      aria-label={t.pickReceipt(
                        label(r),
                        when,
                        formatMoney(r.totalKop, lang),
                        payment.spoken,
                        fn,
                      )}
                      onClick={() => onPick(r)}
                    >
                      {t.pick}
                    </button>
                  ) : null}
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
