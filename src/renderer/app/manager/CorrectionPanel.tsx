// «Чек коррекции»: the manager prints an FFD 1.2 correction receipt of one line (correction.create,
// behind the PIN; the station checks everything again and answers a field's problem in words). One
// idempotency key per attempt: a retry after a failure sends the same key, any change starts a new one.
import { useState, type FormEvent } from 'react';
import type { CorrectionRequestBody, ReceiptView } from '../../../shared/contract.ts';
import { UNITS } from '../../../shared/units.ts';
import { kopecksToRoubles, lineTotalKop } from '../../../shared/money.ts';
import { parseMoney, parseQuantity } from '../../format.ts';
import { useT } from '../../state/language.ts';
import { call } from '../../state/api.ts';
import { VAT_CODES, type VatCode } from '../../state/receipt.ts';
import { useStation } from '../../state/store.ts';
import { ErrorAlert, TextField } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';
import type { PinProps } from './session.ts';

interface Form {
  operation: 'sale' | 'refund';
  kind: 'self' | 'order';
  date: string;
  number: string;
  name: string;
  price: string;
  quantity: string;
  measure: number;
  vat: VatCode;
  payment: 'cash' | 'card';
}

const EMPTY: Form = {
  operation: 'sale',
  kind: 'self',
  date: '',
  number: '',
  name: '',
  price: '',
  quantity: '1',
  measure: 0,
  vat: 'vat22',
  payment: 'cash',
};

export function CorrectionPanel({ pin, onPinRejected }: PinProps) {
  const t = useT();
  const posId = useStation((s) => s.snapshot?.posId ?? 'POS-1');
  const command = useCommand(onPinRejected);
  const [form, setFormState] = useState<Form>(EMPTY);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [errors, setErrors] = useState<Partial<Record<keyof Form, string>>>({});
  const [printed, setPrinted] = useState<ReceiptView | null>(null);

  const set = (patch: Partial<Form>) => {
    setFormState((f) => ({ ...f, ...patch }));
    setKey(crypto.randomUUID());
    setPrinted(null);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const priceKop = parseMoney(form.price);
    const quantityMilli = parseQuantity(form.quantity);
    const found: Partial<Record<keyof Form, string>> = {};
    if (!form.date) found.date = t.correctionErrDate;
    if (!form.number.trim()) found.number = t.correctionErrNumber;
    if (!form.name.trim()) found.name = t.correctionErrName;
    if (!priceKop) found.price = t.correctionErrPrice;
    if (!quantityMilli) found.quantity = t.correctionErrQuantity;
    setErrors(found);
    if (Object.keys(found).length || !priceKop || !quantityMilli) return;
    const total = kopecksToRoubles(lineTotalKop(priceKop, quantityMilli));
    const body: CorrectionRequestBody = {
      pos_id: posId,
      operation: form.operation,
      correction_type: form.kind,
      reason_document: { date: form.date, number: form.number.trim() },
      items: [
        {
          name: form.name.trim(),
          price: kopecksToRoubles(priceKop),
          quantity: quantityMilli / 1000,
          total,
          vat: form.vat,
          measure: form.measure,
        },
      ],
      payments: [{ type: form.payment, amount: total }],
    };
    const r = await command.run(() => call('correction.create', { pin, idempotencyKey: key, body }));
    if (r?.ok) {
      setPrinted(r.value);
      setFormState(EMPTY);
      setKey(crypto.randomUUID());
    }
  }

  return (
    <section className="panel" aria-labelledby="correction-title">
      <h3 id="correction-title">{t.correctionTitle}</h3>
      <p className="hint">{t.correctionHint}</p>
      <form onSubmit={(e) => void submit(e)} aria-labelledby="correction-title" noValidate>
        <div className="field">
          <label htmlFor="correction-operation">{t.correctionOperation}</label>
          <select
            id="correction-operation"
            value={form.operation}
            onChange={(e) => set({ operation: e.target.value as Form['operation'] })}
          >
            <option value="sale">{t.correctionOfSale}</option>
            <option value="refund">{t.correctionOfRefund}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="correction-kind">{t.correctionKind}</label>
          <select
            id="correction-kind"
            value={form.kind}
            onChange={(e) => set({ kind: e.target.value as Form['kind'] })}
          >
            <option value="self">{t.correctionSelf}</option>
            <option value="order">{t.correctionOrder}</option>
          </select>
        </div>
        <TextField
          label={t.correctionDate}
          type="date"
          value={form.date}
          onValue={(v) => set({ date: v })}
          error={errors.date}
        />
        <TextField
          label={t.correctionNumber}
          value={form.number}
          onValue={(v) => set({ number: v })}
          error={errors.number}
          maxLength={32}
        />
        <TextField
          label={t.itemName}
          value={form.name}
          onValue={(v) => set({ name: v })}
          error={errors.name}
        />
        <TextField
          label={t.price}
          value={form.price}
          onValue={(v) => set({ price: v })}
          error={errors.price}
          inputMode="decimal"
        />
        <TextField
          label={t.quantity}
          value={form.quantity}
          onValue={(v) => set({ quantity: v })}
          error={errors.quantity}
          inputMode="decimal"
        />
        <div className="field">
          <label htmlFor="correction-measure">{t.correctionMeasure}</label>
          <select
            id="correction-measure"
            value={form.measure}
            onChange={(e) => set({ measure: Number(e.target.value) })}
          >
            {UNITS.map((m) => (
              <option key={m.code} value={m.code}>
                {m.short}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="correction-vat">{t.vat}</label>
          <select
            id="correction-vat"
            value={form.vat}
            onChange={(e) => set({ vat: e.target.value as VatCode })}
          >
            {VAT_CODES.map((c) => (
              <option key={c} value={c}>
                {t.vatOptions[c]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="correction-payment">{t.correctionPayment}</label>
          <select
            id="correction-payment"
            value={form.payment}
            onChange={(e) => set({ payment: e.target.value as Form['payment'] })}
          >
            <option value="cash">{t.payCash}</option>
            <option value="card">{t.payCard}</option>
          </select>
        </div>
        <div className="button-row">
          <button type="submit" className="btn btn-primary" disabled={command.busy} aria-busy={command.busy}>
            {t.correctionPrint}
          </button>
        </div>
      </form>
      {printed?.fiscal ? (
        <p role="status" className="notice" data-testid="correction-result">
          {t.correctionPrinted(printed.fiscal.fdNumber)}
        </p>
      ) : null}
      {command.error ? <ErrorAlert error={command.error} /> : null}
    </section>
  );
}
