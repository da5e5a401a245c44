// The refund rules, checked inside the transaction that stores a refund (so two refunds racing for the
// same sale cannot both pass). A refund names its sale either by receipt id (the sale is in this buffer)
// or, for a sale older than the retention, by its FD number and total (`original_fiscal`). Each refusal
// is a 409 refund_not_allowed with a machine-readable reason and words that say what to do.
//
// By default: the sale must be a printed sale accepted by the OFD; the refunds together may return
// neither more money nor more of any line than is left of it (refundable.ts); a card sale goes back to card. A manager (PIN,
// checked by the caller before anything is stored: managerReasons() says when) may let a refund print
// before the OFD accepted its sale (the sync worker still sends the sale first, receipt-store.ts
// WAITS_FOR_SALE), pay a card sale out in cash, or refund an old sale by its FD number and total.
import type { KktDocument } from '../kkt/kkt.ts';
import type { ReceiptDraft } from '../buffer/receipt-draft.ts';
import type { ReceiptStore } from '../buffer/receipt-store.ts';
import type { StoredReceipt } from '../buffer/receipt-rows.ts';
import { ConflictError } from '../../../shared/errors.ts';
import { formatKopecks } from '../../../shared/money.ts';
import { isFiscalised } from '../../../shared/receipt-states.ts';
import { checkRefundMarks } from './marking/refund-marks.ts';
import { quantityText, refundableLines, sameGoods } from './refundable.ts';

export type RefundRefusal =
  | 'not_found'
  | 'not_a_sale'
  | 'not_printed'
  | 'not_synced'
  | 'exceeds_sale'
  | 'exceeds_line'
  | 'no_such_line'
  | 'card_sale'
  | 'in_buffer'
  | 'fd_mismatch'
  | 'mark_mismatch';

function refuse(
  draft: ReceiptDraft,
  message: string,
  reason: RefundRefusal,
  receiptNumber: string | null = null,
  more: Record<string, unknown> = {},
): never {
  throw new ConflictError('refund_not_allowed', message, {
    original_receipt_id: draft.originalReceiptId ?? null,
    reason,
    receipt_number: receiptNumber,
    ...more,
  });
}

/** What in this refund needs the manager's PIN (empty: nothing). Asked before anything is stored. */
export function managerReasons(draft: ReceiptDraft): string[] {
  if (draft.type !== 'refund') return [];
  const why: string[] = [];
  if (draft.originalFiscal)
    why.push(`a refund of FD ${draft.originalFiscal.fdNumber}, a sale older than the buffer keeps`);
  if (draft.refundBeforeSync) why.push('a refund before the OFD accepted its sale');
  if (draft.payoutOverride) why.push('a card sale paid out another way');
  return why;
}

/**
 * An old sale's FD checked against the KKT's archive before the refund is stored: a document with this
 * number that is not a sale of this total refuses it. No such document (another FN) leaves the
 * manager's word.
 */
export function checkArchivedSale(draft: ReceiptDraft, doc: KktDocument | null): void {
  const o = draft.originalFiscal;
  if (!o || !doc) return;
  if (doc.kind !== 'receipt' || doc.operation !== 'sale' || doc.totalKop !== o.totalKop) {
    const what =
      doc.kind !== 'receipt'
        ? 'is not a receipt'
        : doc.operation !== 'sale'
          ? 'is a refund'
          : 'has another total';
    refuse(
      draft,
      `Refund refused: FD ${o.fdNumber} in the KKT's archive ${what}${doc.totalKop !== undefined ? ` (${formatKopecks(doc.totalKop)})` : ''}, not a sale of ${formatKopecks(o.totalKop)}. Check the FD number and total on the customer's receipt.`,
      'fd_mismatch',
      `FD ${o.fdNumber}`,
    );
  }
}

/** The rules, inside the insert transaction. The manager's flags on the draft were approved already. */
export function checkRefund(store: ReceiptStore, draft: ReceiptDraft): void {
  if (draft.type !== 'refund') return;
  if (draft.originalFiscal) return checkOldSaleRefund(store, draft, draft.originalFiscal);
  if (!draft.originalReceiptId) return;
  const original = store.get(draft.originalReceiptId);
  if (!original) {
    return refuse(
      draft,
      `Refund refused: receipt ${draft.originalReceiptId} is not in this station's buffer (a wrong id, or a sale older than the retention period). Check the id; for an old sale, a manager refunds it by its FD number and total (original_fiscal).`,
      'not_found',
    );
  }
  const number = original.fiscal ? `FD ${original.fiscal.fdNumber}` : original.id;
  if (original.type !== 'sale')
    return refuse(draft, `Refund refused: receipt ${number} is itself a refund.`, 'not_a_sale', number);
  if (!isFiscalised(original.status)) {
    return refuse(
      draft,
      `Refund refused: receipt ${number} was never printed (it is ${original.status}); there is nothing to refund.`,
      'not_printed',
      number,
    );
  }
  if (original.status !== 'synced' && !draft.refundBeforeSync) {
    return refuse(
      draft,
      `Refund refused: the original receipt ${number} is not yet accepted by the OFD (it is ${original.status}). Sync now (manager) and refund once it shows as synced, or a manager may refund it now (manager PIN): the refund is sent to the OFD after its sale.`,
      'not_synced',
      number,
    );
  }
  const earlier = store.refundsOf(original.id);
  checkTotal(draft, number, original.totalKop, earlier);
  checkLines(draft, number, original, earlier);
  checkPayout(draft, number, original, earlier);
}

function checkTotal(draft: ReceiptDraft, number: string, soldKop: number, earlier: StoredReceipt[]): void {
  const refundedTotal = earlier.reduce((s, r) => s + r.totalKop, 0);
  if (refundedTotal + draft.totalKop > soldKop) {
    refuse(
      draft,
      `Refund refused: ${formatKopecks(draft.totalKop)} would return more than receipt ${number} sold (${formatKopecks(soldKop)}, already refunded ${formatKopecks(refundedTotal)}).`,
      'exceeds_sale',
      number,
    );
  }
}

/**
 * Each line's goods may go back no more than is left of them (refundable.ts, the one computation the
 * refund screen shows too). A refusal names the sale's line (1-based) and what is left of it.
 */
function checkLines(draft: ReceiptDraft, number: string, original: StoredReceipt, earlier: StoredReceipt[]) {
  const lines = refundableLines(original, earlier);
  for (const line of draft.items) {
    const same = lines.filter(sameGoods(line));
    if (same.length === 0)
      refuse(
        draft,
        `Refund refused: receipt ${number} has no line "${line.name}" at ${formatKopecks(line.priceKop)} with VAT ${line.vat}. Refund the lines as they were sold.`,
        'no_such_line',
        number,
      );
    const asked = draft.items.filter(sameGoods(line)).reduce((s, l) => s + l.quantityMilli, 0);
    const left = same.reduce((s, l) => s + l.leftMilli, 0);
    if (asked > left) {
      const first = same.find((l) => l.leftMilli > 0) ?? same[0]!;
      const sold = same.reduce((s, l) => s + l.soldMilli, 0);
      refuse(
        draft,
        `Refund refused: line ${first.index + 1} "${first.name}" of receipt ${number}: at most ${quantityText(left, first.measure)} can be returned (sold ${quantityText(sold, first.measure)}, already refunded ${quantityText(sold - left, first.measure)}); ${quantityText(asked, first.measure)} asked.`,
        'exceeds_line',
        number,
        { line: first.index + 1, name: first.name, left_milli: left, measure: first.measure },
      );
    }
  }
  checkRefundMarks(original, earlier, draft, {
    original_receipt_id: draft.originalReceiptId,
    receipt_number: number,
  });
}

/** Cash actually handed over (cash paid less change). */
const netCash = (d: ReceiptDraft) => d.cashKop - d.changeKop;

/**
 * A card (or other non-cash) sale goes back the way it was paid: the refunds may pay out in cash no
 * more than the sale took in cash. The manager may choose otherwise (payout_override).
 */
function checkPayout(draft: ReceiptDraft, number: string, original: StoredReceipt, earlier: StoredReceipt[]) {
  if (draft.payoutOverride) return;
  const nonCash = original.draft.cardKop + original.draft.otherKop;
  if (nonCash === 0) return;
  const cashLeft = netCash(original.draft) - earlier.reduce((s, r) => s + netCash(r.draft), 0);
  if (netCash(draft) > Math.max(0, cashLeft)) {
    refuse(
      draft,
      `Refund refused: receipt ${number} was paid by card (${formatKopecks(nonCash)}); refund it to card (cash up to ${formatKopecks(Math.max(0, cashLeft))}). A manager may pay it out in cash (manager PIN).`,
      'card_sale',
      number,
    );
  }
}

/** A sale no longer in the buffer: only its FD number and total are known. */
function checkOldSaleRefund(
  store: ReceiptStore,
  draft: ReceiptDraft,
  o: NonNullable<ReceiptDraft['originalFiscal']>,
): void {
  const number = `FD ${o.fdNumber}`;
  const inBuffer = store.saleByFd(o.fdNumber);
  if (inBuffer) {
    refuse(
      draft,
      `Refund refused: the sale ${number} is still in this station's buffer: refund it from the receipt list (receipt ${inBuffer.id}), line by line.`,
      'in_buffer',
      number,
    );
  }
  const earlier = store.refundsOfFiscal(o.fdNumber);
  const stated = earlier.find(
    (r) => r.draft.originalFiscal && r.draft.originalFiscal.totalKop !== o.totalKop,
  );
  if (stated) {
    refuse(
      draft,
      `Refund refused: an earlier refund of ${number} gave its total as ${formatKopecks(stated.draft.originalFiscal!.totalKop)}, not ${formatKopecks(o.totalKop)}. Check the customer's receipt.`,
      'fd_mismatch',
      number,
    );
  }
  checkTotal(draft, number, o.totalKop, earlier);
}
