// The one error taxonomy: every code a program can see, the wire shape that carries one, and the error
// classes the station throws. Browser-safe, because the renderer decides by the same codes.
//
// Invariants:
// - A code is a promise to integrators and to the renderer: programs decide by `code` and `details`,
//   never by a message's words (messages say what is wrong and what to do, for people, and change).
//   A new failure a caller must tell apart gets a new code here; a typo'd code does not compile.
// - The REST API answers `{error: code, message, details?}` with the class's HTTP status; IPC and the
//   browser host carry the same `{code, message, details?}` in a Result (src/main/app/wire-error.ts).
// - Details are snake_case, like the REST API's other fields.
import type { ReceiptState } from './receipt-states.ts';

/** Codes the station answers, through any host (REST, IPC, the browser host). */
export const STATION_ERROR_CODES = [
  // The request itself
  'validation_error', // a field is wrong; details list the fields (or the zod issues)
  'bad_request', // not JSON, a missing or malformed Idempotency-Key, a body that is not an object
  'body_too_large',
  'unsupported_media_type',
  'method_not_allowed',
  'not_found',
  'unknown_command',
  // Who may ask
  'unauthorized',
  'forbidden_origin',
  'forbidden_host', // the REST API answers only loopback Host names (DNS rebinding)
  'forbidden_sender',
  // Receipts and the buffer
  'idempotency_conflict', // the key was used for another request: a new sale needs a new key
  'refund_not_allowed', // details.reason says why
  'sale_not_found', // a refund's lookup: no printed sale with this FD and total (details.reason)
  'sale_ambiguous', // a refund's lookup: sales of two FNs share the FD number (details.candidates)
  'not_printable',
  'not_voidable',
  'conflict', // a receipt is not in the state the change needs (another change came first)
  'buffer_full',
  'disk_full', // the data directory's disk is (nearly) full: free space; nothing new was printed
  'buffer_write_failed', // a printed receipt waits to be recorded: nothing new is printed until it is
  'buffer_lost', // the buffer was lost while the KKT kept documents: a manager acknowledges before sales
  'buffer_corrupt', // the buffer failed its integrity check at start (moved aside): the station does not start
  'receipt_print_failed', // REST replay of a receipt whose print was refused
  'receipt_voided', // REST replay of a voided receipt
  'mark_rejected', // the FN or the permit service rejected a marking code: nothing printed (details.reason)
  // Shift and cash drawer
  'shift_expired',
  'shift_closed',
  'not_enough_cash',
  'drawer_disabled', // the configuration says this till has no cash drawer
  'no_receipt_to_copy', // «Копия чека»: no printed receipt among the station's latest ones (404)
  'copy_of_unprinted', // «Копия чека» of a receipt that was never printed: it has no copy (409)
  // The KKT
  'kkt_refused', // the KKT did not do it: nothing was fiscalised; fix the cause and send it again
  'kkt_outcome_unknown', // the KKT took the command but its answer was lost: do not send it again
  'kkt_unavailable', // an interrupted print waits for the KKT's archive: nothing is printed until then
  'tax_system_mismatch', // the configured tax system is not one the KKT is registered for: no sales
  'tax_system_not_chosen', // the KKT is registered for several tax systems and none is configured: no sales
  // Manager PIN
  'pin_not_set',
  'pin_required',
  'pin_wrong',
  'pin_locked',
  'cashier_exists', // a cashier with this name (any case) is already on the list
  // OFD delivery
  'sync_in_progress',
  // The station's own life
  'station_stopping',
  'stopping',
  'rest_port_busy',
  'web_port_busy',
  'internal_error', // a bug: the station log has the details
] as const;

/** Codes made on the renderer's side (its transport, or its reading of a result), never by the station. */
export const RENDERER_ERROR_CODES = [
  'host_unreachable',
  'host_error',
  'transport_error',
  'print_unconfirmed', // stored, the KKT has not confirmed the print: not done, and not to be rung again
  'earlier_attempt_printed',
] as const;

export const ERROR_CODES = [...STATION_ERROR_CODES, ...RENDERER_ERROR_CODES] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What crosses a transport when something failed (the error of the contract's Result). */
export interface CommandError {
  code: ErrorCode;
  /** What is wrong and what to do, for a person. */
  message: string;
  details?: unknown;
}

// ---------------------------------------------------------------------------------------------
// The station's errors

export class StationError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly httpStatus: number,
    message: string,
    /** Machine-readable detail for the answer (field issues, receipt ids, the KKT's error code). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends StationError {
  constructor(message: string) {
    super('not_found', 404, message);
  }
}

export class BadRequestError extends StationError {
  constructor(message: string) {
    super('bad_request', 400, message);
  }
}

export class ConflictError extends StationError {
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, 409, message, details);
  }
}

export class UnavailableError extends StationError {
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, 503, message, details);
  }
}

export interface FieldIssue {
  field: string;
  message: string;
}

/** A receipt request that failed validation; details list every problem, one per field. */
export class ReceiptValidationError extends StationError {
  constructor(readonly issues: FieldIssue[]) {
    super(
      'validation_error',
      422,
      `The receipt is not valid, nothing was stored or printed: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
}

/**
 * A catalogue batch (a CSV file, an ERP call, the manager's form) with bad entries: nothing of it was
 * stored. Details list every problem (at most 1000), each naming its row or item and its column.
 */
export class CatalogValidationError extends StationError {
  constructor(readonly issues: FieldIssue[]) {
    // Russian, like the issues (catalog-item.ts): the manager reads it; `details` keep the field paths.
    const shown = issues.slice(0, 10).map((i) => `${i.field}: ${i.message}`);
    const more = issues.length > 10 ? `; и ещё ${issues.length - 10} (см. details)` : '';
    super(
      'validation_error',
      422,
      `Каталог не изменён (ошибок: ${issues.length}): ${shown.join('; ')}${more}`,
      issues.slice(0, 1000),
    );
  }
}

/** A receipt state change the transition table does not allow, or one another change got to first. */
export class IllegalTransitionError extends ConflictError {
  constructor(id: string, from: ReceiptState | 'missing', to: string) {
    super(
      'conflict',
      from === 'missing' ? `Receipt ${id} not found.` : `Receipt ${id} is ${from}: it cannot become ${to}.`,
    );
  }
}

export class BufferFullError extends UnavailableError {
  constructor(queued: number, capacity: number) {
    super('buffer_full', `Buffer full: ${queued}/${capacity}. Cannot accept new receipts.`, {
      current_queued: queued,
      total_capacity: capacity,
    });
  }
}

/**
 * The disk holding the data directory is full, or below the free-space floor kept for sales already
 * fiscalised. HTTP 507 Insufficient Storage, not 503: it is the status HTTP defines for "cannot store what
 * the request needs", a generic client still sees a 5xx, and a monitor can tell it from the KKT's 503s.
 */
export class DiskFullError extends StationError {
  constructor(detail: string, details?: Record<string, unknown>) {
    super(
      'disk_full',
      507,
      `The station's disk is full (${detail}): new sales are refused, nothing was printed. Free disk space on the computer (old files, logs, downloads) or call support; sales resume by themselves once there is room.`,
      details,
    );
  }
}

/**
 * A sale the KKT printed could not be recorded yet (a full disk, a write error): the station keeps its
 * fiscal attributes in memory, retries, and prints nothing new until the record is written.
 */
export class BufferWriteError extends UnavailableError {
  constructor(receiptId: string, cause: string) {
    super(
      'buffer_write_failed',
      `Receipt ${receiptId} was printed but the station could not record it yet (${cause}); nothing else is printed until it is. Free disk space or restart the station; the receipt is recorded as soon as it can be.`,
      { receipt_id: receiptId },
    );
  }
}

/** The buffer was lost (deleted, emptied) while the KKT kept documents it never recorded: no sales until a manager acknowledges. */
export class BufferLostError extends ConflictError {
  constructor(kktLastFd: number, detectedAt: string) {
    super(
      'buffer_lost',
      `The station's receipt buffer was lost (found empty on ${detectedAt}) while the KKT holds documents up to FD ${kktLastFd}: receipts not yet sent to the OFD, refund history and the document count may be gone. Sales are blocked until a manager acknowledges it (manager area, or POST /v1/kkt/buffer/acknowledge-loss); check the KKT's unsent documents with support first.`,
      { kkt_last_fd: kktLastFd, detected_at: detectedAt },
    );
  }
}

/** The buffer failed its integrity check at start; the damaged file was moved aside and kept. */
export class BufferCorruptError extends StationError {
  constructor(file: string, keptAs: string | null, detail: string) {
    super(
      'buffer_corrupt',
      503,
      `The receipt buffer ${file} is damaged (${detail}). ${keptAs ? `It was moved aside to ${keptAs} and kept` : 'It was left in place'}; nothing was deleted. Send that file to support: it may hold receipts not yet sent to the OFD. Starting the station again starts with an empty buffer, and sales stay blocked until a manager acknowledges the loss.`,
      { file, kept_as: keptAs },
    );
  }
}

export class ShiftExpiredError extends ConflictError {
  constructor(shiftNumber: number, openedAt: string | null) {
    super(
      'shift_expired',
      `Shift ${shiftNumber} has been open for more than 24 hours${openedAt ? ` (since ${openedAt})` : ''}: sales are blocked. Close the shift with the Z report, then open a new one.`,
    );
  }
}

/**
 * No tax system to issue receipts under (src/shared/tax-systems.ts chooseTaxSystem): the configured one
 * is not registered on the KKT, or several are registered and none is configured. Nothing is stored.
 */
export class TaxSystemError extends ConflictError {
  constructor(
    problem: 'mismatch' | 'not_chosen' | 'none_registered',
    message: string,
    configured: string | null,
    registered: readonly string[],
  ) {
    super(problem === 'mismatch' ? 'tax_system_mismatch' : 'tax_system_not_chosen', message, {
      configured_tax_system: configured,
      registered_tax_systems: [...registered],
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The KKT's errors

/**
 * Why a KKT operation failed, which decides what happens next:
 * - `refused` (code kkt_refused): the device answered with an error, or the command never reached it.
 *   Nothing was fiscalised; the operation may be sent again once the cause is fixed.
 * - `outcome_unknown` (code kkt_outcome_unknown): the device took the command but its answer was lost.
 *   It may have been done: never send it again blindly; a receipt is reconciled with the fiscal archive.
 */
export type KktFailure = 'refused' | 'outcome_unknown';

/** What a program can do something about (details.reason): load paper, close the cover, open a shift… */
export const KKT_REASONS = [
  'paper_out',
  'cover_open',
  'shift_expired',
  'shift_closed',
  'not_enough_cash',
  'printer_busy',
  'not_connected',
  'total_mismatch',
] as const;
export type KktReason = (typeof KKT_REASONS)[number];

/** What the device reported, when it did: its own error code and words, and the reason they mean. */
export interface KktFault {
  deviceCode?: number;
  /** The device error's text for the cashier. */
  deviceMessage?: string;
  reason?: KktReason;
}

/** A KKT failure in the device's own words: a 503 over REST, a Result error over IPC. */
export class KktError extends StationError {
  /** Device error code (src/shtrih-protocol/device-errors.ts), when the device gave one. */
  readonly deviceCode: number | undefined;

  constructor(
    readonly failure: KktFailure,
    message: string,
    readonly fault: KktFault = {},
  ) {
    super(failure === 'refused' ? 'kkt_refused' : 'kkt_outcome_unknown', 503, message, faultDetails(fault));
    this.deviceCode = fault.deviceCode;
  }
}

/** A sale the KKT did not print (it refused, or reconciliation found nothing): the receipt is stored, not fiscalised. */
export class KktRefusedError extends StationError {
  constructor(receipt: { id: string; status: string }, cause: KktError | string) {
    const why = typeof cause === 'string' ? cause : cause.message;
    super(
      'kkt_refused',
      503,
      `The KKT did not print the receipt: ${why}. Nothing was fiscalised. Fix the KKT, then send the same request again (same Idempotency-Key) or void receipt ${receipt.id}.`,
      {
        receipt_id: receipt.id,
        receipt_status: receipt.status,
        kkt_message: why,
        ...(typeof cause === 'string' ? {} : faultDetails(cause.fault)),
      },
    );
  }
}

/** Reconciliation could not reach the KKT: the receipt stays `printing` and nothing new is printed. */
export class KktUnavailableError extends StationError {
  constructor(receiptId: string, cause: string) {
    super(
      'kkt_unavailable',
      503,
      `The KKT is not answering (${cause}). Receipt ${receiptId} was being printed when the station stopped and must be checked against the KKT first; nothing else is printed until then. Check the KKT's power and cable.`,
      { receipt_id: receiptId },
    );
  }
}

/** `{reason, device_code: 0x6B, device_code_hex: '6Bh', device_message}`, each only when known; undefined when nothing is. */
function faultDetails(f: KktFault): Record<string, unknown> | undefined {
  const d: Record<string, unknown> = {};
  if (f.reason) d.reason = f.reason;
  if (f.deviceCode !== undefined) {
    d.device_code = f.deviceCode;
    d.device_code_hex = `${f.deviceCode.toString(16).toUpperCase().padStart(2, '0')}h`;
  }
  if (f.deviceMessage) d.device_message = f.deviceMessage;
  return Object.keys(d).length ? d : undefined;
}

/** details.reason of a KKT error, for the renderer's decisions (e.g. offer "continue printing" on paper_out). */
export function kktReasonOf(error: CommandError): KktReason | undefined {
  const reason = (error.details as { reason?: unknown } | null | undefined)?.reason;
  return (KKT_REASONS as readonly unknown[]).includes(reason) ? (reason as KktReason) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Marked goods (Честный ЗНАК)

/** Who refused a marking code: the FN's crypto check, the marking server via the FN, or the permit service. */
export type MarkRejectedBy = 'fn' | 'marking_server' | 'permit';

/**
 * A marking code was rejected (409 mark_rejected): the line cannot be sold, and nothing was printed. The
 * receipt, when one was stored, is voided. details: line (items[n]), gtin, serial, rejected_by, reason,
 * receipt_id (when stored). Sending the same code again does not help: take another unit of the good.
 */
export class MarkRejectedError extends ConflictError {
  constructor(
    readonly info: { line: number; gtin: string; serial: string; rejectedBy: MarkRejectedBy; reason: string },
    receiptId?: string,
  ) {
    const who = { fn: 'the FN', marking_server: 'the marking server (ОИСМ)', permit: 'the permit service' }[
      info.rejectedBy
    ];
    super(
      'mark_rejected',
      `items[${info.line}]: marking code (01)${info.gtin}(21)${info.serial} rejected by ${who}: ${info.reason}. Nothing was printed${receiptId ? `; receipt ${receiptId} is voided` : ''}. Do not sell this unit; take another one.`,
      {
        field: `items[${info.line}].mark_code`,
        line: info.line,
        gtin: info.gtin,
        serial: info.serial,
        rejected_by: info.rejectedBy,
        reason: info.reason,
        ...(receiptId ? { receipt_id: receiptId, receipt_status: 'voided' } : {}),
      },
    );
  }
}
