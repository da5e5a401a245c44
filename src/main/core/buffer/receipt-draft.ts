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
  buyerContact?: string;
  cashierName?: string;
}
