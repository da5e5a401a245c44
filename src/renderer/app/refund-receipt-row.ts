// What a cashier recognises a sale by on «Возврат» when picking it from the list: its date and time,
// its total, how it was paid, and — once the list holds sales of more than one FN (after an FN
// replacement FD numbers restart, so two sales may share one) — the FN's last 4 digits. One place for
// these words, used by the row's cells and by its «Выбрать» button's accessible name.
import type { ReceiptView } from '../../shared/contract.ts';
import type { Messages } from '../i18n/ru.ts';

export type PaymentKind = 'cash' | 'card' | 'split' | 'other' | 'none';

/**
 * Cash, card, both (a split payment), anything else the REST API took (type 14 «иная форма»), or none:
 * a sale always has a payment, but a correction or an old row may have none above 0.
 */
export function paymentKind(payments: ReceiptView['payments']): PaymentKind {
  const types = new Set(payments.filter((p) => p.amountKop > 0).map((p) => p.type));
  if (types.size === 0) return 'none';
  if (types.size === 1 && types.has('cash')) return 'cash';
  if (types.size === 1 && types.has('card')) return 'card';
  if (types.size === 2 && types.has('cash') && types.has('card')) return 'split';
  return 'other';
}

/**
 * How the payment reads: `shown` in the cell, `spoken` in accessible names. They differ only for none,
 * shown as «—», which a screen reader would not say as «без оплаты».
 */
export function paymentWords(kind: PaymentKind, t: Messages): { shown: string; spoken: string } {
  const shown = { cash: t.payCash, card: t.payCard, split: t.paySplit, other: t.payOther, none: t.payNone }[
    kind
  ];
  return { shown, spoken: kind === 'none' ? t.payNoneName : shown };
}

/** True when the FD numbers in the list may repeat: its fiscalised receipts come from more than one FN. */
export function listsSeveralFns(receipts: readonly ReceiptView[]): boolean {
  return new Set(receipts.flatMap((r) => (r.fiscal ? [r.fiscal.fnNumber] : []))).size > 1;
}

/** "…2345": the FN's last 4 digits, as the cashier finds them under «ФН» on the paper receipt. */
export function fnTail(fnNumber: string): string {
  return `…${fnNumber.slice(-4)}`;
}

/**
 * The FN tail that names `receipt` among the receipts the cashier sees (the list and the picked sale):
 * null while they all come from one FN, where the FD number alone is unambiguous.
 */
export function fnTailAmong(receipt: ReceiptView, seen: readonly ReceiptView[]): string | null {
  return receipt.fiscal && listsSeveralFns([...seen, receipt]) ? fnTail(receipt.fiscal.fnNumber) : null;
}
