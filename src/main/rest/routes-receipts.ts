// The receipt operations: create and print (two-phase) a receipt or a correction receipt, list, one
// receipt, retry a print, void.
import type { Station } from '../core/station.ts';
import type { ErrorCode } from '../../shared/errors.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { isFiscalised } from '../../shared/receipt-states.ts';
import type { ServerResponse } from 'node:http';
import type { StoredReceipt } from '../core/buffer/receipt-rows.ts';
import { receiptRequestSchema } from '../core/fiscal/receipt-request.ts';
import { correctionRequestSchema } from '../core/fiscal/correction-request.ts';
import { sendJson } from './http-util.ts';
import { operation, type Operation } from './operations.ts';
import {
  emptyBody,
  receiptListQuery,
  receiptListSchema,
  receiptSchema,
  refundLookupQuery,
  refundLookupSchema,
  saleAnswerSchema,
  voidBody,
} from './schemas.ts';
import { fiscalDocView, receiptView } from './views.ts';
import { saleKeyOfQr, type RefundableSale } from '../core/fiscal/refundable.ts';
import { lookupSaleForRefund } from '../app/sale-lookup.ts';
import { kopecksToRoubles } from '../../shared/money.ts';
import { unitShort } from '../../shared/units.ts';
import type { z } from 'zod';
import { ManagerPin, approveWith } from '../app/manager-pin.ts';

/** The station's manager PIN: any manager cashier's (core/cashiers). */
const pinOf = (station: Station) => new ManagerPin(station.cashiers);

export function receiptOperations(station: Station): Operation[] {
  return [
    operation({
      method: 'POST',
      path: '/v1/kkt/receipt',
      summary: 'Create and print a receipt (two-phase: stored, printed, answered; sent to the OFD later)',
      idempotencyKey: {
        required: true,
        description:
          'Same key + the same receipt returns the original receipt (compared after parsing: 45.5 and "45.50" are the same); same key + another receipt is 409',
      },
      managerPin: {
        description:
          'The manager PIN, for a refund only a manager may make: original_fiscal (a sale older than the retention), refund_before_sync, payout_override. Without it such a refund is 401 pin_required; a wrong PIN is 403 pin_wrong, too many 429 pin_locked',
      },
      body: { schema: receiptRequestSchema, required: true, validate: false },
      responses: {
        200: { description: 'Printed', schema: saleAnswerSchema },
        202: {
          description:
            'Stored; the print outcome is being confirmed with the KKT, or it was printed (fiscal_doc set) and waits to be recorded (a full disk). Either way do not ring it again: ask GET /v1/kkt/receipt/{id} or repeat with the same key',
          schema: saleAnswerSchema,
        },
        401: {
          description: 'Missing or wrong bearer token, or pin_required: this refund needs X-Manager-Pin',
        },
        403: { description: 'pin_wrong: the X-Manager-Pin is not the manager PIN' },
        429: { description: 'pin_locked: too many wrong manager PINs; details.retry_after_seconds' },
        409: {
          description:
            'Idempotency conflict, refund not allowed (details.reason: not_found, not_a_sale, not_printed, not_synced, exceeds_sale, exceeds_line (details.line, name, left_milli, measure: the sale line and what is left of it), no_such_line, card_sale, in_buffer, fd_mismatch, mark_mismatch), mark_rejected (the FN, the marking server or the permit service rejected a marking code: nothing printed), shift rules, the receipt of this key was not printed (receipt_print_failed, receipt_voided), or buffer_lost: a manager must acknowledge a lost buffer (POST /v1/kkt/buffer/acknowledge-loss), or tax_system_mismatch / tax_system_not_chosen: the configured tax system is not one the KKT is registered for, or several are and none is configured (details name both; nothing stored)',
        },
        422: { description: 'Invalid receipt (details name every field); nothing stored or printed' },
        503: {
          description:
            'Buffer full, the KKT refused/did not answer, or buffer_write_failed (an earlier printed receipt waits to be recorded); nothing fiscalised',
        },
        507: { description: 'disk_full: the disk is below its free-space floor; nothing stored or printed' },
      },
      async handler({ res, body, idempotencyKey, managerPin }) {
        const approve = approveWith(pinOf(station), managerPin);
        sendCreated(station, res, await station.fiscal.createReceipt(idempotencyKey, body, { approve }));
      },
    }),

    operation({
      method: 'POST',
      path: '/v1/kkt/correction',
      summary:
        'Create and print a correction receipt (FFD 1.2 чек коррекции): stored, printed and synced like a receipt',
      idempotencyKey: {
        required: true,
        description:
          'As for a receipt: the same key + the same correction returns the original; another is 409',
      },
      body: { schema: correctionRequestSchema, required: true, validate: false },
      responses: {
        200: { description: 'Printed', schema: saleAnswerSchema },
        202: {
          description: 'Stored; the print outcome is being confirmed with the KKT',
          schema: saleAnswerSchema,
        },
        409: {
          description:
            'Idempotency conflict, shift rules, mark_rejected (a marking code was rejected: nothing printed), tax_system_mismatch / tax_system_not_chosen, or the correction of this key was not printed',
        },
        422: {
          description:
            'Invalid correction (details name every field: a missing reason_document, a bad cashier_inn, a unit that does not exist…); nothing stored or printed',
        },
        503: { description: 'Buffer full, or the KKT refused/did not answer; nothing fiscalised' },
        507: { description: 'disk_full: nothing stored or printed' },
      },
      async handler({ res, body, idempotencyKey }) {
        sendCreated(station, res, await station.fiscal.createCorrection(idempotencyKey, body));
      },
    }),

    operation({
      method: 'GET',
      path: '/v1/kkt/receipts',
      summary: 'Recent receipts, newest first',
      query: receiptListQuery,
      responses: { 200: { description: 'Receipts', schema: receiptListSchema } },
      async handler({ res, query }) {
        sendJson(res, 200, {
          receipts: station.store
            .recent(query.limit ?? 50)
            .map((r) => receiptView(r, station.worker.isSending(r.id))),
        });
      },
    }),

    operation({
      method: 'GET',
      path: '/v1/kkt/receipts/lookup',
      summary:
        "The sale a refund is for, by the QR on the customer's receipt or its FD number (and total, FN), with what is left to refund of each line. FD numbers restart with each FN: after an FN replacement one FD number (and total) can name two sales, and the answer is 409 sale_ambiguous listing them instead of a guess",
      query: refundLookupQuery,
      responses: {
        200: { description: 'The sale and its refundable lines', schema: refundLookupSchema },
        404: {
          description:
            'sale_not_found: no printed sale in this buffer with this FD and total (details.reason: unknown_fd, total_mismatch, fn_mismatch, not_a_sale)',
        },
        409: {
          description:
            'sale_ambiguous: fd (with total_kop, if given) names sales of different FNs (FD numbers restart with each FN). details: fd_number, candidates [{receipt_id, fn_number, total_kop, fiscal_datetime}]; ask again with fn (or the qr), or refund by original_receipt_id',
        },
      },
      async handler({ res, query }) {
        const key = query.qr
          ? saleKeyOfQr(query.qr, 'query.qr')
          : { fdNumber: query.fd!, totalKop: query.total_kop, fnNumber: query.fn ?? null };
        sendJson(res, 200, refundLookupView(lookupSaleForRefund(station.store, key), station));
      },
    }),

    operation({
      method: 'GET',
      path: '/v1/kkt/receipt/{id}',
      summary: 'One receipt: status, fiscal attributes, attempts, last error',
      responses: { 200: { description: 'The receipt', schema: receiptSchema } },
      async handler({ res, id }) {
        const r = station.store.get(id);
        if (!r)
          throw new NotFoundError(
            `Receipt ${id} not found. Use the receipt_id returned by POST /v1/kkt/receipt.`,
          );
        sendJson(res, 200, receiptView(r, station.worker.isSending(r.id)));
      },
    }),

    operation({
      method: 'POST',
      path: '/v1/kkt/receipt/{id}/retry',
      summary: 'Print again a receipt that was not printed',
      body: { schema: emptyBody },
      responses: {
        200: { description: 'Printed', schema: receiptSchema },
        409: { description: 'Not in a printable state' },
        503: { description: 'The KKT refused or did not answer; nothing fiscalised' },
      },
      async handler({ res, id }) {
        sendJson(res, 200, receiptView(await station.fiscal.retryPrint(id), false));
      },
    }),

    operation({
      method: 'POST',
      path: '/v1/kkt/receipt/{id}/void',
      summary: 'Void a receipt that was not printed',
      body: { schema: voidBody },
      responses: {
        200: { description: 'Voided', schema: receiptSchema },
        409: { description: 'Printed receipts need a refund' },
      },
      async handler({ res, id, body }) {
        const reason = body.reason?.trim() || 'voided through the REST API';
        sendJson(res, 200, receiptView(station.fiscal.voidReceipt(id, reason), false));
      },
    }),
  ];
}

/** The answer to a new (or replayed) receipt or correction: printed, refused earlier, or still settling. */
function sendCreated(
  station: Station,
  res: ServerResponse,
  { receipt, replayed }: { receipt: StoredReceipt; replayed: boolean },
): void {
  const headers: Record<string, string> = replayed ? { 'idempotent-replayed': 'true' } : {};
  if (isFiscalised(receipt.status)) {
    sendJson(
      res,
      200,
      {
        status: 'printed',
        receipt_id: receipt.id,
        fiscal_doc: fiscalDocView(receipt),
        message: 'Printed on the KKT; it will be sent to the OFD in the background.',
      },
      headers,
    );
  } else if (receipt.status === 'print_failed' || receipt.status === 'voided') {
    const code: ErrorCode = receipt.status === 'voided' ? 'receipt_voided' : 'receipt_print_failed';
    sendJson(
      res,
      409,
      {
        error: code,
        message: `Receipt ${receipt.id} is ${receipt.status}${receipt.lastError ? `: ${receipt.lastError}` : ''}.`,
        details: { receipt_id: receipt.id },
      },
      headers,
    );
  } else if (station.fiscal.unrecordedPrint(receipt.id)) {
    // Printed on the KKT, its record waits for the disk: the sale is done, never to be rung again.
    const attrs = station.fiscal.unrecordedPrint(receipt.id)!;
    sendJson(
      res,
      202,
      {
        status: 'buffered',
        receipt_id: receipt.id,
        fiscal_doc: fiscalDocView({ ...receipt, fiscal: attrs }),
        message: `Printed on the KKT as FD ${attrs.fdNumber}, but the station could not record it yet (the disk is full or not writable); it is recorded as soon as it can be. The sale is done: do not ring it again. Ask GET /v1/kkt/receipt/{id} or send the same request with the same Idempotency-Key.`,
      },
      headers,
    );
  } else {
    sendJson(
      res,
      202,
      {
        status: 'buffered',
        receipt_id: receipt.id,
        fiscal_doc: null,
        message:
          'Stored durably, but the KKT did not confirm the print yet; the station checks the KKT archive before printing anything else. Ask GET /v1/kkt/receipt/{id} for the outcome and do not ring the sale again.',
      },
      headers,
    );
  }
}

/** A sale found for a refund: the receipt, and per line what was sold, refunded and is left. */
function refundLookupView(r: RefundableSale, station: Station): z.input<typeof refundLookupSchema> {
  return {
    receipt: receiptView(r.sale, station.worker.isSending(r.sale.id)),
    lines: r.lines.map((l) => ({
      line: l.index + 1,
      name: l.name,
      measure: l.measure,
      measure_name: unitShort(l.measure),
      sold: l.soldMilli / 1000,
      refunded: l.refundedMilli / 1000,
      refundable: l.leftMilli / 1000,
    })),
    refunded_total: kopecksToRoubles(r.refundedKop),
    refundable_total: kopecksToRoubles(Math.max(0, r.sale.totalKop - r.refundedKop)),
  };
}
