// A marked good is returned with the code it was sold with (FF61h status 3, the same КМ bound to the
// refund line): the code must be on the original sale, not returned before, and a line of a good the
// sale sold only with codes must carry one. Checked inside the refund's storing transaction, beside the
// other refund rules (refund-rules.ts); a refusal is 409 refund_not_allowed, reason mark_mismatch.
import { ConflictError } from '../../../../shared/errors.ts';
import type { ReceiptDraft } from '../../buffer/receipt-draft.ts';
import type { KktReceiptLine } from '../../kkt/kkt.ts';
import { sameGoods } from '../refundable.ts';

export function checkRefundMarks(
  original: { draft: ReceiptDraft },
  earlier: { draft: ReceiptDraft }[],
  refund: ReceiptDraft,
  details: Record<string, unknown>,
): void {
  const refuse = (message: string) => {
    throw new ConflictError('refund_not_allowed', message, { ...details, reason: 'mark_mismatch' });
  };
  const sold = new Map<string, KktReceiptLine>();
  for (const l of original.draft.items) if (l.mark) sold.set(l.mark.code, l);
  const returned = new Set(
    earlier.flatMap((r) => r.draft.items.flatMap((l) => (l.mark ? [l.mark.code] : []))),
  );
  refund.items.forEach((line, i) => {
    if (line.mark) {
      const soldLine = sold.get(line.mark.code);
      if (!soldLine || !sameGoods(soldLine)(line))
        refuse(
          `Refund refused: items[${i}].mark_code (01)${line.mark.gtin}(21)${line.mark.serial} was not sold as "${line.name}" on the original receipt. Scan the code of the unit being returned.`,
        );
      if (returned.has(line.mark.code))
        refuse(
          `Refund refused: items[${i}].mark_code (01)${line.mark.gtin}(21)${line.mark.serial} was already returned.`,
        );
      return;
    }
    const same = original.draft.items.filter(sameGoods(line));
    if (same.length > 0 && same.every((l) => l.mark))
      refuse(
        `Refund refused: items[${i}] "${line.name}" is a marked good: return it with mark_code, the code it was sold with.`,
      );
  });
}
