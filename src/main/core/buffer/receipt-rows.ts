// The receipt buffer's rows and how they cross into TypeScript: one typed mapper per table (toReceipt,
// toDlqEntry), and receiptColumns(), the one place where a typed ReceiptPatch becomes column values.
// The column names are checked against ReceiptRow, so a misspelt column does not compile.
import type { FiscalAttributes } from '../kkt/kkt.ts';
import type { ReceiptDraft, ReceiptType } from './receipt-draft.ts';
import type { ReceiptState } from '../../../shared/receipt-states.ts';
import type { DlqReason } from '../../../shared/dlq-reasons.ts';

export interface StoredReceipt {
  id: string;
  idempotencyKey: string;
  requestHash: string;
  posId: string;
  type: ReceiptType;
  status: ReceiptState;
  hlc: string;
  totalKop: number;
  draft: ReceiptDraft;
  originalReceiptId: string | null;
  createdAt: string;
  updatedAt: string;
  printStartedAt: string | null;
  printedAt: string | null;
  fiscal: FiscalAttributes | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number | null;
  syncedAt: string | null;
  ofdId: string | null;
}

export interface DlqEntry {
  receiptId: string;
  reason: string;
  attempts: number;
  lastError: string | null;
  movedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  totalKop: number;
  fdNumber: number | null;
  /** The reason as a code with parameters; null on entries older than migration 8. */
  why: DlqReason | null;
}

/** A `receipts` row as SQLite returns it (migrations.ts is the schema). */
export interface ReceiptRow {
  id: string;
  idempotency_key: string;
  request_hash: string;
  pos_id: string;
  type: ReceiptType;
  status: ReceiptState;
  hlc: string;
  total_kop: number;
  draft: string;
  original_receipt_id: string | null;
  created_at: string;
  updated_at: string;
  print_started_at: string | null;
  printed_at: string | null;
  fd_number: number | null;
  fiscal_sign: number | null;
  fn_number: string | null;
  kkt_reg_number: string | null;
  shift_number: number | null;
  receipt_number: number | null;
  fiscal_datetime: string | null;
  qr: string | null;
  change_kop: number | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: number | null;
  synced_at: string | null;
  ofd_id: string | null;
}

/** The one row → receipt mapping. The fiscal attributes exist once the KKT printed it (fd_number set). */
export function toReceipt(r: ReceiptRow): StoredReceipt {
  const fiscal: FiscalAttributes | null =
    r.fd_number === null
      ? null
      : {
          fdNumber: r.fd_number,
          fiscalSign: r.fiscal_sign ?? 0,
          fnNumber: r.fn_number ?? '',
          kktRegNumber: r.kkt_reg_number ?? '',
          shiftNumber: r.shift_number ?? 0,
          receiptNumber: r.receipt_number ?? 0,
          fiscalDatetime: r.fiscal_datetime ?? '',
          totalKop: r.total_kop,
          changeKop: r.change_kop ?? 0,
          qr: r.qr ?? '',
        };
  return {
    id: r.id,
    idempotencyKey: r.idempotency_key,
    requestHash: r.request_hash,
    posId: r.pos_id,
    type: r.type,
    status: r.status,
    hlc: r.hlc,
    totalKop: r.total_kop,
    draft: JSON.parse(r.draft) as ReceiptDraft,
    originalReceiptId: r.original_receipt_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    printStartedAt: r.print_started_at,
    printedAt: r.printed_at,
    fiscal,
    attempts: r.attempts,
    lastError: r.last_error,
    nextAttemptAt: r.next_attempt_at,
    syncedAt: r.synced_at,
    ofdId: r.ofd_id,
  };
}

/** What may change on a stored receipt besides its state (fiscal.totalKop is no column: it is total_kop). */
export interface ReceiptPatch {
  printStartedAt?: string | null;
  printedAt?: string;
  fiscal?: FiscalAttributes;
  attempts?: number;
  lastError?: string | null;
  nextAttemptAt?: number | null;
  syncedAt?: string;
  ofdId?: string | null;
}

/** Column values for an UPDATE; the keys are ReceiptRow's, so a misspelt column does not compile. */
export type ReceiptColumns = Partial<Omit<ReceiptRow, 'id'>>;
/** The columns a new receipt is inserted with; the rest start NULL (or 0 attempts). */
export type InsertedColumns = Pick<
  ReceiptRow,
  | 'id'
  | 'idempotency_key'
  | 'request_hash'
  | 'pos_id'
  | 'type'
  | 'status'
  | 'hlc'
  | 'total_kop'
  | 'draft'
  | 'original_receipt_id'
  | 'created_at'
  | 'updated_at'
> &
  Partial<Pick<ReceiptRow, 'print_started_at'>>;

/** The one patch → columns mapping: a field left out (undefined) leaves its column(s) as they are. */
export function receiptColumns(p: ReceiptPatch): ReceiptColumns {
  const f = p.fiscal;
  const columns: ReceiptColumns = {
    print_started_at: p.printStartedAt,
    printed_at: p.printedAt,
    attempts: p.attempts,
    last_error: p.lastError,
    next_attempt_at: p.nextAttemptAt,
    synced_at: p.syncedAt,
    ofd_id: p.ofdId,
    ...(f && {
      fd_number: f.fdNumber,
      fiscal_sign: f.fiscalSign,
      fn_number: f.fnNumber,
      kkt_reg_number: f.kktRegNumber,
      shift_number: f.shiftNumber,
      receipt_number: f.receiptNumber,
      fiscal_datetime: f.fiscalDatetime,
      qr: f.qr,
      change_kop: f.changeKop,
    }),
  };
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)) as ReceiptColumns;
}

/** A `dlq` row joined with the receipt's total and FD number. */
export interface DlqRow {
  receipt_id: string;
  reason: string;
  attempts: number;
  last_error: string | null;
  moved_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution_note: string | null;
  total_kop: number;
  fd_number: number | null;
  reason_code: string | null;
  reason_params: string | null;
}

export function toDlqEntry(d: DlqRow): DlqEntry {
  return {
    receiptId: d.receipt_id,
    reason: d.reason,
    attempts: d.attempts,
    lastError: d.last_error,
    movedAt: d.moved_at,
    resolvedAt: d.resolved_at,
    resolvedBy: d.resolved_by,
    resolutionNote: d.resolution_note,
    totalKop: d.total_kop,
    fdNumber: d.fd_number,
    why: d.reason_code
      ? ({ code: d.reason_code, ...(JSON.parse(d.reason_params ?? '{}') as object) } as DlqReason)
      : null,
  };
}

export interface NewReceipt {
  id: string;
  idempotencyKey: string;
  requestHash: string;
  draft: ReceiptDraft;
}
