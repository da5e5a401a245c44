// The REST API's answers, built from the station's objects. Each view is typed by its zod schema
// (schemas.ts), the same one the OpenAPI description is generated from: a field documented but not
// sent, or sent under another name, does not compile.
import type { z } from 'zod';
import type { StoredReceipt } from '../core/buffer/receipt-rows.ts';
import { kopecksToRoubles } from '../../shared/money.ts';
import { unitShort } from '../../shared/units.ts';
import type { PaymentTotals, ShiftReport, ShiftState, ShiftTotals } from '../core/shift/shift-service.ts';
import type { KktPaymentTotals, KktStatus } from '../core/kkt/kkt.ts';
import type {
  fiscalDocSchema,
  kktStatusSchema,
  receiptSchema,
  shiftReportSchema,
  shiftStateSchema,
} from './schemas.ts';

/** The old API's status words: pending | syncing | synced | failed. */
function legacyStatus(r: StoredReceipt, sending: boolean): 'pending' | 'syncing' | 'synced' | 'failed' {
  if (r.status === 'synced') return 'synced';
  if (r.status === 'print_failed' || r.status === 'dead' || r.status === 'voided') return 'failed';
  return sending ? 'syncing' : 'pending';
}

export function fiscalDocView(r: StoredReceipt): z.input<typeof fiscalDocSchema> | null {
  const f = r.fiscal;
  if (!f) return null;
  return {
    fiscal_doc_number: f.fdNumber,
    fiscal_sign: f.fiscalSign,
    fiscal_datetime: f.fiscalDatetime,
    fn_number: f.fnNumber,
    kkt_number: f.kktRegNumber,
    shift_number: f.shiftNumber,
    receipt_number: f.receiptNumber,
    qr_code_data: f.qr,
    total: kopecksToRoubles(r.totalKop),
    change: kopecksToRoubles(f.changeKop),
  };
}

export function receiptView(r: StoredReceipt, sending: boolean): z.input<typeof receiptSchema> {
  return {
    receipt_id: r.id,
    status: legacyStatus(r, sending),
    state: r.status,
    type: r.type,
    pos_id: r.posId,
    total: kopecksToRoubles(r.totalKop),
    total_kop: r.totalKop,
    original_receipt_id: r.originalReceiptId,
    created_at: r.createdAt,
    printed_at: r.printedAt,
    synced_at: r.syncedAt,
    fiscal_doc: fiscalDocView(r),
    attempts: r.attempts,
    last_error: r.lastError,
    next_attempt_at: r.nextAttemptAt === null ? null : new Date(r.nextAttemptAt).toISOString(),
    ofd_id: r.ofdId,
    items: r.draft.items.map((l) => ({
      name: l.name,
      price: kopecksToRoubles(l.priceKop),
      quantity: l.quantityMilli / 1000,
      total: kopecksToRoubles(l.totalKop),
      vat: l.vat,
      measure: l.measure ?? 0,
      measure_name: unitShort(l.measure ?? 0),
      payment_method: l.paymentMethod,
      payment_subject: l.paymentSubject,
      ...(l.mark ? { mark_code: l.mark.code, mark_permit: l.mark.permit?.status ?? 'not_done' } : {}),
      ...(l.discount && {
        price_before_discount: kopecksToRoubles(l.discount.priceBeforeKop),
        discount: kopecksToRoubles(l.discount.discountKop),
      }),
    })),
    ...(r.draft.discount && {
      discount: {
        total_before: kopecksToRoubles(r.draft.discount.beforeKop),
        amount: kopecksToRoubles(r.draft.discount.discountKop),
        receipt_part: kopecksToRoubles(r.draft.discount.receiptDiscountKop),
      },
    }),
    payments: r.draft.payments.map((p) => ({ type: p.type, amount: kopecksToRoubles(p.amountKop) })),
    cashier_name: r.draft.cashierName ?? null,
    cashier_inn: r.draft.cashierInn ?? null,
    correction: r.draft.correction
      ? {
          operation: r.draft.correction.operation,
          correction_type: r.draft.correction.kind,
          reason_document: { date: r.draft.correction.reasonDate, number: r.draft.correction.reasonNumber },
        }
      : null,
  };
}

const totalsView = (t: PaymentTotals) => ({
  count: t.count,
  cash: kopecksToRoubles(t.cashKop),
  card: kopecksToRoubles(t.cardKop),
  other: kopecksToRoubles(t.otherKop),
  total: kopecksToRoubles(t.totalKop),
});

function stationTotalsView(t: ShiftTotals) {
  return {
    shift_number: t.shiftNumber,
    receipts: t.receipts,
    sales: totalsView(t.sales),
    refunds: totalsView(t.refunds),
    corrections: {
      count: t.corrections.count,
      sale: kopecksToRoubles(t.corrections.saleKop),
      refund: kopecksToRoubles(t.corrections.refundKop),
    },
    cash_in: kopecksToRoubles(t.cashInKop),
    cash_out: kopecksToRoubles(t.cashOutKop),
    cash_balance: kopecksToRoubles(t.cashBalanceKop),
  };
}

export function shiftStateView(s: ShiftState): z.input<typeof shiftStateSchema> {
  return {
    open: s.open,
    shift_number: s.shiftNumber,
    opened_at: s.openedAt,
    age_minutes: s.ageMinutes,
    expired: s.expired,
    totals: stationTotalsView(s.totals),
    kkt: kktStatusView(s.kkt),
  };
}

export function shiftReportView(r: ShiftReport): z.input<typeof shiftReportSchema> {
  const d = r.device;
  const deviceTotals = (t: KktPaymentTotals) => ({
    cash: kopecksToRoubles(t.cashKop),
    card: kopecksToRoubles(t.cardKop),
    other: kopecksToRoubles(t.otherKop),
    total: kopecksToRoubles(t.totalKop),
  });
  return {
    kind: r.kind,
    shift_number: d.shiftNumber,
    station: stationTotalsView(r.station),
    device: {
      sale_receipts: d.saleReceipts,
      refund_receipts: d.refundReceipts,
      sales: deviceTotals(d.sales),
      refunds: deviceTotals(d.refunds),
      cash_in: kopecksToRoubles(d.cashInKop),
      cash_out: kopecksToRoubles(d.cashOutKop),
      cash_in_drawer: kopecksToRoubles(d.cashInDrawerKop),
      unsent_documents: d.unsentCount,
      fiscal_doc_number: d.fdNumber,
      fiscal_sign: d.fiscalSign,
      fiscal_datetime: d.fiscalDatetime,
    },
  };
}

export function kktStatusView(s: KktStatus): z.input<typeof kktStatusSchema> {
  return {
    connected: s.connected,
    emulated: s.emulated,
    label: s.label,
    shift_open: s.shiftOpen,
    shift_number: s.shiftNumber,
    shift_opened_at: s.shiftOpenedAt,
    shift_expired: s.shiftExpired,
    paper_present: s.paperPresent,
    cover_open: s.coverOpen,
    fn_number: s.fnNumber,
    kkt_reg_number: s.kktRegNumber,
    last_fd_number: s.lastFdNumber,
    unsent_count: s.unsentCount,
    oldest_unsent_at: s.oldestUnsentAt,
    tax_systems: s.taxSystems,
    tax_system: s.taxSystem,
    configured_tax_system: s.configuredTaxSystem,
    tax_system_problem: s.taxSystemProblem,
    work_modes: s.workModes,
    ffd_version: s.ffdVersion,
    fn_expires_at: s.fnExpiresOn,
    fn_warnings: s.fnWarnings,
    ...(s.printer === undefined ? {} : { printer: s.printer }),
    ...(s.problem === undefined ? {} : { problem: s.problem }),
  };
}

export function snakeCase(o: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
  );
}
