// A refund of a sale older than the buffer keeps (retentionSyncedDays): its lines are no longer known,
// so the manager gives the FD number and total printed on the customer's receipt, what is returned and
// how it is paid out, and approves it with the PIN. The station checks the FD against the KKT's archive
// and never refunds more than the stated total in all.
import { approvedPin, cashierFields } from '../state/cashier.ts';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ReceiptView } from '../../shared/contract.ts';
import type { CommandError } from '../../shared/errors.ts';
import { formatKopecks } from '../../shared/money.ts';
import { isValidPin } from '../../shared/pin.ts';
import { isFiscalised } from '../../shared/receipt-states.ts';
import { parseMoney } from '../format.ts';
import { useT } from '../state/language.ts';
import {
  VAT_CODES,
  attemptFor,
  createReceipt,
  unconfirmedError,
  type Attempt,
  type VatCode,
} from '../state/receipt.ts';
import { useStation } from '../state/store.ts';
import { ErrorAlert, TextField } from './ui.tsx';
import { RefundPayout } from './RefundPayout.tsx';

type Errors = Partial<Record<'fd' | 'total' | 'name' | 'amount' | 'pin', string>>;

export function OldSaleRefundForm({
  onBack,
  onDone,
}: {
  onBack: () => void;
  onDone: (r: ReceiptView) => void;
}) {
  const t = useT();
  const posId = useStation((s) => s.snapshot?.posId ?? null);
  const [fd, setFd] = useState('');
  const [saleTotal, setSaleTotal] = useState('');
  const [name, setName] = useState('');
  const [amount, setAmount] = useState('');
  const [vat, setVat] = useState<VatCode>('vat22');
  const [payType, setPayType] = useState<'cash' | 'card'>('cash');
  // A manager's approval still running fills the PIN in; the manager still presses the button.
  const [pin, setPin] = useState(() => approvedPin() ?? '');
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<CommandError | string | null>(null);
  const [busy, setBusy] = useState(false);
  const attempt = useRef<Attempt | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy || !posId) return;
    const fdNumber = /^\d{1,10}$/.test(fd.trim()) ? Number(fd.trim()) : null;
    const totalKop = parseMoney(saleTotal);
    const amountKop = parseMoney(amount);
    const errs: Errors = {};
    if (!fdNumber) errs.fd = t.errOldFd;
    if (totalKop === null || totalKop <= 0) errs.total = t.errAmount;
    if (!name.trim()) errs.name = t.errOldName;
    if (amountKop === null || amountKop <= 0) errs.amount = t.errAmount;
    else if (totalKop !== null && amountKop > totalKop) errs.amount = t.errOldAmountAboveSale;
    if (!isValidPin(pin)) errs.pin = t.errPinFormat;
    setErrors(errs);
    if (Object.keys(errs).length) return;
    const money = formatKopecks(amountKop!);
    const body = {
      pos_id: posId,
      type: 'refund' as const,
      original_fiscal: { fd_number: fdNumber!, total: formatKopecks(totalKop!) },
      items: [{ name: name.trim(), price: money, quantity: '1', total: money, vat }],
      payments: [{ type: payType, amount: money }],
      ...cashierFields(),
    };
    const next = attemptFor(attempt.current, body);
    attempt.current = next;
    setBusy(true);
    setError(null);
    const r = await createReceipt(next, pin);
    setBusy(false);
    if (r.ok && isFiscalised(r.value.state)) return onDone(r.value);
    if (!r.ok && r.error.code.startsWith('pin_')) {
      setPin('');
      pinRef.current?.focus();
    }
    setError(r.ok ? unconfirmedError(r.value, t.printUnconfirmed) : r.error);
  }

  return (
    <form className="panel" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="old-refund-title">
      <h3 id="old-refund-title" tabIndex={-1} ref={headingRef}>
        {t.oldSaleTitle}
      </h3>
      <p className="hint">{t.oldSaleNote}</p>
      <TextField
        label={t.oldFd}
        value={fd}
        onValue={setFd}
        error={errors.fd}
        inputMode="numeric"
        autoComplete="off"
      />
      <TextField
        label={t.oldSaleTotal}
        value={saleTotal}
        onValue={setSaleTotal}
        error={errors.total}
        inputMode="decimal"
        autoComplete="off"
        placeholder="0,00"
      />
      <TextField
        label={t.oldItemName}
        value={name}
        onValue={setName}
        error={errors.name}
        autoComplete="off"
      />
      <TextField
        label={t.oldRefundAmount}
        value={amount}
        onValue={setAmount}
        error={errors.amount}
        inputMode="decimal"
        autoComplete="off"
        placeholder="0,00"
      />
      <div className="field">
        <label htmlFor="old-refund-vat">{t.vat}</label>
        <select id="old-refund-vat" value={vat} onChange={(e) => setVat(e.target.value as VatCode)}>
          {VAT_CODES.map((c) => (
            <option key={c} value={c}>
              {t.vatOptions[c]}
            </option>
          ))}
        </select>
      </div>
      <RefundPayout
        payType={payType}
        onPayType={setPayType}
        cashNeedsPin={false}
        pinNeeded
        notes={[]}
        pin={pin}
        onPin={setPin}
        pinRef={pinRef}
        pinError={errors.pin}
        pinHint={t.pinHint}
      />
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
