// The receipt being rung up. It lives in a store (not in the screen) so switching to the shift screen
// and back loses nothing, and nothing is cleared when printing fails: the cashier retries the same
// receipt, with the same idempotency key.
import { create } from 'zustand';
import type { CommandError, ReceiptView } from '../../shared/contract.ts';
import { kopToRoublesText } from '../format.ts';
import { call } from './api.ts';
import { attemptFor, createReceipt, receiptItems, type Attempt, type VatCode } from './receipt.ts';

export interface SaleLine {
  id: number;
  name: string;
  priceKop: number;
  quantityMilli: number;
  vat: VatCode;
}

export interface LineForm {
  name: string;
  quantity: string;
  price: string;
  vat: VatCode;
  editingId: number | null;
}

export type PayMethod = 'cash' | 'card' | 'split';

export interface PaymentForm {
  method: PayMethod;
  cashReceived: string;
  cardPart: string;
}

export interface SaleState {
  lines: SaleLine[];
  form: LineForm;
  payOpen: boolean;
  payment: PaymentForm;
  attempt: Attempt | null;
  busy: boolean;
  error: CommandError | null;
  result: ReceiptView | null;
}

export const EMPTY_FORM: LineForm = { name: '', quantity: '1', price: '', vat: 'vat22', editingId: null };

let nextLineId = 1;
export const newLineId = (): number => nextLineId++;

export const useSale = create<SaleState>()(() => ({
  lines: [],
  form: EMPTY_FORM,
  payOpen: false,
  payment: { method: 'cash', cashReceived: '', cardPart: '' },
  attempt: null,
  busy: false,
  error: null,
  result: null,
}));

export function newSale(): void {
  useSale.setState({ lines: [], form: EMPTY_FORM, payOpen: false, attempt: null, busy: false, error: null, result: null });
}

/** Sends the receipt (reusing the key if the body is unchanged). Returns true when it printed. */
export async function submitSale(posId: string, payments: { type: 'cash' | 'card'; amountKop: number }[]): Promise<boolean> {
  const s = useSale.getState();
  if (s.busy || s.lines.length === 0) return false;
  const body = {
    pos_id: posId,
    type: 'sale' as const,
    items: receiptItems(s.lines),
    payments: payments.map((p) => ({ type: p.type, amount: kopToRoublesText(p.amountKop) })),
  };
  const attempt = attemptFor(s.attempt, body);
  useSale.setState({ attempt, busy: true, error: null });
  const r = await createReceipt(attempt);
  if (r.ok) {
    useSale.setState({ lines: [], form: EMPTY_FORM, payOpen: false, attempt: null, busy: false, error: null, result: r.value });
    return true;
  }
  useSale.setState({ busy: false, error: r.error });
  return false;
}

/** Paper loaded: resume the KKT, then send the same receipt again (same key: never a second print). */
export async function continuePrintAndRetry(): Promise<void> {
  const s = useSale.getState();
  if (s.busy) return;
  useSale.setState({ busy: true });
  const r = await call('kkt.continuePrint');
  useSale.setState({ busy: false });
  if (!r.ok) {
    useSale.setState({ error: r.error });
    return;
  }
  const attempt = useSale.getState().attempt;
  if (!attempt) return;
  useSale.setState({ busy: true, error: null });
  const again = await createReceipt(attempt);
  if (again.ok) {
    useSale.setState({ lines: [], form: EMPTY_FORM, payOpen: false, attempt: null, busy: false, error: null, result: again.value });
  } else {
    useSale.setState({ busy: false, error: again.error });
  }
}
