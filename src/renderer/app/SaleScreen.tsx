// The sale: lines typed from the keyboard (name → Enter → quantity → Enter → price → Enter adds),
// a running total, F2 / Ctrl+Enter opens the payment dialog, Enter there prints. A failure is shown
// in words and nothing is cleared, so the cashier retries the same receipt with the same key.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CommandError, ReceiptView } from '../../shared/contract.ts';
import { kktReasonOf } from '../../shared/errors.ts';
import { changeKop, formatDateTime, formatMoney, formatQuantity, kopToInputText, parseMoney, parseQuantity } from '../format.ts';
import { lineTotalKop } from '../../shared/money.ts';
import { useLang, useT } from '../i18n/index.ts';
import { fieldIssues, receiptTotalKop, SHIFT_ERROR_CODES, VAT_CODES, type VatCode } from '../state/receipt.ts';
import { continuePrint, EMPTY_FORM, newLineId, newSale, submitSale, useSale, type PayMethod } from '../state/sale.ts';
import { setScreen, useStation } from '../state/store.ts';
import { QrImage } from './QrImage.tsx';
import { ErrorAlert, Facts, Modal, Money, TextField, focusOnOpen } from './ui.tsx';

type FieldErrors = Partial<Record<'name' | 'quantity' | 'price', string>>;

export function SaleScreen() {
  const t = useT();
  const lang = useLang();
  const { lines, form, payOpen, error, result, busy } = useSale(
    useShallow((s) => ({ lines: s.lines, form: s.form, payOpen: s.payOpen, error: s.error, result: s.result, busy: s.busy })),
  );
  const posId = useStation((s) => s.snapshot?.posId ?? null);
  const nameRef = useRef<HTMLInputElement>(null);
  const qtyRef = useRef<HTMLInputElement>(null);
  const priceRef = useRef<HTMLInputElement>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [payBlocked, setPayBlocked] = useState<string | null>(null);
  const total = receiptTotalKop(lines);

  const setForm = (patch: Partial<typeof form>) => useSale.setState((s) => ({ form: { ...s.form, ...patch } }));

  useEffect(() => {
    if (!useSale.getState().payOpen) focusOnOpen(nameRef.current);
  }, []);
  // After a print the dialog closes: the next sale starts in the name field.
  useEffect(() => {
    if (result) nameRef.current?.focus();
  }, [result]);

  function focusSelect(el: HTMLInputElement | null) {
    el?.focus();
    el?.select();
  }

  function openPayment() {
    const s = useSale.getState();
    if (s.lines.length === 0) {
      setPayBlocked(t.linesEmpty);
      nameRef.current?.focus();
      return;
    }
    setPayBlocked(null);
    // A retry after an error keeps the payment typed before, so the same body gets the same key.
    const keep = s.attempt !== null && s.error !== null;
    useSale.setState({
      payOpen: true,
      payment: keep ? s.payment : { method: 'cash', cashReceived: kopToInputText(receiptTotalKop(s.lines), lang), cardPart: '' },
    });
  }

  // F2 or Ctrl+Enter opens the payment from anywhere on the sale screen.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (useSale.getState().payOpen || document.querySelector('dialog[open]')) return;
      if (e.key === 'F2' || (e.key === 'Enter' && (e.ctrlKey || e.metaKey))) {
        e.preventDefault();
        openPayment();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  function validate(): { errs: FieldErrors; qty: number | null; price: number | null } {
    const errs: FieldErrors = {};
    const name = form.name.trim();
    if (!name) errs.name = t.errNameRequired;
    else if (name.length > 128) errs.name = t.errNameTooLong;
    const qty = parseQuantity(form.quantity);
    if (qty === null) errs.quantity = t.errQuantity;
    const price = parseMoney(form.price);
    if (price === null) errs.price = t.errPrice;
    else if (qty !== null && lineTotalKop(price, qty) === 0) errs.price = t.errZeroTotal;
    if (!form.editingId && lines.length >= 100) errs.name = t.errTooManyLines;
    return { errs, qty, price };
  }

  function commitLine() {
    const { errs, qty, price } = validate();
    setErrors(errs);
    if (errs.name) return focusSelect(nameRef.current);
    if (errs.quantity) return focusSelect(qtyRef.current);
    if (errs.price || qty === null || price === null) return focusSelect(priceRef.current);
    const line = { name: form.name.trim(), quantityMilli: qty, priceKop: price, vat: form.vat };
    useSale.setState((s) => ({
      lines: s.form.editingId !== null
        ? s.lines.map((l) => (l.id === s.form.editingId ? { ...l, ...line } : l))
        : [...s.lines, { id: newLineId(), ...line }],
      form: { ...EMPTY_FORM, vat: s.form.vat },
      error: null,
      result: null,
    }));
    setPayBlocked(null);
    nameRef.current?.focus();
  }

  function onNameKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key !== 'Enter' || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    if (!form.name.trim() && lines.length > 0 && form.editingId === null) return openPayment();
    if (!form.name.trim()) return setErrors({ name: t.errNameRequired });
    setErrors((x) => ({ ...x, name: undefined }));
    focusSelect(qtyRef.current);
  }
  function onQtyKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key !== 'Enter' || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    if (parseQuantity(form.quantity) === null) return setErrors((x) => ({ ...x, quantity: t.errQuantity }));
    setErrors((x) => ({ ...x, quantity: undefined }));
    focusSelect(priceRef.current);
  }
  function onFormKey(e: KeyboardEvent<HTMLFormElement>) {
    if (e.key === 'Escape' && form.editingId !== null) {
      e.preventDefault();
      cancelEdit();
    }
  }
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    commitLine();
  }
  function cancelEdit() {
    useSale.setState((s) => ({ form: { ...EMPTY_FORM, vat: s.form.vat } }));
    setErrors({});
    nameRef.current?.focus();
  }
  function editLine(id: number) {
    const l = lines.find((x) => x.id === id);
    if (!l) return;
    useSale.setState({
      form: { name: l.name, quantity: formatQuantity(l.quantityMilli, lang), price: kopToInputText(l.priceKop, lang), vat: l.vat, editingId: id },
    });
    setErrors({});
    focusSelect(nameRef.current);
  }
  function removeLine(id: number) {
    useSale.setState((s) => ({
      lines: s.lines.filter((l) => l.id !== id),
      form: s.form.editingId === id ? { ...EMPTY_FORM, vat: s.form.vat } : s.form,
      error: null,
    }));
    nameRef.current?.focus();
  }

  const editing = form.editingId !== null;
  return (
    <div className="screen sale-screen">
      <h2 className="visually-hidden">{t.saleTitle}</h2>
      <div className="sale-grid">
        <div className="sale-main">
          <section className="panel" aria-labelledby="line-form-title">
            <h3 id="line-form-title">{editing ? t.editLineTitle : t.newLineTitle}</h3>
            <form className="line-form" onSubmit={onSubmit} onKeyDown={onFormKey} noValidate>
              <TextField
                label={t.itemName}
                value={form.name}
                onValue={(v) => setForm({ name: v })}
                onKeyDown={onNameKey}
                inputRef={nameRef}
                error={errors.name}
                hint={t.itemNameHint}
                autoComplete="off"
                maxLength={200}
                fieldClassName="field-name"
              />
              <TextField
                label={t.quantity}
                value={form.quantity}
                onValue={(v) => setForm({ quantity: v })}
                onKeyDown={onQtyKey}
                inputRef={qtyRef}
                error={errors.quantity}
                inputMode="decimal"
                autoComplete="off"
                fieldClassName="field-qty"
              />
              <TextField
                label={t.price}
                value={form.price}
                onValue={(v) => setForm({ price: v })}
                inputRef={priceRef}
                error={errors.price}
                inputMode="decimal"
                autoComplete="off"
                placeholder="0,00"
                fieldClassName="field-price"
              />
              <div className="field field-vat">
                <label htmlFor="line-vat">{t.vat}</label>
                <select id="line-vat" value={form.vat} onChange={(e) => setForm({ vat: e.target.value as VatCode })}>
                  {VAT_CODES.map((c) => (
                    <option key={c} value={c}>
                      {t.vatOptions[c]}
                    </option>
                  ))}
                </select>
              </div>
              <div className="line-form-actions">
                <button type="submit" className="btn btn-primary">
                  {editing ? t.saveLine : t.addLine}
                </button>
                {editing ? (
                  <button type="button" className="btn" onClick={cancelEdit}>
                    {t.cancelEdit}
                  </button>
                ) : null}
              </div>
            </form>
          </section>

          <section className="panel" aria-labelledby="lines-title">
            <h3 id="lines-title">{t.linesTable}</h3>
            {lines.length === 0 ? (
              <p className="empty">{t.linesEmpty}</p>
            ) : (
              <table className="table lines-table" aria-labelledby="lines-title">
                <thead>
                  <tr>
                    <th scope="col">№</th>
                    <th scope="col">{t.itemName}</th>
                    <th scope="col" className="num">{t.quantity}</th>
                    <th scope="col" className="num">{t.price}</th>
                    <th scope="col">{t.vat}</th>
                    <th scope="col" className="num">{t.lineAmount}</th>
                    <th scope="col"><span className="visually-hidden">{t.actions}</span></th>
                  </tr>
                </thead>
                <tbody>
                  {lines.map((l, i) => (
                    <tr key={l.id} className={form.editingId === l.id ? 'row-editing' : undefined}>
                      <td className="num">{i + 1}</td>
                      <td>{l.name}</td>
                      <td className="num">{formatQuantity(l.quantityMilli, lang)}</td>
                      <td className="num"><Money kop={l.priceKop} /></td>
                      <td>{t.vatOptions[l.vat]}</td>
                      <td className="num"><Money kop={lineTotalKop(l.priceKop, l.quantityMilli)} /></td>
                      <td className="actions-cell">
                        <div className="row-actions">
                          <button type="button" className="btn btn-small" aria-label={t.editLine(l.name)} onClick={() => editLine(l.id)}>
                          ✎
                          </button>
                          <button type="button" className="btn btn-small btn-danger" aria-label={t.removeLine(l.name)} onClick={() => removeLine(l.id)}>
                          ✕
                          </button>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>

        <aside className="sale-side">
          <section className="panel total-panel" aria-labelledby="total-label">
            <p className="total-line">
              <span id="total-label">{t.total}</span>
              <output aria-labelledby="total-label" className="total-amount" data-testid="sale-total">
                {formatMoney(total, lang)}
              </output>
            </p>
            <button type="button" className="btn btn-primary btn-large" aria-keyshortcuts="F2 Control+Enter" onClick={openPayment} disabled={busy}>
              {t.pay}
            </button>
            <p className="hint">{t.payHint}</p>
            {lines.length > 0 ? (
              <button type="button" className="btn btn-ghost" onClick={() => void newSale().then(() => nameRef.current?.focus())}>
                {t.clearSale}
              </button>
            ) : null}
            {payBlocked ? <ErrorAlert error={payBlocked} /> : null}
          </section>
          {error && !payOpen ? <SaleError error={error} /> : null}
          {result ? <ReceiptResult receipt={result} onNew={() => void newSale().then(() => nameRef.current?.focus())} /> : null}
        </aside>
      </div>
      {payOpen && posId !== null ? <PaymentDialog total={total} posId={posId} /> : null}
    </div>
  );
}

/** A failed print explained, with the action that fixes it. Used in the dialog and on the screen. */
export function SaleError({ error }: { error: CommandError }) {
  const t = useT();
  const kkt = useStation((s) => s.snapshot?.kkt ?? null);
  const busy = useSale((s) => s.busy);
  const issues = fieldIssues(error);
  const paper = error.code === 'kkt_refused' && (
    kkt?.mode === 'paper_out' || kkt?.mode === 'awaiting_continue' || kkt?.paperPresent === false || kktReasonOf(error) === 'paper_out'
  );
  const retryable = !['validation_error', 'refund_not_allowed', 'idempotency_conflict'].includes(error.code);
  return (
    <ErrorAlert error={error}>
      {issues.length > 0 ? (
        <ul className="issues">
          {issues.map((i) => (
            <li key={`${i.field}:${i.message}`}>
              <code>{i.field}</code>: {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      {retryable ? <p className="hint">{t.retryHint}</p> : null}
      {SHIFT_ERROR_CODES.has(error.code) ? (
        <button type="button" className="btn" onClick={() => { useSale.setState({ payOpen: false }); setScreen('shift'); }}>
          {t.goToShift}
        </button>
      ) : null}
      {paper ? (
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void continuePrint()}>
          {t.continuePrint}
        </button>
      ) : null}
    </ErrorAlert>
  );
}

function PaymentDialog({ total, posId }: { total: number; posId: string }) {
  const t = useT();
  const lang = useLang();
  const { payment, busy, error } = useSale(useShallow((s) => ({ payment: s.payment, busy: s.busy, error: s.error })));
  const cashRef = useRef<HTMLInputElement>(null);
  const cardRef = useRef<HTMLInputElement>(null);
  const [fieldErr, setFieldErr] = useState<{ cash?: string; card?: string }>({});
  const setPayment = (patch: Partial<typeof payment>) => useSale.setState((s) => ({ payment: { ...s.payment, ...patch } }));

  const method = payment.method;
  const cardParsed = method === 'split' ? (payment.cardPart.trim() ? parseMoney(payment.cardPart) : 0) : null;
  const cardKop = method === 'card' ? total : method === 'split' ? (cardParsed ?? 0) : 0;
  const cashDue = Math.max(0, total - cardKop);
  const receivedParsed = method === 'card' ? 0 : payment.cashReceived.trim() ? parseMoney(payment.cashReceived) : cashDue;
  const change = receivedParsed === null ? null : changeKop(receivedParsed, cashDue);

  function chooseMethod(m: PayMethod) {
    setFieldErr({});
    if (m === 'split') {
      setPayment({ method: m, cardPart: '', cashReceived: '' });
      setTimeout(() => cardRef.current?.focus(), 0);
    } else if (m === 'cash') {
      setPayment({ method: m, cashReceived: kopToInputText(total, lang) });
      setTimeout(() => focusSelect(cashRef.current), 0);
    } else {
      setPayment({ method: m });
    }
  }
  function focusSelect(el: HTMLInputElement | null) {
    el?.focus();
    el?.select();
  }

  async function confirm(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const errs: { cash?: string; card?: string } = {};
    if (method === 'split') {
      if (cardParsed === null) errs.card = t.errAmount;
      else if (cardParsed > total) errs.card = t.errCardMore;
    }
    if (method !== 'card' && cashDue > 0) {
      if (receivedParsed === null) errs.cash = t.errAmount;
      else if (receivedParsed < cashDue) errs.cash = t.errCashLess(formatMoney(cashDue, lang));
    }
    setFieldErr(errs);
    if (errs.card) return focusSelect(cardRef.current);
    if (errs.cash) return focusSelect(cashRef.current);
    const payments: { type: 'cash' | 'card'; amountKop: number }[] = [];
    if (cardKop > 0) payments.push({ type: 'card', amountKop: cardKop });
    if (method !== 'card' && (cashDue > 0 || payments.length === 0)) payments.push({ type: 'cash', amountKop: receivedParsed ?? cashDue });
    await submitSale(posId, payments);
  }

  const initial = method === 'split' ? cardRef : cashRef;
  return (
    <Modal title={t.paymentTitle} onClose={() => { if (!busy) useSale.setState({ payOpen: false }); }} initialFocus={initial} className="payment-dialog">
      <form onSubmit={(e) => void confirm(e)} noValidate aria-busy={busy}>
        <p className="due-line">
          <span id="due-label">{t.toPay}</span>
          <output aria-labelledby="due-label" className="due-amount">{formatMoney(total, lang)}</output>
        </p>
        <fieldset className="radio-group">
          <legend>{t.paymentMethod}</legend>
          {(['cash', 'card', 'split'] as const).map((m) => (
            <label key={m} className={`radio-card${method === m ? ' checked' : ''}`}>
              <input type="radio" name="pay-method" value={m} checked={method === m} onChange={() => chooseMethod(m)} />
              {m === 'cash' ? t.payCash : m === 'card' ? t.payCard : t.paySplit}
            </label>
          ))}
        </fieldset>
        {method === 'split' ? (
          <TextField
            label={t.cardPart}
            value={payment.cardPart}
            onValue={(v) => setPayment({ cardPart: v })}
            inputRef={cardRef}
            error={fieldErr.card}
            inputMode="decimal"
            autoComplete="off"
            placeholder="0,00"
          />
        ) : null}
        {method === 'split' ? (
          <p className="due-line small">
            <span id="cash-due-label">{t.cashPart}</span>
            <output aria-labelledby="cash-due-label">{formatMoney(cashDue, lang)}</output>
          </p>
        ) : null}
        {method !== 'card' ? (
          <TextField
            label={t.cashReceived}
            value={payment.cashReceived}
            onValue={(v) => setPayment({ cashReceived: v })}
            inputRef={cashRef}
            error={fieldErr.cash}
            inputMode="decimal"
            autoComplete="off"
            placeholder={kopToInputText(cashDue, lang)}
          />
        ) : null}
        {method !== 'card' ? (
          <p className="change-line">
            <span id="change-label">{t.change}</span>
            <output aria-labelledby="change-label" className="change-amount" data-testid="change">
              {change === null ? '—' : formatMoney(change, lang)}
            </output>
          </p>
        ) : null}
        {error ? <SaleError error={error} /> : null}
        <div className="dialog-actions">
          <button type="submit" className="btn btn-primary btn-large" disabled={busy} aria-busy={busy}>
            {t.printReceipt}
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => useSale.setState({ payOpen: false })}>
            {t.cancel}
          </button>
        </div>
        {busy ? <p role="status" className="notice">{t.printing}</p> : null}
      </form>
    </Modal>
  );
}

export function ReceiptResult({ receipt, onNew, refund }: { receipt: ReceiptView; onNew: () => void; refund?: boolean }) {
  const t = useT();
  const lang = useLang();
  const f = receipt.fiscal;
  return (
    <section className="panel result-panel" aria-labelledby="result-title" data-testid="receipt-result">
      <h3 id="result-title">{refund ? t.refundResultTitle : t.resultTitle}</h3>
      {f ? (
        <>
          {!refund ? (
            <p className="change-big">
              <span id="result-change-label">{t.change}</span>
              <output aria-labelledby="result-change-label">{formatMoney(f.changeKop, lang)}</output>
            </p>
          ) : null}
          <Facts
            rows={[
              [t.receiptTotal, <Money kop={receipt.totalKop} />],
              [t.fdNumber, <span data-testid="fd-number">{f.fdNumber}</span>],
              [t.fiscalSign, <span data-testid="fiscal-sign">{f.fiscalSign}</span>],
              [t.shiftReceipt, `${f.shiftNumber} / ${f.receiptNumber}`],
              [t.fiscalDatetime, formatDateTime(f.fiscalDatetime, lang)],
              [t.fnNumber, f.fnNumber],
            ]}
          />
          <QrImage text={f.qr} alt={t.qrAlt} />
        </>
      ) : (
        <p>{t.receiptStates[receipt.state] ?? receipt.state}</p>
      )}
      <button type="button" className="btn" onClick={onNew}>
        {refund ? t.backToList : t.newSale}
      </button>
    </section>
  );
}
