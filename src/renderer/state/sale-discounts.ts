// The sale screen's discounts: the preview of the final prices (the same shared rule the station prices
// with, src/shared/discounts.ts), the request fields, and setting or removing a discount. The station
// recomputes everything and refuses a receipt whose `discounted_total` differs, so the preview cannot
// print something the cashier did not see. A discount above the cashier's limit (the snapshot's
// discountLimitPercent) is sent with the manager's PIN (discountPin), which the station checks.
// Setting a discount is discount-actions.ts (it writes the sale store; this file only computes).
import type { ReceiptRequestBody } from '../../shared/contract.ts';
import { priceReceipt, formatPercent, type Discount, type PricedReceipt } from '../../shared/discounts.ts';
import { formatKopecks, lineTotalKop } from '../../shared/money.ts';

/** What pricing needs of a sale line (state/sale.ts SaleLine). */
interface DiscountedLine {
  priceKop: number;
  quantityMilli: number;
  discount?: Discount;
}

/** The lines and the receipt discount priced as the station will price them. */
export function priceSale(lines: readonly DiscountedLine[], receiptDiscount: Discount | null): PricedReceipt {
  return priceReceipt(
    lines.map((l) => ({
      priceKop: l.priceKop,
      quantityMilli: l.quantityMilli,
      totalKop: lineTotalKop(l.priceKop, l.quantityMilli),
      discount: l.discount,
    })),
    receiptDiscount ?? undefined,
  );
}

/** The amount to pay: after the discounts (before them when a discount no longer fits a changed line). */
export function saleTotalKop(lines: readonly DiscountedLine[], receiptDiscount: Discount | null): number {
  const priced = priceSale(lines, receiptDiscount);
  return priced.problems.length ? priced.beforeKop : priced.totalKop;
}

const discountFields = (d: Discount | null | undefined) =>
  !d
    ? {}
    : 'percentHundredths' in d
      ? { discount_percent: formatPercent(d.percentHundredths) }
      : { discount_amount: formatKopecks(d.amountKop) };

/** The receipt's own discount fields of the request. */
export function receiptDiscountFields(d: Discount | null) {
  return discountFields(d);
}

/** Each item with its discount and, when any discount touches it, the total the cashier saw. */
export function withLineDiscounts(
  items: ReceiptRequestBody['items'],
  lines: readonly DiscountedLine[],
  receiptDiscount: Discount | null,
): ReceiptRequestBody['items'] {
  if (!receiptDiscount && !lines.some((l) => l.discount)) return items;
  const priced = priceSale(lines, receiptDiscount);
  return items.map((item, i) => {
    const line = priced.lines[i];
    const touched = line && line.afterKop !== line.beforeKop;
    return {
      ...item,
      ...discountFields(lines[i]?.discount),
      ...(touched && { discounted_total: formatKopecks(line.afterKop) }),
    };
  });
}
