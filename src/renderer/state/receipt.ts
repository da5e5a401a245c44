// Building receipt.create requests and keeping idempotency keys: one key per sale attempt, reused
// when the cashier retries the same receipt after an error (a double click or a retry never prints
// twice); a different receipt body (a new sale, or an edited one) gets a new key.
import type { ReceiptRequestBody, ReceiptView, Result } from '../../shared/contract.ts';
import type { CommandError, ErrorCode } from '../../shared/errors.ts';
import { milliToQuantityText } from '../format.ts';
import { formatKopecks, lineTotalKop } from '../../shared/money.ts';
import { isFiscalised } from '../../shared/receipt-states.ts';
import { call } from './api.ts';

export type VatCode = 'vat22' | 'vat20' | 'vat10' | 'vat122' | 'vat0' | 'none';
/** The rates the UI offers, in menu order. */
export const VAT_CODES: readonly VatCode[] = ['vat22', 'vat20', 'vat10', 'vat122', 'vat0', 'none'];

export interface DraftLine {
  name: string;
  priceKop: number;
  quantityMilli: number;
  vat: string;
  /** The line's total when it is not simply price × quantity (a whole line refunded as it was sold). */
  totalKop?: number;
  /** A marked good's code, normalised (one piece per code). */
  markCode?: string;
  /** FFD unit code (tag 2108, src/shared/units.ts); none: pieces. A weighed line goes to the KKT in kg. */
  unit?: number;
}

export interface Attempt {
  key: string;
  bodyJson: string;
  /** Sent at least once: the station may hold (or have printed) it, so it is settled before it is dropped. */
  sent?: boolean;
}

function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function receiptItems(lines: DraftLine[]): ReceiptRequestBody['items'] {
  return lines.map((l) => ({
    name: l.name,
    price: formatKopecks(l.priceKop),
    quantity: milliToQuantityText(l.quantityMilli),
    total: formatKopecks(l.totalKop ?? lineTotalKop(l.priceKop, l.quantityMilli)),
    vat: l.vat,
    ...(l.markCode ? { mark_code: l.markCode } : {}),
    ...(l.unit !== undefined ? { measure: l.unit } : {}),
  }));
}

export function receiptTotalKop(lines: DraftLine[]): number {
  return lines.reduce((s, l) => s + (l.totalKop ?? lineTotalKop(l.priceKop, l.quantityMilli)), 0);
}

/** The same body as last time keeps its key; anything else is a new attempt with a new key. */
export function attemptFor(previous: Attempt | null, body: ReceiptRequestBody): Attempt {
  const bodyJson = JSON.stringify(body);
  return previous && previous.bodyJson === bodyJson ? previous : { key: newIdempotencyKey(), bodyJson };
}

/** `managerPin`: for a refund only a manager may make (kept out of the body: never stored or fingerprinted). */
export async function createReceipt(attempt: Attempt, managerPin?: string): Promise<Result<ReceiptView>> {
  attempt.sent = true;
  return call('receipt.create', {
    idempotencyKey: attempt.key,
    body: JSON.parse(attempt.bodyJson) as ReceiptRequestBody,
    ...(managerPin ? { managerPin } : {}),
  });
}

export type Settled =
  { kind: 'nothing' } | { kind: 'printed'; receipt: ReceiptView } | { kind: 'error'; error: CommandError };

/**
 * Before an attempt is replaced by a changed receipt or dropped: asks the station what became of it
 * (reconciling with the KKT if it was mid-print). One that was printed comes back, so the cashier sees
 * it rather than printing the sale a second time; one stored but never printed is voided, so it does
 * not linger in the buffer.
 */
export async function settleAbandoned(attempt: Attempt | null): Promise<Settled> {
  if (!attempt?.sent) return { kind: 'nothing' };
  const r = await call('receipt.settle', { idempotencyKey: attempt.key });
  if (!r.ok) return { kind: 'error', error: r.error };
  const receipt = r.value;
  if (!receipt || receipt.state === 'voided') return { kind: 'nothing' };
  if (isFiscalised(receipt.state)) return { kind: 'printed', receipt };
  const voided = await call('receipt.void', {
    id: receipt.id,
    reason: 'changed or cleared by the cashier before it was printed',
  });
  return voided.ok ? { kind: 'nothing' } : { kind: 'error', error: voided.error };
}

/** A receipt the station stored but the KKT has not confirmed: not done, and not to be rung again. */
export function unconfirmedError(receipt: ReceiptView, message: string): CommandError {
  return {
    code: 'print_unconfirmed',
    message,
    details: { receipt_id: receipt.id, receipt_status: receipt.state },
  };
}

/** Field-level issues the core lists in a validation_error's details. */
export function fieldIssues(error: CommandError | null): { field: string; message: string }[] {
  if (!error || !Array.isArray(error.details)) return [];
  return (error.details as unknown[]).filter(
    (d): d is { field: string; message: string } =>
      typeof d === 'object' &&
      d !== null &&
      typeof (d as { field?: unknown }).field === 'string' &&
      typeof (d as { message?: unknown }).message === 'string',
  );
}

export const SHIFT_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'shift_expired',
  'shift_closed',
]);
