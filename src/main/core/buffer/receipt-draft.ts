// A receipt as the buffer keeps it: the validated request in kopecks and thousandths.
// fiscal/receipt-request.ts makes one from a request body; the buffer stores it and never validates.
import type { KktCorrection, KktReceiptLine, ReceiptOperation } from '../kkt/kkt.ts';

export type ReceiptType = 'sale' | 'refund' | 'correction';

/** A correction receipt's details: the settlement corrected (1054) and the 1173/1174 requisites. */
export interface CorrectionDetails extends KktCorrection {
  operation: ReceiptOperation;
}
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
  /** Tag 1021: from the request, else the cashier who opened the shift (the driver's default otherwise). */
  cashierName?: string;
  /** Tag 1203: 12 digits, check digits validated. */
  cashierInn?: string;
  /** Only for type 'correction'. */
  correction?: CorrectionDetails;
  /** A sale with discounts (fiscal/discount-lines.ts); `totalKop` is after them. Absent: none. */
  discount?: ReceiptDiscount;
}

/** The discounts of a sale, in kopecks: the total before, every discount, the receipt's own part. */
export interface ReceiptDiscount {
  beforeKop: number;
  discountKop: number;
  receiptDiscountKop: number;
  /** The largest share of a line the discounts took, hundredths of a per cent (the cashier's limit). */
  maxPercentHundredths: number;
}
