// What is left to refund of a sale, line by line: the ONE place that computes it. The refund screen's
// lookup (IPC receipt.refundable, REST GET /v1/kkt/receipts/lookup) shows it, and the refund rules
// (refund-rules.ts checkLines) enforce it inside the transaction that stores a refund, so what the
// cashier was shown and what the station allows cannot differ.
//
// A refund line names its goods as they were sold (name, price, VAT), not a line number: the earlier
// refunds are laid over the sale's lines of the same goods in order, each filled up to what it sold.
// Every refund of the sale that is not failed or voided counts (refundsOf), a stored one not yet
// printed too: it may still print.
import type { KktReceiptLine } from '../kkt/kkt.ts';
import type { ReceiptStore } from '../buffer/receipt-store.ts';
import type { StoredReceipt } from '../buffer/receipt-rows.ts';
import { StationError } from '../../../shared/errors.ts';
import { formatKopecks } from '../../../shared/money.ts';
import { isFiscalised } from '../../../shared/receipt-states.ts';
import { unitShort } from '../../../shared/units.ts';
import { parseFiscalQr } from '../../../shared/fiscal-qr.ts';

export interface RefundableLine {
  /** 0-based index of the sale's line. */
  index: number;
  name: string;
  priceKop: number;
  vat: KktReceiptLine['vat'];
  measure: number;
  soldMilli: number;
  refundedMilli: number;
  leftMilli: number;
}

export interface RefundableSale {
  sale: StoredReceipt;
  lines: RefundableLine[];
  refundedKop: number;
}

type Goods = Pick<KktReceiptLine, 'name' | 'priceKop' | 'vat'>;

/**
 * Whether a refund line and a sale line are the same goods: the same name, price and VAT. The one rule
 * every refund check uses (here, refund-rules.ts, refund-details.ts, marking/refund-marks.ts). A
 * discounted line the station split in two parts (discount-lines.ts) is two goods at their two prices.
 */
export const sameGoods = (a: Goods) => (b: Goods) =>
  a.name === b.name && a.priceKop === b.priceKop && a.vat === b.vat;

/** The sale's lines with what was sold, refunded and is left, given its refunds. */
export function refundableLines(sale: StoredReceipt, refunds: readonly StoredReceipt[]): RefundableLine[] {
  const lines: RefundableLine[] = sale.draft.items.map((l, index) => ({
    index,
    name: l.name,
    priceKop: l.priceKop,
    vat: l.vat,
    measure: l.measure ?? 0,
    soldMilli: l.quantityMilli,
    refundedMilli: 0,
    leftMilli: l.quantityMilli,
  }));
  for (const returned of refunds.flatMap((r) => r.draft.items)) {
    // A marked unit goes back with its own code: it is counted on the line that sold that code.
    const code = returned.mark?.code;
    const same = code
      ? lines.filter((l) => sale.draft.items[l.index]?.mark?.code === code)
      : lines.filter(sameGoods(returned));
    let rest = returned.quantityMilli;
    for (const line of same) {
      const take = Math.min(rest, line.leftMilli);
      line.refundedMilli += take;
      line.leftMilli -= take;
      rest -= take;
    }
    // More than sold (refunds stored before this rule): it shows on the last line, nothing is left.
    if (rest > 0 && same.length) same[same.length - 1]!.refundedMilli += rest;
  }
  return lines;
}

/** A quantity as the cashier reads it: "1 шт", "0.5 кг". */
export const quantityText = (milli: number, measure: number) => `${milli / 1000} ${unitShort(measure)}`;

/** The refundable lines of a sale in the buffer, from its stored refunds. */
export function refundableSale(store: ReceiptStore, sale: StoredReceipt): RefundableSale {
  const refunds = store.refundsOf(sale.id);
  return {
    sale,
    lines: refundableLines(sale, refunds),
    refundedKop: refunds.reduce((s, r) => s + r.totalKop, 0),
  };
}

export type SaleKey =
  | { id: string }
  | { fdNumber: number; totalKop?: number; fnNumber?: string | null; operation?: number | null };

export type LookupRefusal =
  'unknown_receipt' | 'unknown_fd' | 'total_mismatch' | 'fn_mismatch' | 'not_a_sale';

function notFound(message: string, reason: LookupRefusal, fd: number | null): never {
  throw new StationError('sale_not_found', 404, message, { reason, fd_number: fd });
}

/**
 * The sale a refund is for, by its id or by the FD number and total on the customer's receipt (and
 * the FN when the receipt's QR gives it; by the FD number alone, the newest such sale). Only a printed sale in this station's buffer is found.
 */
export function findSaleForRefund(store: ReceiptStore, key: SaleKey): RefundableSale {
  if ('id' in key) {
    const r = store.get(key.id);
    if (!r || r.type !== 'sale' || !isFiscalised(r.status))
      notFound(`No printed sale ${key.id} in this station's buffer.`, 'unknown_receipt', null);
    return refundableSale(store, r);
  }
  const fd = key.fdNumber;
  if (key.operation != null && key.operation !== 1)
    notFound(`The QR is of FD ${fd}, which is not a sale (operation ${key.operation}).`, 'not_a_sale', fd);
  const sales = store.salesByFd(fd).filter((r) => isFiscalised(r.status));
  const ofFn = key.fnNumber ? sales.filter((r) => r.fiscal?.fnNumber === key.fnNumber) : sales;
  if (sales.length === 0)
    notFound(
      `No sale with FD ${fd} in this station's buffer (another station's receipt, or older than the retention: a manager refunds it by FD number and total).`,
      'unknown_fd',
      fd,
    );
  if (ofFn.length === 0)
    notFound(`The sale FD ${fd} here was printed by another FN than ${key.fnNumber}.`, 'fn_mismatch', fd);
  const sale = key.totalKop === undefined ? ofFn[0] : ofFn.find((r) => r.totalKop === key.totalKop);
  if (!sale)
    notFound(
      `The sale FD ${fd} has the total ${formatKopecks(ofFn[0]!.totalKop)}, not ${formatKopecks(key.totalKop ?? 0)}: check the customer's receipt.`,
      'total_mismatch',
      fd,
    );
  return refundableSale(store, sale);
}

/** The key of a scanned or typed receipt QR; a text that is not one is a 422 naming the field. */
export function saleKeyOfQr(text: string, field = 'qr'): SaleKey {
  const parsed = parseFiscalQr(text);
  if (!parsed.ok)
    throw new StationError('validation_error', 422, `${field}: not a receipt QR: ${parsed.problem}`, [
      { field, message: `not a receipt QR: ${parsed.problem}` },
    ]);
  const { fdNumber, totalKop, fnNumber, operation } = parsed.qr;
  return { fdNumber, totalKop, fnNumber, operation };
}
