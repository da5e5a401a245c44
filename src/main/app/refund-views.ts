// A sale found for a refund as the renderer sees it: the receipt and, per line, what is left to refund.
import type { RefundableSale } from '../core/fiscal/refundable.ts';
import type { RefundableSaleView } from '../../shared/contract.ts';
import { receiptView } from './views.ts';

export function refundableSaleView(r: RefundableSale): RefundableSaleView {
  return {
    receipt: receiptView(r.sale),
    lines: r.lines.map((l) => ({
      soldMilli: l.soldMilli,
      refundedMilli: l.refundedMilli,
      leftMilli: l.leftMilli,
    })),
    refundedKop: r.refundedKop,
  };
}
