// Discounts (скидки), the one place that turns a receipt's lines and discounts into the final prices the
// KKT registers. Pure and browser-safe: the renderer previews with it, the main process (authoritative)
// validates and prices every request with it (core/fiscal/discount-lines.ts), so both always agree.
//
// Decisions:
// - Money is integer kopecks; a per-cent discount is in hundredths of a per cent (12.5 % = 1250).
// - A line discount (per cent or roubles) comes off the line's sum (price × quantity); a per-cent one is
//   rounded half up to the kopeck. The receipt discount then comes off the sum after the line discounts
//   and is spread over the lines in proportion to their sums by the largest-remainder method: the shares
//   add up to exactly the receipt discount, no share exceeds its line, ties go to the earlier line.
// - The KKT computes a line's sum as round(price × quantity) (FFD 1.2, tag 1043 from 1079 × 1023; the
//   emulator allows ±1 kopeck, a real device may allow none). A discounted sum is not always price ×
//   quantity (3 × 33.33 ≠ 100.00), so a discounted line is sent as one or two KKT lines that are EXACT:
//   one line when some price p gives round(p × q) = sum (always so for q ≤ 1); otherwise the line is
//   split in two whose sums add up to the line's: n whole units as "n − k at p" and "k at p − 0.01"
//   (p = sum / n rounded up, so no unit costs more than before), a weighed line as its whole units at
//   one price and the fraction of a unit at the price that makes the sum. Exact lines print the same on any device, the 1Bh line count and the
//   FF45h change check see the lines the station sent, and a refund names them as sold.
// - A discount may not make a line free or cost more than the line: 100 % or the whole sum is refused,
//   as is a discount that leaves a part under 0.01 ₽ (the KKT registers no line at 0.00).
// - Only a discounted line is re-priced; a line without discount keeps its price and sum as given.

/** A discount as asked for: per cent (hundredths of a per cent) or an amount in kopecks. */
export type Discount = { percentHundredths: number } | { amountKop: number };

export const MAX_PERCENT_HUNDREDTHS = 10_000;

/** A receipt line before discounts: what the request or the sale screen holds. */
export interface DiscountLineInput {
  priceKop: number;
  quantityMilli: number;
  /** price × quantity as the line gave it (± 1 kopeck of rounding). */
  totalKop: number;
  discount?: Discount;
}

/** One line as the KKT registers it: its final price and exact sum, and the price before the discount. */
export interface KktPart {
  priceKop: number;
  quantityMilli: number;
  totalKop: number;
  /** The price per unit before any discount. */
  priceBeforeKop: number;
  /** How much cheaper this part is than priceBefore × quantity. */
  discountKop: number;
}

export interface PricedLine {
  beforeKop: number;
  /** The line's own discount. */
  lineDiscountKop: number;
  /** Its share of the receipt discount. */
  receiptShareKop: number;
  afterKop: number;
  /** The KKT lines: one (as given, or re-priced) or two (split); empty when the line cannot be priced. */
  parts: KktPart[];
}

export type DiscountProblem =
  | { line: number | null; kind: 'percent_100_or_more' | 'percent_not_positive'; percentHundredths: number }
  | { line: number | null; kind: 'amount_not_positive' }
  | { line: number | null; kind: 'amount_not_below_sum'; amountKop: number; sumKop: number }
  /** The discount leaves a part of the line under 0.01 ₽ per unit. */
  | { line: number; kind: 'price_under_kopeck'; afterKop: number };

export interface PricedReceipt {
  lines: PricedLine[];
  beforeKop: number;
  /** Every discount together: the line discounts and the receipt discount. */
  discountKop: number;
  receiptDiscountKop: number;
  totalKop: number;
  problems: DiscountProblem[];
}

/** a × b / c rounded half up, in BigInt (a sum × a per cent can pass 2^53). */
function mulDivRound(a: number, b: number, c: number): number {
  return Number((BigInt(a) * BigInt(b) * 2n + BigInt(c)) / (BigInt(c) * 2n));
}

/** The device's round(price × quantity): half up, as money.ts lineTotalKop and the emulator. */
export function kktSum(priceKop: number, quantityMilli: number): number {
  return mulDivRound(priceKop, quantityMilli, 1000);
}

/** The kopecks a discount takes off `sumKop` (a per cent rounded half up), before any check. */
export function discountAmount(sumKop: number, d: Discount): number {
  return 'amountKop' in d ? d.amountKop : mulDivRound(sumKop, d.percentHundredths, MAX_PERCENT_HUNDREDTHS);
}

/** The problem with a discount of a sum, or null. */
function checkDiscount(line: number | null, sumKop: number, d: Discount): DiscountProblem | null {
  if ('percentHundredths' in d) {
    if (!(d.percentHundredths > 0))
      return { line, kind: 'percent_not_positive', percentHundredths: d.percentHundredths };
    if (d.percentHundredths >= MAX_PERCENT_HUNDREDTHS)
      return { line, kind: 'percent_100_or_more', percentHundredths: d.percentHundredths };
  }
  const amount = discountAmount(sumKop, d);
  if ('amountKop' in d && !(amount > 0)) return { line, kind: 'amount_not_positive' };
  if (amount >= sumKop) return { line, kind: 'amount_not_below_sum', amountKop: amount, sumKop };
  return null;
}

/**
 * Splits `amountKop` over `weights` in proportion, by the largest remainder: the shares add up to exactly
 * `amountKop`; a share never exceeds ceil(amount × weight / Σweights); ties go to the earlier weight.
 */
export function allocateByWeight(amountKop: number, weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (total <= 0 || amountKop <= 0) return weights.map(() => 0);
  const big = BigInt(total);
  const shares = weights.map((w) => BigInt(amountKop) * BigInt(w));
  const floors = shares.map((s) => Number(s / big));
  let left = amountKop - floors.reduce((s, f) => s + f, 0);
  const order = shares
    .map((s, i) => ({ i, rem: s % big }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of order) {
    if (left === 0) break;
    floors[i]! += 1;
    left -= 1;
  }
  return floors;
}

/** The smallest price p with round(p × q) = sum, or null when no price gives exactly that sum. */
export function exactPrice(sumKop: number, quantityMilli: number): number | null {
  if (sumKop < 1) return null;
  // round(p·q/1000) = S  ⇔  p·q/1000 ≥ S − ½  ⇒  p = ceil((2S − 1)·1000 / 2q)
  const num = BigInt(2 * sumKop - 1) * 1000n;
  const den = BigInt(2 * quantityMilli);
  const p = Number((num + den - 1n) / den);
  return p >= 1 && kktSum(p, quantityMilli) === sumKop ? p : null;
}

/**
 * The KKT lines of a discounted line of `quantityMilli` for exactly `sumKop`: one when an exact price
 * exists, else two (see the header), neither dearer per unit than round-up(sum / quantity), so no part
 * costs more than before the discount. Null when the sum is too small for its quantity.
 */
export function kktParts(
  sumKop: number,
  quantityMilli: number,
): { priceKop: number; quantityMilli: number; totalKop: number }[] | null {
  const p = exactPrice(sumKop, quantityMilli);
  if (p !== null) return [{ priceKop: p, quantityMilli, totalKop: sumKop }];
  if (quantityMilli <= 1000) return null; // an exact price exists for every sum ≥ 1; only 0 fails
  if (quantityMilli % 1000 === 0) {
    // n whole units: n − k at the rounded-up price, k at one kopeck less (k = n·p − sum, 0 < k < n).
    const units = quantityMilli / 1000;
    const high = Math.ceil(sumKop / units);
    const cheaper = units * high - sumKop;
    if (high - 1 < 1) return null;
    return [
      { priceKop: high, quantityMilli: (units - cheaper) * 1000, totalKop: (units - cheaper) * high },
      { priceKop: high - 1, quantityMilli: cheaper * 1000, totalKop: cheaper * (high - 1) },
    ];
  }
  // A weighed line over one unit: the whole units at a price, the fraction takes what is left.
  const restMilli = quantityMilli % 1000;
  const mainMilli = quantityMilli - restMilli;
  const start = Math.ceil((sumKop * 1000) / quantityMilli);
  for (let price = start; price >= 1 && price >= start - 3; price--) {
    const mainSum = (price * mainMilli) / 1000; // whole units: exact
    const restPrice = exactPrice(sumKop - mainSum, restMilli);
    if (restPrice !== null)
      return [
        { priceKop: price, quantityMilli: mainMilli, totalKop: mainSum },
        { priceKop: restPrice, quantityMilli: restMilli, totalKop: sumKop - mainSum },
      ];
  }
  return null;
}

/**
 * Prices a receipt: the line discounts, the receipt discount spread over the lines, and each discounted
 * line's KKT parts. Problems name the line (index) or the receipt (null); with any, do not print.
 */
export function priceReceipt(lines: readonly DiscountLineInput[], receiptDiscount?: Discount): PricedReceipt {
  const problems: DiscountProblem[] = [];
  const own = lines.map((l, i) => {
    if (!l.discount) return 0;
    const problem = checkDiscount(i, l.totalKop, l.discount);
    if (problem) problems.push(problem);
    return problem ? 0 : discountAmount(l.totalKop, l.discount);
  });
  const afterOwn = lines.map((l, i) => l.totalKop - own[i]!);
  const subtotal = afterOwn.reduce((s, v) => s + v, 0);
  let receiptDiscountKop = 0;
  if (receiptDiscount) {
    const problem = checkDiscount(null, subtotal, receiptDiscount);
    if (problem) problems.push(problem);
    else receiptDiscountKop = discountAmount(subtotal, receiptDiscount);
  }
  const shares = allocateByWeight(receiptDiscountKop, afterOwn);
  const priced = lines.map((l, i): PricedLine => {
    const lineDiscountKop = own[i]!;
    const receiptShareKop = shares[i]!;
    const afterKop = afterOwn[i]! - receiptShareKop;
    const base = { beforeKop: l.totalKop, lineDiscountKop, receiptShareKop, afterKop };
    if (lineDiscountKop + receiptShareKop === 0)
      return { ...base, parts: [{ ...l, priceBeforeKop: l.priceKop, discountKop: 0 }] };
    const parts = kktParts(afterKop, l.quantityMilli);
    if (!parts) {
      problems.push({ line: i, kind: 'price_under_kopeck', afterKop });
      return { ...base, parts: [] };
    }
    // The parts' discounts add up to the line's: the first its own, the last what is left.
    const discount = lineDiscountKop + receiptShareKop;
    const firstDiscount =
      parts.length === 1
        ? discount
        : Math.min(discount, Math.max(0, kktSum(l.priceKop, parts[0]!.quantityMilli) - parts[0]!.totalKop));
    return {
      ...base,
      parts: parts.map((p, k) => ({
        ...p,
        priceBeforeKop: l.priceKop,
        discountKop: k === 0 ? firstDiscount : lineDiscountKop + receiptShareKop - firstDiscount,
      })),
    };
  });
  const beforeKop = lines.reduce((s, l) => s + l.totalKop, 0);
  const totalKop = priced.reduce((s, l) => s + l.afterKop, 0);
  return {
    lines: priced,
    beforeKop,
    discountKop: beforeKop - totalKop,
    receiptDiscountKop,
    totalKop,
    problems,
  };
}

/**
 * The share of a line its discounts take, in hundredths of a per cent, a kopeck of rounding allowed
 * (10 % of 0.15 is 0.02, which is not 13.3 %). The ONE rule for the cashier's limit: the station checks
 * it (core/fiscal/discount-lines.ts), the sale screen asks for the manager's PIN by it up front.
 */
export function discountShareHundredths(line: PricedLine): number {
  const d = line.lineDiscountKop + line.receiptShareKop;
  return d > 1 ? Math.ceil(((d - 1) * MAX_PERCENT_HUNDREDTHS) / line.beforeKop) : 0;
}

/** The largest share (discountShareHundredths) any line of the receipt gives away. */
export function maxDiscountHundredths(priced: PricedReceipt): number {
  return priced.lines.reduce((max, l) => Math.max(max, discountShareHundredths(l)), 0);
}

/** "12.5" / 12.5 → 1250 hundredths of a per cent, or null when not a per cent with ≤ 2 decimals. */
export function parsePercent(value: unknown): number | null {
  const text =
    typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value ?? '');
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 1250 → "12.5" (the REST body, English messages; the UI writes it per language: format.ts formatPercent). */
export function formatPercent(hundredths: number): string {
  const whole = Math.trunc(hundredths / 100);
  const frac = hundredths % 100;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}
