// The refund of one sale from the buffer: each line with what was sold, already refunded and is left
// (the station's numbers, refundable.ts); nothing is ticked at the start, a ticked line offers what is
// left. The payout and the manager's PIN where the rules want it (RefundPayout.tsx); then a
// confirmation says what goes back and how before anything is sent. The station checks everything
// again; its refusal is shown as it says.
import { cashierFields } from '../state/cashier.ts';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { RefundableSaleView } from '../../shared/contract.ts';
import type { ReceiptView } from '../../shared/contract.ts';
import type { CommandError } from '../../shared/errors.ts';
import { formatDateTime, formatMoney, formatQuantity, parseQuantity } from '../format.ts';
import { formatKopecks, lineTotalKop } from '../../shared/money.ts';
import { isValidPin } from '../../shared/pin.ts';
import { isFiscalised } from '../../shared/receipt-states.ts';
import { unitShort } from '../../shared/units.ts';
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
import { ErrorAlert, Money } from './ui.tsx';
import { RefundPayout, type PayType } from './RefundPayout.tsx';

interface RefundLine {
  checked: boolean;
  qty: string;
}

export function RefundForm({
  sale,
  title,
  onBack,
  onDone,
}: {
  sale: RefundableSaleView;
  title: string;
  onBack: () => void;
  onDone: (r: ReceiptView) => void;
}) {
  const t = useT();
  const lang = useLang();
  const original = sale.receipt;
  const posId = useStation((s) => s.snapshot?.posId ?? null);
  const left = (i: number) => sale.lines[i]?.leftMilli ?? 0;
  const qtyText = (milli: number, measure: number) => `${formatQuantity(milli, lang)} ${unitShort(measure)}`;
  const [lines, setLines] = useState<RefundLine[]>(() =>
    original.lines.map((_, i) => ({ checked: false, qty: formatQuantity(left(i), lang) })),
  );
  // A card sale goes back to card; cash only with the manager's PIN (and so does a refund before the
  // OFD accepted the sale: it is then sent after the sale).
  const cardSale = original.payments.some((p) => p.type !== 'cash' && p.amountKop > 0);
  const [payType, setPayType] = useState<PayType>(cardSale ? 'card' : 'cash');
  const payoutOverride = cardSale && payType === 'cash';
  const beforeSync = original.state !== 'synced';
  const [pin, setPin] = useState('');
  const [pinErr, setPinErr] = useState<string | null>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<CommandError | string | null>(null);
  const [qtyErrors, setQtyErrors] = useState<Record<number, string>>({});
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const attempt = useRef<Attempt | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const confirmRef = useRef<HTMLHeadingElement>(null);
  // A wrong PIN sends the cashier back to the form, to the PIN field.
  const pinAgain = useRef(false);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (pinAgain.current) pinRef.current?.focus();
    else headingRef.current?.focus();
    pinAgain.current = false;
  }, [confirming]);

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
      // A marked unit goes back with the code it was sold with (the station checks it).
      ...(l.markCode ? { markCode: l.markCode } : {}),
    };
  });
  const chosen = draft.filter((d): d is DraftLine => d !== null);
  const lineTotal = (l: DraftLine) => l.totalKop ?? lineTotalKop(l.priceKop, l.quantityMilli);
  const total = chosen.reduce((s, l) => s + lineTotal(l), 0);
  const nothingLeft = sale.lines.every((l) => l.leftMilli === 0);

  /** The form's own checks, then the confirmation. */
  function review(e: FormEvent) {
    e.preventDefault();
    const errs: Record<number, string> = {};
    original.lines.forEach((l, i) => {
      const sel = lines[i];
      if (!sel?.checked) return;
      const q = parseQuantity(sel.qty);
      if (q === null || q === 0) errs[i] = t.errQuantity;
      else if (q > left(i))
        errs[i] = t.refundLineLeft(i + 1, l.name, left(i) ? qtyText(left(i), l.measure) : '0');
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
    setError(null);
    setConfirming(true);
  }

  async function send() {
    if (busy || !posId) return;
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
    if (r.ok && isFiscalised(r.value.state)) return onDone(r.value);
    if (!r.ok && r.error.code.startsWith('pin_')) {
      setPin('');
      pinAgain.current = true;
      setConfirming(false);
    }
    setError(r.ok ? unconfirmedError(r.value, t.printUnconfirmed) : r.error);
  }

  if (confirming) {
    return (
      <section className="panel refund-confirm" aria-labelledby="refund-confirm-title">
        <h3 id="refund-confirm-title" tabIndex={-1} ref={confirmRef}>
          {t.confirmRefundTitle}
        </h3>
        <p className="hint">{title}</p>
        <ul className="refund-confirm-lines" aria-label={t.refundLinesTable}>
          {draft.map((l, i) =>
            l ? (
              <li key={i}>
                {l.name} — {qtyText(l.quantityMilli, original.lines[i]!.measure)} —{' '}
                <Money kop={lineTotal(l)} />
              </li>
            ) : null,
          )}
        </ul>
        <p className="total-line">
          <strong>
            {t.confirmRefundHow(payType === 'cash' ? t.payoutCash : t.payoutCard, formatMoney(total, lang))}
          </strong>
        </p>
        {error ? <ErrorAlert error={error} /> : null}
        <div className="dialog-actions">
          <button
            type="button"
            className="btn btn-primary btn-large"
            disabled={busy}
            aria-busy={busy}
            onClick={() => void send()}
          >
            {t.confirmRefund}
          </button>
          <button type="button" className="btn" onClick={() => setConfirming(false)} disabled={busy}>
            {t.changeRefund}
          </button>
        </div>
      </section>
    );
  }

  return (
    <form className="panel" onSubmit={review} noValidate aria-labelledby="refund-title">
      <h3 id="refund-title" tabIndex={-1} ref={headingRef}>
        {title}
      </h3>
      <p className="hint">
        {formatDateTime(original.fiscal?.fiscalDatetime ?? original.createdAt, lang)} ·{' '}
        {formatMoney(original.totalKop, lang)} · {t.receiptStates[original.state] ?? original.state}
      </p>
      {nothingLeft ? <p className="hint">{t.allRefunded}</p> : null}
      <table className="table refund-lines" aria-label={t.refundLinesTable}>
        <thead>
          <tr>
            <th scope="col">{t.toReturn}</th>
            <th scope="col">{t.itemName}</th>
            <th scope="col" className="num">
              {t.sold}
            </th>
            <th scope="col" className="num">
              {t.refunded}
            </th>
            <th scope="col" className="num">
              {t.leftToRefund}
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
            const counts = sale.lines[i];
            return (
              <tr key={i}>
                <td>
                  <input
                    type="checkbox"
                    className="checkbox"
                    checked={sel.checked}
                    disabled={left(i) === 0}
                    aria-label={t.returnLine(l.name)}
                    onChange={(e) =>
                      setLines((ls) => ls.map((x, j) => (j === i ? { ...x, checked: e.target.checked } : x)))
                    }
                  />
                </td>
                <td>{l.name}</td>
                <td className="num">{qtyText(counts?.soldMilli ?? l.quantityMilli, l.measure)}</td>
                <td className="num">{qtyText(counts?.refundedMilli ?? 0, l.measure)}</td>
                <td className="num">{qtyText(left(i), l.measure)}</td>
                <td className="num">
                  <Money kop={l.priceKop} />
                </td>
                <td>
                  <input
                    className="qty-input"
                    value={sel.qty}
                    disabled={!sel.checked}
                    readOnly={l.markCode !== undefined}
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
      <RefundPayout
        payType={payType}
        onPayType={setPayType}
        cashNeedsPin={cardSale}
        pinNeeded={beforeSync || payoutOverride}
        notes={[
          ...(beforeSync ? [t.refundBeforeSyncNote] : []),
          ...(payoutOverride ? [t.refundCardSaleNote] : []),
        ]}
        pin={pin}
        onPin={setPin}
        pinRef={pinRef}
        pinError={pinErr}
        pinHint={payoutOverride ? t.pinHint : t.refundPinOptional}
      />
      <p className="total-line">
        <span id="refund-total-label">{t.refundTotal}</span>
        <output aria-labelledby="refund-total-label" className="total-amount">
          {formatMoney(total, lang)}
        </output>
      </p>
      {error ? <ErrorAlert error={error} /> : null}
      <div className="dialog-actions">
        <button type="submit" className="btn btn-primary btn-large" disabled={nothingLeft}>
          {t.doRefund}
        </button>
        <button type="button" className="btn" onClick={onBack}>
          {t.backToList}
        </button>
      </div>
    </form>
  );
}
