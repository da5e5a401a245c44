// Discounts of a receipt request (issue 11.5): the request fields, and the draft's lines re-priced by the
// one discount rule (src/shared/discounts.ts, used by the sale screen's preview too). The main process is
// authoritative: it computes the final prices itself; a `discounted_total` the client sends must equal
// them (422 otherwise), so what the cashier saw is what prints, or nothing prints.
//
// A line keeps `price`/`total` as before the discount; its discount is `discount_percent` or
// `discount_amount`. The receipt's discount (`discount_percent` / `discount_amount` of the body) comes
// off the sum after the line discounts. A discounted line becomes one or two exact KKT lines (the
// shared module's header says why); each carries its price before the discount, so the stored receipt,
// the REST view and the OFD payload show the price before and after. Only sales take discounts: a refund
// returns lines at the price they were sold for (after the discount), as the refund rules match them.
//
// The cashier's limit (config `cashierDiscountLimitPercent`) is checked by the fiscal service before
// anything is stored (discountReasons below): a bigger discount needs the manager's PIN.
import { z } from 'zod';
import type { KktReceiptLine } from '../kkt/kkt.ts';
import type { ReceiptDraft, ReceiptDiscount } from '../buffer/receipt-draft.ts';
import type { FieldIssue } from '../../../shared/errors.ts';
import { formatKopecks, roublesToKopecks } from '../../../shared/money.ts';
import {
  discountShareHundredths,
  formatPercent,
  parsePercent,
  priceReceipt,
  type Discount,
  type DiscountProblem,
} from '../../../shared/discounts.ts';

const roubles = (field: string) =>
  z
    .union([z.number(), z.string()], { error: `${field} must be an amount in roubles, e.g. 50 or "12.50"` })
    .transform((v, ctx) => {
      const kop = roublesToKopecks(v);
      if (kop === null) {
        ctx.addIssue({
          code: 'custom',
          message: `${field} must be an amount in roubles with at most 2 decimals, e.g. 12.50 (got ${JSON.stringify(v)})`,
        });
        return z.NEVER;
      }
      return kop;
    })
    .meta({ description: 'Roubles, at most 2 decimals' });

const percent = (field: string) =>
  z
    .union([z.number(), z.string()], { error: `${field} must be a per cent, e.g. 10 or "12.5"` })
    .transform((v, ctx) => {
      const hundredths = parsePercent(v);
      if (hundredths === null) {
        ctx.addIssue({
          code: 'custom',
          message: `${field} must be a per cent above 0 and below 100 with at most 2 decimals, e.g. 10 or 12.5 (got ${JSON.stringify(v)})`,
        });
        return z.NEVER;
      }
      return hundredths;
    });

/** The discount fields of a receipt line (a sale's): at most one of the two, and the total to check. */
export const itemDiscountFields = {
  discount_percent: percent('discount_percent')
    .optional()
    .meta({ description: 'Line discount in per cent of price × quantity (0 < x < 100, 2 decimals)' }),
  discount_amount: roubles('discount_amount').optional().meta({
    description: 'Line discount in roubles (less than the line total); instead of discount_percent',
  }),
  discounted_total: roubles('discounted_total').optional().meta({
    description:
      'The line total after every discount as the client computed it; the station computes it itself and refuses a request where they differ (422)',
  }),
};

/** The receipt's discount fields: spread over the lines in proportion (largest remainder). */
export const receiptDiscountFields = {
  discount_percent: percent('discount_percent')
    .optional()
    .meta({ description: 'Receipt discount in per cent of the sum after line discounts (0 < x < 100)' }),
  discount_amount: roubles('discount_amount').optional().meta({
    description:
      'Receipt discount in roubles; spread over the lines in proportion to their sums, to the kopeck',
  }),
};

interface DiscountFields {
  discount_percent?: number;
  discount_amount?: number;
}

function discountOf(f: DiscountFields, at: string, issues: FieldIssue[]): Discount | undefined {
  if (f.discount_percent !== undefined && f.discount_amount !== undefined) {
    issues.push({
      field: `${at}discount_amount`,
      message: 'give discount_percent or discount_amount, not both',
    });
    return undefined;
  }
  if (f.discount_percent !== undefined) return { percentHundredths: f.discount_percent };
  if (f.discount_amount !== undefined) return { amountKop: f.discount_amount };
  return undefined;
}

function problemIssue(p: DiscountProblem): FieldIssue {
  const at = p.line === null ? '' : `items[${p.line}].`;
  const whose = p.line === null ? 'the receipt' : 'the line';
  switch (p.kind) {
    case 'percent_100_or_more':
      return {
        field: `${at}discount_percent`,
        message: `a discount must be below 100 % (got ${formatPercent(p.percentHundredths)} %): the KKT registers no line at 0.00`,
      };
    case 'percent_not_positive':
      return { field: `${at}discount_percent`, message: 'a discount must be above 0 %' };
    case 'amount_not_positive':
      return { field: `${at}discount_amount`, message: 'a discount must be above 0.00' };
    case 'amount_not_below_sum':
      return {
        field: `${at}discount_amount`,
        message: `the discount ${formatKopecks(p.amountKop)} is not less than ${whose}'s sum ${formatKopecks(p.sumKop)}`,
      };
    case 'price_under_kopeck':
      return {
        field: `items[${p.line}].discount_amount`,
        message: `after the discount the line would cost ${formatKopecks(p.afterKop)}: less than 0.01 per unit; give a smaller discount`,
      };
  }
}

interface RequestItemDiscount extends DiscountFields {
  discounted_total?: number;
}

/**
 * Re-prices the lines by their discounts and the receipt's. Problems go to `issues` (the request is then
 * refused whole). Without any discount the lines come back untouched (and no `discount` in the draft),
 * so an undiscounted sale is stored, fingerprinted and printed exactly as before.
 */
export function applyDiscounts<G>(
  type: ReceiptDraft['type'],
  requested: readonly RequestItemDiscount[],
  receipt: DiscountFields,
  items: KktReceiptLine[],
  given: G[],
  issues: FieldIssue[],
): { items: KktReceiptLine[]; given: G[]; discount?: ReceiptDiscount } {
  const before = issues.length;
  const lineDiscounts = requested.map((r, i) => discountOf(r, `items[${i}].`, issues));
  const receiptDiscount = discountOf(receipt, '', issues);
  const anyAsked =
    receiptDiscount !== undefined ||
    lineDiscounts.some((d) => d !== undefined) ||
    requested.some((r) => r.discounted_total !== undefined);
  if (!anyAsked || issues.length > before) return { items, given };
  if (type !== 'sale') {
    issues.push({
      field: 'discount_percent',
      message:
        'only a sale takes discounts: a refund returns each line at the price it was sold for (after its discount)',
    });
    return { items, given };
  }
  const priced = priceReceipt(
    items.map((l, i) => ({ ...l, discount: lineDiscounts[i] })),
    receiptDiscount,
  );
  for (const p of priced.problems) issues.push(problemIssue(p));
  if (priced.problems.length) return { items, given };

  const outItems: KktReceiptLine[] = [];
  const outGiven: G[] = [];
  let maxPercentHundredths = 0;
  for (const [i, line] of priced.lines.entries()) {
    const item = items[i]!;
    const claimed = requested[i]!.discounted_total;
    if (claimed !== undefined && claimed !== line.afterKop)
      issues.push({
        field: `items[${i}].discounted_total`,
        message: `${formatKopecks(claimed)} is not the line total after the discounts: the station computes ${formatKopecks(line.afterKop)}`,
      });
    if (item.mark && line.parts.length > 1)
      issues.push({
        field: `items[${i}].discount_amount`,
        message: `a marked line of ${item.quantityMilli / 1000} cannot be priced exactly at ${formatKopecks(line.afterKop)}; give a discount of a whole kopeck per unit`,
      });
    const discountKop = line.lineDiscountKop + line.receiptShareKop;
    maxPercentHundredths = Math.max(maxPercentHundredths, discountShareHundredths(line));
    for (const part of line.parts) {
      outItems.push({
        ...item,
        priceKop: part.priceKop,
        quantityMilli: part.quantityMilli,
        totalKop: part.totalKop,
        // Every part of a discounted line shows its price before (a part may have no discount of its own).
        ...(discountKop > 0 && {
          discount: { priceBeforeKop: part.priceBeforeKop, discountKop: part.discountKop },
        }),
      });
      outGiven.push(given[i]!);
    }
  }
  if (priced.discountKop === 0) return { items, given }; // only discounted_total was sent, and matched
  return {
    items: outItems,
    given: outGiven,
    discount: {
      beforeKop: priced.beforeKop,
      discountKop: priced.discountKop,
      receiptDiscountKop: priced.receiptDiscountKop,
      maxPercentHundredths,
    },
  };
}

/**
 * What in this sale needs the manager (empty: nothing): a discount above the cashier's limit (per cent,
 * in hundredths). Asked before anything is stored, like a refund's manager reasons.
 */
export function discountReasons(draft: ReceiptDraft, limitHundredths: number): string[] {
  const d = draft.discount;
  if (!d || d.maxPercentHundredths <= limitHundredths) return [];
  return [
    `a discount of ${formatPercent(d.maxPercentHundredths)} % (${formatKopecks(d.discountKop)}), above the cashier's limit of ${formatPercent(limitHundredths)} %`,
  ];
}
