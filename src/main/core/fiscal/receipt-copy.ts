// «Копия чека»: a copy of a printed receipt, from the station's own record, as non-fiscal text lines (17h).
// It never makes a fiscal document: not 8Ch «Повтор документа», which repeats only the last closed
// document, is refused by some FFD 1.2 firmwares and moved to the admin password in the vendor's driver
// (docs/kkt.md «Receipt copy» says why), and never a receipt command. Its header («КОПИЯ ЧЕКА», «НЕ
// ФИСКАЛЬНЫЙ ДОКУМЕНТ») and its footer («КОПИЯ») mark it; the lines between are the receipt's own, and its
// QR is a QR code the KKT draws (DDh/DEh) so a buyer or an inspector can scan it — or its text, when the
// KKT will not draw one (the journal entry says why).
import type { Logger } from '../logger.ts';
import type { Kkt, PrintLine, QrPrintedAsText } from '../kkt/kkt.ts';
import type { Journal } from '../buffer/journal.ts';
import type { ReceiptStore } from '../buffer/receipt-store.ts';
import type { StoredReceipt } from '../buffer/receipt-rows.ts';
import { ConflictError, NotFoundError, StationError } from '../../../shared/errors.ts';
import { formatKopecks } from '../../../shared/money.ts';
import { isFiscalised } from '../../../shared/receipt-states.ts';
import { PRINT_LINE_CHARS, splitPrintLine } from '../../../shtrih-protocol/print-commands.ts';

const W = PRINT_LINE_CHARS;

/** `left` and `right` on one line, the right one flush right; a long left part gets its own lines. */
function pair(left: string, right: string): string[] {
  if (left.length + 1 + right.length <= W) return [left + ' '.repeat(W - left.length - right.length) + right];
  return [...wrap(left), right.padStart(W)];
}

const wrap = splitPrintLine;

function centre(text: string): string {
  return text.padStart(Math.floor((W + text.length) / 2)).padEnd(W);
}

function quantity(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : (milli / 1000).toFixed(3);
}

function title(r: StoredReceipt): string {
  const refund = r.type === 'refund' || r.draft.correction?.operation === 'refund';
  const kind = refund ? 'ВОЗВРАТ ПРИХОДА' : 'ПРИХОД';
  return r.type === 'correction' ? `ЧЕК КОРРЕКЦИИ: ${kind}` : `КАССОВЫЙ ЧЕК: ${kind}`;
}

/**
 * The copy: text lines (≤ 32 characters each, the narrowest Shtrih-M tape) and the receipt's QR code
 * (exactly its fiscal QR string); only a fiscalised receipt has one.
 */
export function receiptCopyLines(r: StoredReceipt): PrintLine[] {
  const f = r.fiscal;
  if (!f)
    throw new ConflictError(
      'copy_of_unprinted',
      `Receipt ${r.id} was never printed, so it has no copy. A copy is only of a printed receipt.`,
      { receipt_id: r.id },
    );
  const d = r.draft;
  const money = (kop: number) => `=${formatKopecks(kop)}`;
  const lines: PrintLine[] = [
    centre('*** КОПИЯ ЧЕКА ***'),
    centre('НЕ ФИСКАЛЬНЫЙ ДОКУМЕНТ'),
    ...wrap(title(r)),
  ];
  for (const item of d.items) {
    lines.push(...wrap(item.name));
    lines.push(
      ...pair(`  ${quantity(item.quantityMilli)} x ${formatKopecks(item.priceKop)}`, money(item.totalKop)),
    );
  }
  lines.push(...pair('ИТОГ', money(d.totalKop)));
  if (d.cashKop > 0) lines.push(...pair('НАЛИЧНЫМИ', money(d.cashKop)));
  if (d.cardKop > 0) lines.push(...pair('БЕЗНАЛИЧНЫМИ', money(d.cardKop)));
  if (d.otherKop > 0) lines.push(...pair('ИНАЯ ФОРМА ОПЛАТЫ', money(d.otherKop)));
  if (d.changeKop > 0) lines.push(...pair('СДАЧА', money(d.changeKop)));
  if (d.cashierName) lines.push(...wrap(`КАССИР ${d.cashierName}`));
  lines.push(
    ...pair(`ЧЕК ${f.receiptNumber}`, `СМЕНА ${f.shiftNumber}`),
    ...pair('ДАТА', f.fiscalDatetime.replace('T', ' ').slice(0, 16)),
    ...pair('РН ККТ', f.kktRegNumber),
    ...pair('ФН', f.fnNumber),
    ...pair('ФД', String(f.fdNumber)),
    ...pair('ФП', String(f.fiscalSign)),
    { qr: f.qr },
    centre('*** КОПИЯ ***'),
  );
  return lines;
}

export interface ReceiptCopiesOptions {
  kkt: Kkt;
  store: ReceiptStore;
  journal: Journal;
  log: Logger;
}

/** How far back «the last receipt» looks: the newest fiscalised one among the station's latest receipts. */
const LAST_RECEIPT_WINDOW = 50;

export class ReceiptCopies {
  constructor(private readonly o: ReceiptCopiesOptions) {}

  /** The receipt a copy is asked for: `id`, or the newest fiscalised receipt. */
  receiptFor(id?: string): StoredReceipt {
    if (id !== undefined) {
      const r = this.o.store.get(id);
      if (!r) throw new NotFoundError(`Receipt ${id} not found.`);
      return r;
    }
    const last = this.o.store.recent(LAST_RECEIPT_WINDOW).find((r) => isFiscalised(r.status));
    if (!last)
      throw new StationError(
        'no_receipt_to_copy',
        404,
        `No printed receipt among the last ${LAST_RECEIPT_WINDOW} to copy yet: print a receipt first, or choose one in the receipt list.`,
      );
    return last;
  }

  /**
   * Prints the copy on the KKT's tape (17h, its QR with DDh/DEh) and journals it; a refused print throws
   * (nothing fiscal either way). A QR the KKT would not draw went out as text: journalled and logged.
   */
  async print(id: string | undefined, by: string): Promise<StoredReceipt> {
    const r = this.receiptFor(id);
    const lines = receiptCopyLines(r);
    const { qrAsText } = await this.o.kkt.printText(lines);
    const fd = r.fiscal!.fdNumber;
    const qrText: QrPrintedAsText | undefined = qrAsText[0];
    if (qrText)
      this.o.log.warn(
        `Receipt copy of FD ${fd}: the KKT did not draw the QR code (${qrText.reason}); printed as text`,
      );
    // The copy is on paper already: a journal that cannot be written (a full disk) must not answer it
    // as a failure, or the cashier presses again and a second copy prints.
    try {
      this.o.journal.append('receipt_copy_printed', `Receipt copy printed (FD ${fd}, ${by})`, r.id, {
        fd_number: fd,
        by,
        qr: qrText ? 'text' : 'code',
        ...(qrText ? { qr_why: qrText.why, qr_error: qrText.reason, qr_device_code: qrText.deviceCode } : {}),
      });
    } catch (e) {
      this.o.log.error(`Journal: receipt_copy_printed not recorded: ${(e as Error).message}`);
    }
    return r;
  }
}
