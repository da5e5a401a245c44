// Setting or removing a discount on the sale being rung up (the sale store, state/sale.ts). A changed
// discount is a changed receipt: the next «Пробить чек» is a new attempt with a new key.
import type { Discount } from '../../shared/discounts.ts';
import { useSale } from './sale.ts';

/** Sets (or with null removes) a line's discount; `pin` approves one above the limit. */
export function setLineDiscount(id: number, discount: Discount | null, pin: string | null): void {
  useSale.setState((s) => ({
    lines: s.lines.map((l) => {
      if (l.id !== id) return l;
      const { discount: _old, ...rest } = l;
      return discount ? { ...rest, discount } : rest;
    }),
    discountPin: pin ?? s.discountPin,
    error: null,
    result: null,
  }));
}

/** Sets (or with null removes) the receipt's discount. */
export function setReceiptDiscount(discount: Discount | null, pin: string | null): void {
  useSale.setState((s) => ({
    receiptDiscount: discount,
    discountPin: pin ?? s.discountPin,
    error: null,
    result: null,
  }));
}
