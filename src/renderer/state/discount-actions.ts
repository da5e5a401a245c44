// Setting or removing a discount on the sale being rung up (the sale store, state/sale.ts). A changed
// discount is a changed receipt: the next «Пробить чек» is a new attempt with a new key. A manager's PIN
// given here approves the largest share the receipt's discounts take now (sale-discounts.ts).
import type { Discount } from '../../shared/discounts.ts';
import { useSale } from './sale.ts';
import { approvalAfter, priceSale } from './sale-discounts.ts';

/** Sets (or with null removes) a line's discount; `pin` approves one above the limit. */
export function setLineDiscount(id: number, discount: Discount | null, pin: string | null): void {
  useSale.setState((s) => {
    const lines = s.lines.map((l) => {
      if (l.id !== id) return l;
      const { discount: _old, ...rest } = l;
      return discount ? { ...rest, discount } : rest;
    });
    return {
      lines,
      discountApproval: approvalAfter(s.discountApproval, pin, priceSale(lines, s.receiptDiscount)),
      error: null,
      result: null,
    };
  });
}

/** Sets (or with null removes) the receipt's discount. */
export function setReceiptDiscount(discount: Discount | null, pin: string | null): void {
  useSale.setState((s) => ({
    receiptDiscount: discount,
    discountApproval: approvalAfter(s.discountApproval, pin, priceSale(s.lines, discount)),
    error: null,
    result: null,
  }));
}
