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
import { ErrorAlert, SelectField, TextField } from '../ui.tsx';
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

/** The fields typed as text (the rest are picked from a menu). */
type TextKey = 'date' | 'number' | 'name' | 'price' | 'quantity';

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
  /** A text field's value, change and error, all under its key of the form. */
  const textOf = (key: TextKey) => ({
    value: form[key],
    onValue: (v: string) => set({ [key]: v }),
    error: errors[key],
  });

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
        <SelectField
          label={t.correctionOperation}
          value={form.operation}
          onValue={(operation) => set({ operation })}
          options={[
            { value: 'sale', label: t.correctionOfSale },
            { value: 'refund', label: t.correctionOfRefund },
          ]}
        />
        <SelectField
          label={t.correctionKind}
          value={form.kind}
          onValue={(kind) => set({ kind })}
          options={[
            { value: 'self', label: t.correctionSelf },
            { value: 'order', label: t.correctionOrder },
          ]}
        />
        <TextField label={t.correctionDate} type="date" {...textOf('date')} />
        <TextField label={t.correctionNumber} maxLength={32} {...textOf('number')} />
        <TextField label={t.itemName} {...textOf('name')} />
        <TextField label={t.price} inputMode="decimal" {...textOf('price')} />
        <TextField label={t.quantity} inputMode="decimal" {...textOf('quantity')} />
        <SelectField
          label={t.correctionMeasure}
          value={form.measure}
          onValue={(measure) => set({ measure })}
          options={UNITS.map((m) => ({ value: m.code, label: m.short }))}
        />
        <SelectField
          label={t.vat}
          value={form.vat}
          onValue={(vat) => set({ vat })}
          options={VAT_CODES.map((c) => ({ value: c, label: t.vatOptions[c] ?? c }))}
        />
        <SelectField
          label={t.correctionPayment}
          value={form.payment}
          onValue={(payment) => set({ payment })}
          options={[
            { value: 'cash', label: t.payCash },
            { value: 'card', label: t.payCard },
          ]}
        />
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
