// The sale: a scan adds the catalogue item wherever the focus is (`3*` then a scan adds three;
// keyboard-scanner.ts, scan-sale.ts), or lines are typed from the keyboard (name → Enter → quantity →
// Enter → price → Enter adds); a running total, F2 / Ctrl+Enter opens the payment dialog, Enter there
// prints. A failure is shown in words and nothing is cleared, so the cashier retries the same receipt
// with the same key. A marked line's quantity is fixed by its code (read-only in the form). Over 400 lines:
// the line form's keyboard flow and the screen's layout read best together.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  formatMoney,
  formatPercent,
  formatQuantity,
  kopToInputText,
  parseMoney,
  parseQuantity,
} from '../../format.ts';
import { lineTotalKop } from '../../../shared/money.ts';
import { useLang, useT } from '../../state/language.ts';
import { VAT_CODES, type VatCode } from '../../state/receipt.ts';
import { EMPTY_FORM, newLineId, newSale, useSale } from '../../state/sale.ts';
import { useStation } from '../../state/store.ts';
import { ReceiptResult } from '../ReceiptResult.tsx';
import { ErrorAlert, TextField, focusOnOpen } from '../ui.tsx';
import { ConfirmDialog } from '../ConfirmDialog.tsx';
import { LinesTable } from './LinesTable.tsx';
import { PaymentDialog } from './PaymentDialog.tsx';
import { ReceiptTools } from './ReceiptTools.tsx';
import { MarkCodeDialog } from './MarkCodeDialog.tsx';
import { SaleError } from './SaleError.tsx';
import { ScanNoticeView } from './ScanNotice.tsx';
import { ItemsPanel } from './ItemsPanel.tsx';
import { listenForAnyScanner } from '../../state/scans.ts';
import { markEntryOpen } from '../../state/mark-entry.ts';
import { SCAN_PATTERN } from '../../../shared/barcode.ts';
import { MARK_SCAN_PATTERN } from '../../../shared/marking-code.ts';
import { looksLikeFiscalQr, RECEIPT_SCAN_PATTERN } from '../../../shared/fiscal-qr.ts';
import { scanIntoSale, useScan, type FocusRequest } from '../../state/scan-sale.ts';
import { discountBlock, priceSale } from '../../state/sale-discounts.ts';
import { DiscountDialog, type DiscountTarget } from './DiscountDialog.tsx';
import { DiscountTotals, useDiscountKeys } from './DiscountTotals.tsx';

type FieldErrors = Partial<Record<'name' | 'quantity' | 'price', string>>;

/** From this many lines, deleting one asks to confirm. */
const CONFIRM_REMOVE_FROM = 3;

export function SaleScreen() {
  const t = useT();
  const lang = useLang();
  const { lines, form, payOpen, error, result, busy, receiptDiscount } = useSale(
    useShallow((s) => ({
      receiptDiscount: s.receiptDiscount,
      lines: s.lines,
      form: s.form,
      payOpen: s.payOpen,
      error: s.error,
      result: s.result,
      busy: s.busy,
    })),
  );
  const posId = useStation((s) => s.snapshot?.posId ?? null);
  const nameRef = useRef<HTMLInputElement>(null);
  const qtyRef = useRef<HTMLInputElement>(null);
  const priceRef = useRef<HTMLInputElement>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [payBlocked, setPayBlocked] = useState<string | null>(null);
  // Why «Оплатить» was refused speaks of the receipt as it was: any change of it takes the message away.
  useEffect(() => setPayBlocked(null), [lines, receiptDiscount]);
  const [discountFor, setDiscountFor] = useState<DiscountTarget | null>(null);
  const priced = priceSale(lines, receiptDiscount);
  const total = priced.problems.length ? priced.beforeKop : priced.totalKop;
  useDiscountKeys(setDiscountFor);
  const [confirm, setConfirm] = useState<
    { kind: 'clear' } | { kind: 'remove'; id: number; name: string } | null
  >(null);

  const setForm = (patch: Partial<typeof form>) =>
    useSale.setState((s) => ({ form: { ...s.form, ...patch } }));

  useEffect(() => {
    if (!useSale.getState().payOpen) focusOnOpen(nameRef.current);
  }, []);
  // After a print the dialog closes: the next sale starts in the name field.
  useEffect(() => {
    if (result) nameRef.current?.focus();
  }, [result]);
  // A marked unit priced at the till waits in the form after its code (mark-entry.ts): the cursor goes
  // to «Цена» once the code dialog has closed (and given the focus back).
  const waitingMark = form.editingId === null ? (form.mark?.code ?? null) : null;
  useEffect(() => {
    if (waitingMark) focusSelect(priceRef.current);
  }, [waitingMark]);

  function focusSelect(el: HTMLInputElement | null) {
    el?.focus();
    el?.select();
  }

  /** After a pick (search, quick key): the field the item still needs, else the next line's name. */
  function afterPick(want: FocusRequest) {
    if (want === 'quantity') focusSelect(qtyRef.current);
    else if (want === 'price') focusSelect(priceRef.current);
    else nameRef.current?.focus();
  }

  function openPayment() {
    const s = useSale.getState();
    if (s.lines.length === 0) {
      setPayBlocked(t.linesEmpty);
      nameRef.current?.focus();
      return;
    }
    // A line changed after its discount: say so in words here, never let the station refuse it.
    const limit = Math.round((useStation.getState().snapshot?.discountLimitPercent ?? 0) * 100);
    const block = discountBlock(priceSale(s.lines, s.receiptDiscount), s.discountApproval, limit);
    if (block?.kind === 'problem') {
      const line = block.problem.line === null ? null : (s.lines[block.problem.line]?.name ?? null);
      setPayBlocked(t.discountNoLongerFits(line, t.discountProblem(block.problem)));
      return;
    }
    if (block?.kind === 'pin') {
      useSale.setState({ discountApproval: null }); // the old PIN approved less: ask for it again
      setPayBlocked(t.discountPinAgain(formatPercent(limit, lang)));
      return;
    }
    setPayBlocked(null);
    // A retry after an error keeps the payment typed before, so the same body gets the same key.
    const keep = s.attempt !== null && s.error !== null;
    useSale.setState({
      payOpen: true,
      payment: keep ? s.payment : { method: 'cash', cashReceived: kopToInputText(total, lang), cardPart: '' },
    });
  }

  // A scan, from the keyboard scanner or a serial one, wherever the focus is on this screen.
  useEffect(() => {
    const focus = (want: FocusRequest) => {
      if (want === 'quantity') focusSelect(qtyRef.current);
      else if (want === 'price') focusSelect(priceRef.current);
    };
    const onScan = (code: string, field: HTMLInputElement | HTMLTextAreaElement | null) => {
      const typed = field?.value ?? '';
      const clearTyped = () => {
        if (field === nameRef.current) useSale.setState((s) => ({ form: { ...s.form, name: '' } }));
        else if (field === qtyRef.current) useSale.setState((s) => ({ form: { ...s.form, quantity: '1' } }));
      };
      setErrors({});
      void scanIntoSale(code, typed, clearTyped).then(focus);
    };
    // While the code dialog asks for a DataMatrix, a scan may be as long as a marking code is; a receipt
    // QR is longer than a barcode, and is taken to be said (scan-sale.ts) rather than typed as text.
    return listenForAnyScanner(onScan, {
      test: (code) =>
        (markEntryOpen() ? MARK_SCAN_PATTERN : SCAN_PATTERN).test(code) ||
        (looksLikeFiscalQr(code) && RECEIPT_SCAN_PATTERN.test(code)),
    });
  }, []);

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
    const parsedQty = parseQuantity(form.quantity);
    // A marked line's quantity is what its code says (the station refuses any other).
    const qty = form.mark && parsedQty !== null ? form.mark.quantityMilli : parsedQty;
    if (parsedQty === null) errs.quantity = t.errQuantity;
    else if (form.mark && parsedQty !== form.mark.quantityMilli) errs.quantity = t.errMarkedQty;
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
    const from = form.item;
    const line = {
      name: form.name.trim(),
      quantityMilli: qty,
      priceKop: price,
      vat: form.vat as string,
      ...(from ? { code: from.code, unit: from.unit } : {}),
      ...(form.mark ? { markCode: form.mark.code } : {}),
    };
    useScan.setState({ notice: null });
    useSale.setState((s) => ({
      lines:
        s.form.editingId !== null
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
      form: {
        name: l.name,
        quantity: formatQuantity(l.quantityMilli, lang),
        price: kopToInputText(l.priceKop, lang),
        vat: l.vat as VatCode,
        editingId: id,
        item: null,
        mark: l.markCode ? { code: l.markCode, quantityMilli: l.quantityMilli } : null,
      },
    });
    setErrors({});
    focusSelect(l.markCode ? priceRef.current : nameRef.current);
  }
  /** Deleting a line from a receipt of 3 or more asks first: a slip there costs retyping a lot. */
  function askRemoveLine(id: number) {
    const line = lines.find((l) => l.id === id);
    if (line && lines.length >= CONFIRM_REMOVE_FROM) setConfirm({ kind: 'remove', id, name: line.name });
    else removeLine(id);
  }
  function clearSale() {
    void newSale().then(() => nameRef.current?.focus());
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
          <section className="panel line-form-panel" aria-labelledby="line-form-title">
            <h3 id="line-form-title">{editing ? t.editLineTitle : t.newLineTitle}</h3>
            <form className="line-form" onSubmit={onSubmit} onKeyDown={onFormKey} noValidate>
              <TextField
                label={t.itemName}
                value={form.name}
                onValue={(v) => setForm({ name: v })}
                onKeyDown={onNameKey}
                inputRef={nameRef}
                error={errors.name}
                hintElsewhere="line-name-hint"
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
                readOnly={form.mark ? true : undefined}
                hint={form.mark ? t.markedQtyHint : undefined}
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
                <select
                  id="line-vat"
                  value={form.vat}
                  onChange={(e) => setForm({ vat: e.target.value as VatCode })}
                >
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
                {/* Beside the button rather than under the name: the form stays two rows high. */}
                <p id="line-name-hint" className="hint">
                  {t.itemNameHint}
                </p>
              </div>
            </form>
          </section>

          {result ? (
            <ReceiptResult
              receipt={result}
              onNew={() => void newSale().then(() => nameRef.current?.focus())}
            />
          ) : null}

          <section className="panel lines-panel" aria-labelledby="lines-title">
            <h3 id="lines-title">{t.linesTable}</h3>
            <LinesTable
              lines={lines}
              editingId={form.editingId}
              onEdit={editLine}
              onRemove={askRemoveLine}
              priced={priced}
              onDiscount={(id) => setDiscountFor({ kind: 'line', id })}
            />
          </section>
        </div>

        {/* The side column: panels that come and go scroll in their own area above the total, which
            stays pinned at the bottom with «Оплатить». */}
        <aside className="sale-side">
          <div className="sale-side-panels">
            <ScanNoticeView />
            {error && !payOpen ? <SaleError error={error} /> : null}
            <ReceiptTools receipt={result} />
            <ItemsPanel onAdded={afterPick} />
          </div>
          <section className="panel total-panel" aria-labelledby="total-label">
            <p className="total-line">
              <span id="total-label">{t.total}</span>
              <output aria-labelledby="total-label" className="total-amount" data-testid="sale-total">
                {formatMoney(total, lang)}
              </output>
            </p>
            <DiscountTotals priced={priced} onReceiptDiscount={() => setDiscountFor({ kind: 'receipt' })} />
            <button
              type="button"
              className="btn btn-primary btn-large"
              aria-keyshortcuts="F2 Control+Enter"
              onClick={openPayment}
              disabled={busy}
            >
              {t.pay}
            </button>
            <p className="hint">{t.payHint}</p>
            {lines.length > 0 ? (
              <button type="button" className="btn btn-ghost" onClick={() => setConfirm({ kind: 'clear' })}>
                {t.clearSale}
              </button>
            ) : null}
            {payBlocked ? <ErrorAlert error={payBlocked} /> : null}
          </section>
        </aside>
      </div>
      {payOpen && posId !== null ? <PaymentDialog total={total} posId={posId} /> : null}
      {discountFor ? <DiscountDialog target={discountFor} onClose={() => setDiscountFor(null)} /> : null}
      <MarkCodeDialog />
      {confirm ? (
        <ConfirmDialog
          title={confirm.kind === 'clear' ? t.confirmClearTitle : t.confirmRemoveTitle}
          confirmLabel={confirm.kind === 'clear' ? t.clearSale : t.confirmRemove}
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            setConfirm(null);
            if (confirm.kind === 'clear') clearSale();
            else removeLine(confirm.id);
          }}
        >
          <p>
            {confirm.kind === 'clear'
              ? t.confirmClearText(lines.length, formatMoney(total, lang))
              : t.confirmRemoveText(confirm.name)}
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
