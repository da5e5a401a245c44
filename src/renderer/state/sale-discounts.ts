// The sale screen's discounts: the preview of the final prices (the same shared rule the station prices
// with, src/shared/discounts.ts), the request fields, and setting or removing a discount. The station
// recomputes everything and refuses a receipt whose `discounted_total` differs, so the preview cannot
// print something the cashier did not see. A discount above the cashier's limit (the snapshot's
// discountLimitPercent) is sent with the manager's PIN (discountApproval), which the station checks; the
// PIN approves the share it was given for only, so a line shortened under an amount discount (its share
// rises) asks for it again. A discount that no longer fits a changed line blocks the payment in words
// (discountBlock) rather than letting the station refuse the receipt.
// Setting a discount is discount-actions.ts (it writes the sale store; this file only computes).
import type { ReceiptRequestBody } from '../../shared/contract.ts';
import {
  formatPercent,
  maxDiscountHundredths,
  priceReceipt,
  type Discount,
  type DiscountProblem,
  type PricedReceipt,
} from '../../shared/discounts.ts';
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

/** The manager's PIN and the largest share of a line (hundredths of a per cent) it approved. */
export interface DiscountApproval {
  pin: string;
  upToHundredths: number;
}

/** The approval after a discount was set: a new PIN approves the receipt as it now is. */
export function approvalAfter(
  kept: DiscountApproval | null,
  pin: string | null,
  priced: PricedReceipt,
): DiscountApproval | null {
  return pin === null ? kept : { pin, upToHundredths: maxDiscountHundredths(priced) };
}

/** The PIN to send with the receipt: only while no discount takes more than the manager approved. */
export function approvedDiscountPin(priced: PricedReceipt, approval: DiscountApproval | null): string | null {
  return approval && maxDiscountHundredths(priced) <= approval.upToHundredths ? approval.pin : null;
}

/** Why the sale cannot be paid as its discounts stand (a line was changed after them), or null. */
export type DiscountBlock =
  | { kind: 'problem'; problem: DiscountProblem }
  /** A discount now takes more than the cashier's limit and more than the manager approved. */
  | { kind: 'pin' };

export function discountBlock(
  priced: PricedReceipt,
  approval: DiscountApproval | null,
  limitHundredths: number,
): DiscountBlock | null {
  const problem = priced.problems[0];
  if (problem) return { kind: 'problem', problem };
  const max = maxDiscountHundredths(priced);
  if (max > limitHundredths && approvedDiscountPin(priced, approval) === null) return { kind: 'pin' };
  return null;
}
