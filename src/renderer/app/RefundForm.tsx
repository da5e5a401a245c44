// The refund of one sale from the buffer: its lines and quantities, the payout, and the manager's PIN
// where the rules want it (the OFD has not accepted the sale yet; a card sale paid out in cash). The
// station checks everything again; its refusal is shown as it says.
import { cashierFields } from '../state/cashier.ts';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ReceiptView } from '../../shared/contract.ts';
import type { CommandError } from '../../shared/errors.ts';
import { formatDateTime, formatMoney, formatQuantity, parseQuantity } from '../format.ts';
import { formatKopecks, lineTotalKop } from '../../shared/money.ts';
import { isValidPin } from '../../shared/pin.ts';
import { isFiscalised } from '../../shared/receipt-states.ts';
import { useLang, useT } from '../state/language.ts';
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
import { ErrorAlert, Money, PinField } from './ui.tsx';

interface RefundLine {
  checked: boolean;
  qty: string;
}

export function RefundForm({
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
  // A card sale goes back to card; cash only with the manager's PIN (and so does a refund before the
  // OFD accepted the sale: it is then sent after the sale).
  const cardSale = original.payments.some((p) => p.type !== 'cash' && p.amountKop > 0);
  const [payType, setPayType] = useState<'cash' | 'card'>(cardSale ? 'card' : 'cash');
  const payoutOverride = cardSale && payType === 'cash';
  const beforeSync = original.state !== 'synced';
  const [pin, setPin] = useState('');
  const [pinErr, setPinErr] = useState<string | null>(null);
  const pinRef = useRef<HTMLInputElement>(null);
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
    if ((payoutOverride || pin) && !isValidPin(pin)) {
      setPinErr(t.errPinFormat);
      pinRef.current?.focus();
      return;
    }
    setPinErr(null);
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
      ...(beforeSync && pin ? { refund_before_sync: true } : {}),
      ...(payoutOverride ? { payout_override: true } : {}),
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
    const r = await createReceipt(next, pin || undefined);
    setBusy(false);
    if (!r.ok && r.error.code.startsWith('pin_')) {
      setPin('');
      pinRef.current?.focus();
    }
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
            {p === 'cash' && cardSale ? t.refundCashManager : p === 'cash' ? t.refundCash : t.refundCard}
          </label>
        ))}
      </fieldset>
      {beforeSync || payoutOverride ? (
        <div className="panel manager-approval">
          {beforeSync ? <p className="hint">{t.refundBeforeSyncNote}</p> : null}
          {payoutOverride ? <p className="hint">{t.refundCardSaleNote}</p> : null}
          <PinField
            label={t.managerPin}
            value={pin}
            onValue={setPin}
            inputRef={pinRef}
            error={pinErr}
            hint={payoutOverride ? t.pinHint : t.refundPinOptional}
          />
        </div>
      ) : null}
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
