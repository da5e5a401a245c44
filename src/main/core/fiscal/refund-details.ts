// A refund returns goods as they were sold: each refund line takes its sale line's unit (2108),
// payment subject (1212) and payment method (1214). A request that names a different one is refused
// (422 naming the field): the KKT would otherwise register a return of something that was never sold.
// The sale line is found as the refund rules find it (name, price, VAT); a line with no match is left
// as it is, and the refund rules refuse it (no_such_line) inside the storing transaction.
import type { KktReceiptLine } from '../kkt/kkt.ts';
import type { ReceiptDraft } from '../buffer/receipt-draft.ts';
import type { ReceiptStore } from '../buffer/receipt-store.ts';
import { ReceiptValidationError, type FieldIssue } from '../../../shared/errors.ts';
import { unitShort } from '../../../shared/units.ts';
import type { LineDetailsGiven } from './receipt-request.ts';
import { sameGoods } from './refundable.ts';

const DETAILS = [
  ['measure', 'measure', (l: KktReceiptLine) => l.measure ?? 0],
  ['paymentMethod', 'payment_method', (l: KktReceiptLine) => l.paymentMethod],
  ['paymentSubject', 'payment_subject', (l: KktReceiptLine) => l.paymentSubject],
] as const;

export function inheritSaleDetails(
  store: ReceiptStore,
  draft: ReceiptDraft,
  given: readonly LineDetailsGiven[],
): ReceiptDraft {
  if (draft.type !== 'refund' || !draft.originalReceiptId) return draft;
  const sale = store.get(draft.originalReceiptId);
  if (!sale || sale.type !== 'sale') return draft; // the refund rules refuse it with the reason
  const issues: FieldIssue[] = [];
  const items = draft.items.map((line, i) => {
    const sold = sale.draft.items.find(sameGoods(line));
    if (!sold) return line;
    const out: KktReceiptLine = { ...line };
    for (const [key, field, read] of DETAILS) {
      const want = read(sold);
      if (given[i]?.[key] && read(line) !== want) {
        const shown = key === 'measure' ? `${want} (${unitShort(want)})` : String(want);
        issues.push({
          field: `items[${i}].${field}`,
          message: `the sale sold "${line.name}" with ${field} ${shown}; a refund returns it as sold (leave it out or send ${want})`,
        });
      }
    }
    out.paymentMethod = sold.paymentMethod;
    out.paymentSubject = sold.paymentSubject;
    if (sold.measure) out.measure = sold.measure;
    else delete out.measure;
    return out;
  });
  if (issues.length) throw new ReceiptValidationError(issues);
  return { ...draft, items };
}
