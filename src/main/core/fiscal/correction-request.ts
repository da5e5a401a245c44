// Validation of a correction receipt request (POST /v1/kkt/correction, the manager's «Чек коррекции»)
// into a ReceiptDraft of type 'correction'. A correction receipt (FFD 1.2, чек коррекции) fixes a
// settlement that was not registered or was registered wrongly: it carries the lines and payments of
// the corrected settlement like a receipt, plus what is corrected (1054: a sale or a refund), whose
// decision it is (1173: own, or a tax authority's order) and the reason document (1174: its date 1178
// and number 1179). Items and payments follow the receipt rules (receipt-request.ts); the zod schema
// is also the REST description of the body.
import { z } from 'zod';
import { ReceiptValidationError, type FieldIssue } from '../../../shared/errors.ts';
import type { ReceiptDraft } from '../buffer/receipt-draft.ts';
import {
  cashierInnSchema,
  receiptItemsSchema,
  linesAndPayments,
  parseBody,
  receiptPaymentsSchema,
  printableText,
  type CatalogLine,
} from './receipt-request.ts';

const reasonDocumentSchema = z
  .object(
    {
      date: z
        .string({ error: 'reason_document.date is required: the date of the reason document, YYYY-MM-DD' })
        .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'reason_document.date must be a date YYYY-MM-DD' })
        .meta({
          description: 'Tag 1178: the date of the corrected settlement / reason document, YYYY-MM-DD',
        }),
      number: printableText(
        'reason_document.number',
        32,
        'reason_document.number is required: the number of the order or of the act behind the correction',
      ).meta({
        description: 'Tag 1179: the number of the tax authority order or of the own act, 1–32 characters',
      }),
    },
    {
      error:
        'reason_document is required: {"date": "YYYY-MM-DD", "number": "…"} of the order or act behind the correction',
    },
  )
  .meta({ description: 'Tag 1174: the document the correction rests on' });

export const correctionRequestSchema = z.object({
  pos_id: printableText('pos_id', 64, 'pos_id is required: the identifier of the till'),
  operation: z
    .enum(['sale', 'refund'], { error: 'operation must be sale or refund: the settlement being corrected' })
    .meta({ description: 'Tag 1054 of the corrected settlement: sale (приход) or refund (возврат прихода)' }),
  correction_type: z
    .enum(['self', 'order'], { error: 'correction_type must be self or order' })
    .meta({ description: 'Tag 1173: self (own decision, 0) or order (by a tax authority order, 1)' }),
  reason_document: reasonDocumentSchema,
  items: receiptItemsSchema,
  payments: receiptPaymentsSchema,
  cashier_name: printableText('cashier_name', 64, 'cashier_name must be text')
    .optional()
    .meta({ description: 'Tag 1021; when absent, the cashier who opened the shift' }),
  cashier_inn: cashierInnSchema.optional(),
});

/** A real calendar day (not 2026-02-30), not after `today` (a correction corrects the past). */
function checkReasonDate(date: string, today: Date, issues: FieldIssue[]): void {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y, m - 1, d));
  if (at.getUTCFullYear() !== y || at.getUTCMonth() !== m - 1 || at.getUTCDate() !== d) {
    issues.push({ field: 'reason_document.date', message: `${date} is not a calendar date` });
    return;
  }
  const localToday = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  if (at.getTime() > localToday)
    issues.push({
      field: 'reason_document.date',
      message: `${date} is in the future: a correction rests on a document already issued`,
    });
}

/**
 * Validates a correction body; throws ReceiptValidationError listing every problem. `catalog` finds the
 * items a line names by `code`, as for a receipt.
 */
export function parseCorrectionRequest(
  body: unknown,
  now: Date = new Date(),
  catalog: (code: string) => CatalogLine | null = () => null,
): ReceiptDraft {
  const req = parseBody(
    correctionRequestSchema,
    body,
    'pos_id, operation, correction_type, reason_document, items and payments',
  );
  const issues: FieldIssue[] = [];
  checkReasonDate(req.reason_document.date, now, issues);
  const { given: _given, ...money } = linesAndPayments(req.items, req.payments, issues, catalog);
  if (issues.length) throw new ReceiptValidationError(issues);
  const draft: ReceiptDraft = {
    posId: req.pos_id,
    type: 'correction',
    ...money,
    cashierName: req.cashier_name,
    correction: {
      operation: req.operation,
      kind: req.correction_type,
      reasonDate: req.reason_document.date,
      reasonNumber: req.reason_document.number,
    },
  };
  if (req.cashier_inn) draft.cashierInn = req.cashier_inn;
  return draft;
}
