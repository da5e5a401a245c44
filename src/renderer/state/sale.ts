// The receipt being rung up. It lives in a store (not in the screen) so switching to the shift screen
// and back loses nothing, and nothing is cleared when printing fails: the cashier retries the same
// receipt, with the same idempotency key.
import { cashierFields } from './cashier.ts';
import { create } from 'zustand';
import type { CatalogItemView, ReceiptView } from '../../shared/contract.ts';
import type { CommandError } from '../../shared/errors.ts';
import { formatKopecks } from '../../shared/money.ts';
import { isFiscalised } from '../../shared/receipt-states.ts';
import { call } from './api.ts';
import {
  attemptFor,
  createReceipt,
  receiptItems,
  settleAbandoned,
  unconfirmedError,
  type Attempt,
  type VatCode,
} from './receipt.ts';
import { MESSAGES } from '../i18n/index.ts';
import type { Discount } from '../../shared/discounts.ts';
import {
  approvedDiscountPin,
  priceSale,
  receiptDiscountFields,
  withLineDiscounts,
  type DiscountApproval,
} from './sale-discounts.ts';
import { useStation } from './store.ts';

export interface SaleLine {
  id: number;
  name: string;
  priceKop: number;
  quantityMilli: number;
  /** A VAT code: one the form offers, or any the catalogue gave the item. */
  vat: string;
  /** The catalogue item's code, when the line came from the catalogue (a scan, the search). */
  code?: string;
  /** FFD unit code (src/shared/units.ts); none: pieces. */
  unit?: number;
  /** The line's discount (sale-discounts.ts prices it, as the station does). */
  discount?: Discount;
  /** A marked good's code (mark-entry.ts): the line is one piece of that code. */
  markCode?: string;
}

export interface LineForm {
  name: string;
  quantity: string;
  price: string;
  vat: VatCode;
  editingId: number | null;
  /** The catalogue item the form was filled from (a weighed item waiting for its weight). */
  item?: CatalogItemView | null;
  /** A marked good's line (mark-entry.ts): its code and the quantity the code fixes (one unit, or the
   * weight a weighed code carries); only the name, price and VAT may change. */
  mark?: { code: string; quantityMilli: number } | null;
}

export type PayMethod = 'cash' | 'card' | 'split';

export interface PaymentForm {
  method: PayMethod;
  cashReceived: string;
  cardPart: string;
  /** The buyer's phone or e-mail for an electronic receipt (tag 1008), as typed; empty: none. */
  contact?: string;
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
  /** The discount of the whole receipt, spread over the lines. */
  receiptDiscount: Discount | null;
  /** The manager's PIN that approved a discount above the cashier's limit, and the share it approved. */
  discountApproval: DiscountApproval | null;
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
  receiptDiscount: null,
  discountApproval: null,
}));

/** A sale screen with nothing on it (the last result is set by the caller; the payment form keeps its state). */
const CLEARED: Omit<SaleState, 'result' | 'payment'> = {
  lines: [],
  form: EMPTY_FORM,
  payOpen: false,
  attempt: null,
  busy: false,
  error: null,
  receiptDiscount: null,
  discountApproval: null,
};

/**
 * Starts a new sale. An attempt that was sent is settled first: if it was printed after all, its
 * result is shown instead of clearing; if the station cannot be asked, the sale stays as it is.
 */
export async function newSale(): Promise<void> {
  const s = useSale.getState();
  if (s.busy) return;
  if (s.attempt?.sent) {
    useSale.setState({ busy: true });
    const settled = await settleAbandoned(s.attempt);
    if (settled.kind === 'error') return useSale.setState({ busy: false, error: settled.error });
    if (settled.kind === 'printed') return useSale.setState({ ...CLEARED, result: settled.receipt });
  }
  useSale.setState({ ...CLEARED, result: null });
}

const messages = () => MESSAGES[useStation.getState().lang];

/** Sends the receipt (reusing the key if the body is unchanged). Returns true when it printed. */
export async function submitSale(
  posId: string,
  payments: { type: 'cash' | 'card'; amountKop: number }[],
  buyer?: { kind: 'phone' | 'email'; value: string } | null,
): Promise<boolean> {
  const s = useSale.getState();
  if (s.busy || s.lines.length === 0) return false;
  const body = {
    pos_id: posId,
    type: 'sale' as const,
    items: withLineDiscounts(receiptItems(s.lines), s.lines, s.receiptDiscount),
    payments: payments.map((p) => ({ type: p.type, amount: formatKopecks(p.amountKop) })),
    ...receiptDiscountFields(s.receiptDiscount),
    ...(buyer ? { [buyer.kind === 'phone' ? 'buyer_phone' : 'buyer_email']: buyer.value } : {}),
    ...cashierFields(),
  };
  const attempt = attemptFor(s.attempt, body);
  useSale.setState({ busy: true, error: null });
  if (attempt !== s.attempt) {
    // The cashier changed a receipt that was already sent: find out what became of the old one first.
    const settled = await settleAbandoned(s.attempt);
    if (settled.kind === 'error') {
      useSale.setState({ busy: false, error: settled.error });
      return false;
    }
    if (settled.kind === 'printed') {
      useSale.setState({
        ...CLEARED,
        result: settled.receipt,
        error: {
          code: 'earlier_attempt_printed',
          message: messages().earlierAttemptPrinted(settled.receipt.fiscal?.fdNumber ?? null),
        },
      });
      return false;
    }
  }
  useSale.setState({ attempt });
  const pin = approvedDiscountPin(priceSale(s.lines, s.receiptDiscount), s.discountApproval);
  const r = await createReceipt(attempt, pin ?? undefined);
  if (r.ok && isFiscalised(r.value.state)) {
    useSale.setState({ ...CLEARED, result: r.value });
    return true;
  }
  // Stored, but the KKT's answer was lost and not yet reconciled: keep everything; the same request
  // again settles it (printed once, never twice).
  useSale.setState({
    busy: false,
    error: r.ok ? unconfirmedError(r.value, messages().printUnconfirmed) : r.error,
  });
  return false;
}

/**
 * Paper loaded: resume the KKT. The cashier then presses «Пробить чек» again: the payment shown in the
 * dialog is what is sent (the same receipt keeps its key; nothing was fiscalised on the refusal).
 */
export async function continuePrint(): Promise<void> {
  const s = useSale.getState();
  if (s.busy) return;
  useSale.setState({ busy: true });
  const r = await call('kkt.continuePrint');
  useSale.setState({ busy: false, error: r.ok ? null : r.error });
}
