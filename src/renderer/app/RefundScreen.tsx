// Refund: find the original receipt (by FD number or amount), choose lines and quantities, choose
// the payout, print. The core refuses a refund of a receipt the OFD has not accepted yet and says
// which receipt and what to do: that message is shown as is.
import { cashierFields } from '../state/cashier.ts';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { ReceiptView } from '../../shared/contract.ts';
import type { CommandError } from '../../shared/errors.ts';
import { formatDateTime, formatMoney, formatQuantity, parseQuantity } from '../format.ts';
import { formatKopecks, lineTotalKop } from '../../shared/money.ts';
import { isFiscalised } from '../../shared/receipt-states.ts';
import { useLang, useT } from '../state/language.ts';
import { call } from '../state/api.ts';
import {
  attemptFor,
  createReceipt,
  receiptItems,
  settleAbandoned,
  unconfirmedError,
  type Attempt,
  type DraftLine,
} from '../state/receipt.ts';
import { useStation } from '../state/store.ts';
import { ReceiptResult } from './ReceiptResult.tsx';
import { ErrorAlert, Money, TextField, focusOnOpen } from './ui.tsx';

export function RefundScreen() {
  const t = useT();
  const [query, setQuery] = useState('');
  const [list, setList] = useState<ReceiptView[] | null>(null);
  const [listError, setListError] = useState<CommandError | null>(null);
  const [selected, setSelected] = useState<ReceiptView | null>(null);
  const [result, setResult] = useState<ReceiptView | null>(null);
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
            void load(query);
          }}
        />
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

interface RefundLine {
  checked: boolean;
  qty: string;
}

function RefundForm({
  original,
  title,
  onBack,
  onDone,
}: {
  original: ReceiptView;
  title: string;
  onBack: () => void;
  onDone: (r: ReceiptView) => void;
}) {
  const t = useT();
  const lang = useLang();
  const posId = useStation((s) => s.snapshot?.posId ?? null);
  const [lines, setLines] = useState<RefundLine[]>(() =>
    original.lines.map((l) => ({ checked: true, qty: formatQuantity(l.quantityMilli, lang) })),
  );
  const hasCash = original.payments.some((p) => p.type === 'cash' && p.amountKop > 0);
  const [payType, setPayType] = useState<'cash' | 'card'>(hasCash ? 'cash' : 'card');
  const [error, setError] = useState<CommandError | string | null>(null);
  const [qtyErrors, setQtyErrors] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const attempt = useRef<Attempt | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  const draft: (DraftLine | null)[] = original.lines.map((l, i) => {
    const sel = lines[i];
    if (!sel?.checked) return null;
    const q = parseQuantity(sel.qty);
    if (q === null) return null;
    // The whole line back: its total as sold (the station accepted it within a kopeck of price × quantity).
    return {
      name: l.name,
      priceKop: l.priceKop,
      quantityMilli: q,
      vat: l.vat,
      totalKop: q === l.quantityMilli ? l.totalKop : undefined,
    };
  });
  const chosen = draft.filter((d): d is DraftLine => d !== null);
  const total = chosen.reduce((s, l) => s + (l.totalKop ?? lineTotalKop(l.priceKop, l.quantityMilli)), 0);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy || !posId) return;
    const errs: Record<number, string> = {};
    original.lines.forEach((l, i) => {
      const sel = lines[i];
      if (!sel?.checked) return;
      const q = parseQuantity(sel.qty);
      if (q === null) errs[i] = t.errQuantity;
      else if (q > l.quantityMilli) errs[i] = t.refundQtyTooMuch(l.name);
    });
    setQtyErrors(errs);
    if (Object.keys(errs).length) return;
    if (chosen.length === 0 || total === 0) {
      setError(t.refundNothing);
      return;
    }
    const body = {
      pos_id: posId,
      type: 'refund' as const,
      original_receipt_id: original.id,
      items: receiptItems(chosen),
      payments: [{ type: payType, amount: formatKopecks(total) }],
      ...cashierFields(),
    };
    const next = attemptFor(attempt.current, body);
    setBusy(true);
    setError(null);
    if (next !== attempt.current) {
      // The refund was changed after it was sent: settle the earlier one before sending another.
      const settled = await settleAbandoned(attempt.current);
      if (settled.kind !== 'nothing') {
        setBusy(false);
        if (settled.kind === 'printed') onDone(settled.receipt);
        else setError(settled.error);
        return;
      }
    }
    attempt.current = next;
    const r = await createReceipt(next);
    setBusy(false);
    if (r.ok && isFiscalised(r.value.state)) onDone(r.value);
    else setError(r.ok ? unconfirmedError(r.value, t.printUnconfirmed) : r.error);
  }

  return (
    <form className="panel" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="refund-title">
      <h3 id="refund-title" tabIndex={-1} ref={headingRef}>
        {title}
      </h3>
      <p className="hint">
        {formatDateTime(original.fiscal?.fiscalDatetime ?? original.createdAt, lang)} ·{' '}
        {formatMoney(original.totalKop, lang)} · {t.receiptStates[original.state] ?? original.state}
      </p>
      <table className="table refund-lines" aria-label={t.refundLinesTable}>
        <thead>
          <tr>
            <th scope="col">{t.toReturn}</th>
            <th scope="col">{t.itemName}</th>
            <th scope="col" className="num">
              {t.sold}
            </th>
            <th scope="col" className="num">
              {t.price}
            </th>
            <th scope="col">{t.quantity}</th>
            <th scope="col" className="num">
              {t.lineAmount}
            </th>
          </tr>
        </thead>
        <tbody>
          {original.lines.map((l, i) => {
            const sel = lines[i]!;
            const q = parseQuantity(sel.qty);
            const err = qtyErrors[i];
            return (
              <tr key={i}>
                <td>
                  <input
                    type="checkbox"
                    className="checkbox"
                    checked={sel.checked}
                    aria-label={t.returnLine(l.name)}
                    onChange={(e) =>
                      setLines((ls) => ls.map((x, j) => (j === i ? { ...x, checked: e.target.checked } : x)))
                    }
                  />
                </td>
                <td>{l.name}</td>
                <td className="num">{formatQuantity(l.quantityMilli, lang)}</td>
                <td className="num">
                  <Money kop={l.priceKop} />
                </td>
                <td>
                  <input
                    className="qty-input"
                    value={sel.qty}
                    disabled={!sel.checked}
                    inputMode="decimal"
                    aria-label={t.returnQty(l.name)}
                    aria-invalid={err ? true : undefined}
                    aria-describedby={err ? `refund-qty-err-${i}` : undefined}
                    onChange={(e) =>
                      setLines((ls) => ls.map((x, j) => (j === i ? { ...x, qty: e.target.value } : x)))
                    }
                  />
                  {err ? (
                    <p id={`refund-qty-err-${i}`} className="field-error">
                      {err}
                    </p>
                  ) : null}
                </td>
                <td className="num">
                  {sel.checked && q !== null ? <Money kop={lineTotalKop(l.priceKop, q)} /> : '—'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <fieldset className="radio-group">
        <legend>{t.refundPayment}</legend>
        {(['cash', 'card'] as const).map((p) => (
          <label key={p} className={`radio-card${payType === p ? ' checked' : ''}`}>
            <input
              type="radio"
              name="refund-pay"
              value={p}
              checked={payType === p}
              onChange={() => setPayType(p)}
            />
            {p === 'cash' ? t.refundCash : t.refundCard}
          </label>
        ))}
      </fieldset>
      <p className="total-line">
        <span id="refund-total-label">{t.refundTotal}</span>
        <output aria-labelledby="refund-total-label" className="total-amount">
          {formatMoney(total, lang)}
        </output>
      </p>
      {error ? <ErrorAlert error={error} /> : null}
      <div className="dialog-actions">
        <button type="submit" className="btn btn-primary btn-large" disabled={busy} aria-busy={busy}>
          {t.doRefund}
        </button>
        <button type="button" className="btn" onClick={onBack} disabled={busy}>
          {t.backToList}
        </button>
      </div>
    </form>
  );
}
