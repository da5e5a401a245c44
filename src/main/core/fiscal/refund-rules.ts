// The refund rules, checked inside the transaction that stores a refund (so two refunds racing for the
// same sale cannot both pass): the sale must be in this buffer, be a sale, be accepted by the OFD, and
// the refunds together may return neither more money nor more of any line than it sold. Each refusal is
// a 409 refund_not_allowed with a machine-readable reason and words that say what to do.
import type { KktReceiptLine } from '../kkt/kkt.ts';
import type { ReceiptDraft } from '../buffer/receipt-draft.ts';
import type { ReceiptStore } from '../buffer/receipt-store.ts';
import { ConflictError } from '../../../shared/errors.ts';
import { formatKopecks } from '../../../shared/money.ts';
import { checkRefundMarks } from './marking/refund-marks.ts';

export function checkRefund(store: ReceiptStore, draft: ReceiptDraft): void {
  if (draft.type !== 'refund' || !draft.originalReceiptId) return;
  const original = store.get(draft.originalReceiptId);
  let number: string | null = null;
  const refuse = (
    message: string,
    reason: 'not_found' | 'not_a_sale' | 'not_synced' | 'exceeds_sale' | 'no_such_line',
  ) => {
    throw new ConflictError('refund_not_allowed', message, {
      original_receipt_id: draft.originalReceiptId,
      reason,
      receipt_number: number,
    });
  };
  if (!original) {
    return refuse(
      `Refund refused: receipt ${draft.originalReceiptId} is not in this station's buffer (a wrong id, or a sale older than the retention period). Check the id; for an old sale, refund from the KKT service software.`,
      'not_found',
    );
  }
  number = original.fiscal ? `FD ${original.fiscal.fdNumber}` : original.id;
  if (original.type !== 'sale')
    return refuse(`Refund refused: receipt ${number} is itself a refund.`, 'not_a_sale');
  if (original.status !== 'synced') {
    return refuse(
      `Refund refused: the original receipt ${number} is not yet accepted by the OFD (it is ${original.status}). Sync now (manager) and refund once it shows as synced.`,
      'not_synced',
    );
  }
  const earlier = store.refundsOf(original.id);
  const refundedTotal = earlier.reduce((s, r) => s + r.totalKop, 0);
  if (refundedTotal + draft.totalKop > original.totalKop) {
    return refuse(
      `Refund refused: ${formatKopecks(draft.totalKop)} would return more than receipt ${number} sold (${formatKopecks(original.totalKop)}, already refunded ${formatKopecks(refundedTotal)}).`,
      'exceeds_sale',
    );
  }
  const sameGoods = (a: KktReceiptLine) => (b: KktReceiptLine) =>
    a.name === b.name && a.priceKop === b.priceKop && a.vat === b.vat;
  const quantity = (lines: KktReceiptLine[]) => lines.reduce((s, l) => s + l.quantityMilli, 0);
  for (const line of draft.items) {
    const sold = quantity(original.draft.items.filter(sameGoods(line)));
    const returned =
      quantity(earlier.flatMap((r) => r.draft.items).filter(sameGoods(line))) +
      quantity(draft.items.filter(sameGoods(line)));
    if (sold === 0)
      return refuse(
        `Refund refused: receipt ${number} has no line "${line.name}" at ${formatKopecks(line.priceKop)} with VAT ${line.vat}. Refund the lines as they were sold.`,
        'no_such_line',
      );
    if (returned > sold)
      return refuse(
        `Refund refused: "${line.name}" was sold ${sold / 1000} times on receipt ${number}; ${returned / 1000} would be returned.`,
        'exceeds_sale',
      );
  }
  checkRefundMarks(original, earlier, draft, {
    original_receipt_id: draft.originalReceiptId,
    receipt_number: number,
  });
}
