// The payment: cash (with the change), card, or split; Enter prints. While it prints the dialog stays
// open and busy; a failure is shown in it (SaleError) and nothing typed is lost, so the same key
// retries the same receipt.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { changeKop, formatMoney, kopToInputText, parseMoney } from '../../format.ts';
import { useLang, useT } from '../../state/language.ts';
import { submitSale, useSale, type PayMethod } from '../../state/sale.ts';
import { Modal, RadioCards, TextField } from '../ui.tsx';
import { parseBuyerContact } from '../../../shared/buyer-contact.ts';
import { SaleError } from './SaleError.tsx';

export function PaymentDialog({ total, posId }: { total: number; posId: string }) {
  const t = useT();
  const lang = useLang();
  const { payment, busy, error } = useSale(
    useShallow((s) => ({ payment: s.payment, busy: s.busy, error: s.error })),
  );
  const cashRef = useRef<HTMLInputElement>(null);
  const cardRef = useRef<HTMLInputElement>(null);
  const contactRef = useRef<HTMLInputElement>(null);
  const actionsRef = useRef<HTMLDivElement>(null);
  const [fieldErr, setFieldErr] = useState<{ cash?: string; card?: string; contact?: string }>({});
  const setPayment = (patch: Partial<typeof payment>) =>
    useSale.setState((s) => ({ payment: { ...s.payment, ...patch } }));

  const method = payment.method;
  const cardParsed = method === 'split' ? (payment.cardPart.trim() ? parseMoney(payment.cardPart) : 0) : null;
  const cardKop = method === 'card' ? total : method === 'split' ? (cardParsed ?? 0) : 0;
  const cashDue = Math.max(0, total - cardKop);
  const receivedParsed =
    method === 'card' ? 0 : payment.cashReceived.trim() ? parseMoney(payment.cashReceived) : cashDue;
  const change = receivedParsed === null ? null : changeKop(receivedParsed, cashDue);

  // A refusal (its words, a hint, a button) makes the dialog taller than a 1024×768 screen: bring the
  // buttons under it into view, so the refusal and the retry are seen together.
  useEffect(() => {
    if (error) actionsRef.current?.scrollIntoView({ block: 'nearest' });
  }, [error]);

  /** A clicked method moves the focus to its amount; one chosen with the arrow keys leaves it on the radios. */
  function chooseMethod(m: PayMethod, focusAmount: boolean) {
    setFieldErr({});
    if (m === 'split') {
      setPayment({ method: m, cardPart: '', cashReceived: '' });
      if (focusAmount) setTimeout(() => cardRef.current?.focus(), 0);
    } else if (m === 'cash') {
      setPayment({ method: m, cashReceived: kopToInputText(total, lang) });
      if (focusAmount) setTimeout(() => focusSelect(cashRef.current), 0);
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
    const errs: { cash?: string; card?: string; contact?: string } = {};
    const contactText = payment.contact?.trim() ?? '';
    const buyer = contactText ? parseBuyerContact(contactText) : null;
    if (contactText && !buyer) errs.contact = t.errBuyerContact;
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
    if (errs.contact) return focusSelect(contactRef.current);
    const payments: { type: 'cash' | 'card'; amountKop: number }[] = [];
    if (cardKop > 0) payments.push({ type: 'card', amountKop: cardKop });
    if (method !== 'card' && (cashDue > 0 || payments.length === 0))
      payments.push({ type: 'cash', amountKop: receivedParsed ?? cashDue });
    await submitSale(posId, payments, buyer);
  }

  const initial = method === 'split' ? cardRef : cashRef;
  return (
    <Modal
      title={t.paymentTitle}
      onClose={() => {
        if (!busy) useSale.setState({ payOpen: false });
      }}
      initialFocus={initial}
      className="payment-dialog"
    >
      <form onSubmit={(e) => void confirm(e)} noValidate aria-busy={busy}>
        <p className="due-line">
          <span id="due-label">{t.toPay}</span>
          <output aria-labelledby="due-label" className="due-amount">
            {formatMoney(total, lang)}
          </output>
        </p>
        <RadioCards
          legend={t.paymentMethod}
          value={method}
          options={[
            { value: 'cash', label: t.payCash },
            { value: 'card', label: t.payCard },
            { value: 'split', label: t.paySplit },
          ]}
          onValue={(m, how) => chooseMethod(m, !how.byArrowKey)}
        />
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
        <TextField
          label={t.buyerContact}
          hint={t.buyerContactHint}
          value={payment.contact ?? ''}
          onValue={(v) => setPayment({ contact: v })}
          inputRef={contactRef}
          error={fieldErr.contact}
          inputMode="email"
          autoComplete="off"
          maxLength={64}
        />
        {error ? <SaleError error={error} /> : null}
        <div className="dialog-actions" ref={actionsRef}>
          <button type="submit" className="btn btn-primary btn-large" disabled={busy} aria-busy={busy}>
            {t.printReceipt}
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => useSale.setState({ payOpen: false })}
          >
            {t.cancel}
          </button>
        </div>
        {busy ? (
          <p role="status" className="notice">
            {t.printing}
          </p>
        ) : null}
      </form>
    </Modal>
  );
}
