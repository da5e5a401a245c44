// A receipt as the buffer keeps it: the validated request in kopecks and thousandths.
// fiscal/receipt-request.ts makes one from a request body; the buffer stores it and never validates.
import type { KktReceiptLine } from '../kkt/kkt.ts';

export type ReceiptType = 'sale' | 'refund';
export type PaymentType = 'cash' | 'card' | 'other';

export interface ReceiptDraft {
  posId: string;
  type: ReceiptType;
  items: KktReceiptLine[];
  payments: { type: PaymentType; amountKop: number }[];
  totalKop: number;
  cashKop: number;
  cardKop: number;
  otherKop: number;
  changeKop: number;
  originalReceiptId?: string;
  /** A refund of a sale no longer in the buffer (older than the retention): its FD number and total. Manager only. */
  originalFiscal?: { fdNumber: number; totalKop: number };
  /** The manager lets this refund go before the OFD accepted its sale (it is sent after the sale). */
  refundBeforeSync?: true;
  /** The manager pays a card sale's refund out another way (cash). */
  payoutOverride?: true;
  buyerContact?: string;
  cashierName?: string;
  /** The cashier's INN (tag 1203), when the cashier has one. */
  cashierInn?: string;
}
