// Core objects → the contract's views (src/shared/contract.ts). Kept apart from the handlers so the
// shape the renderer sees is decided in one place.
import type { StoredReceipt, DlqEntry } from '../core/buffer/receipt-rows.ts';
import type { JournalEntry } from '../core/buffer/journal.ts';
import type { KktShiftReport, KktStatus } from '../core/kkt/kkt.ts';
import type { ShiftReport, ShiftState, ShiftTotals } from '../core/shift/shift-service.ts';
import type { Station } from '../core/station.ts';
import type { FnRelaySnapshot } from '../core/fn-relay/fn-relay.ts';
import type {
  DlqEntryView,
  FnRelayView,
  JournalEntryView,
  KktStatusView,
  ReceiptView,
  ShiftReportView,
  ShiftTotalsView,
  ShiftView,
  StationSnapshot,
} from '../../shared/contract.ts';

export function receiptView(r: StoredReceipt): ReceiptView {
  const f = r.fiscal;
  return {
    id: r.id,
    type: r.type,
    state: r.status,
    totalKop: r.totalKop,
    createdAt: r.createdAt,
    syncedAt: r.syncedAt,
    originalReceiptId: r.originalReceiptId,
    lines: r.draft.items.map((l) => ({
      name: l.name,
      priceKop: l.priceKop,
      quantityMilli: l.quantityMilli,
      totalKop: l.totalKop,
      vat: l.vat,
      measure: l.measure ?? 0,
      ...(l.discount && { priceBeforeKop: l.discount.priceBeforeKop, discountKop: l.discount.discountKop }),
      ...(l.mark && { markCode: l.mark.code }),
    })),
    ...(r.draft.discount && { discountKop: r.draft.discount.discountKop }),
    payments: r.draft.payments.map((p) => ({ type: p.type, amountKop: p.amountKop })),
    fiscal: f && {
      fdNumber: f.fdNumber,
      fiscalSign: f.fiscalSign,
      fiscalDatetime: f.fiscalDatetime,
      fnNumber: f.fnNumber,
      kktRegNumber: f.kktRegNumber,
      shiftNumber: f.shiftNumber,
      receiptNumber: f.receiptNumber,
      qr: f.qr,
      changeKop: f.changeKop,
    },
    attempts: r.attempts,
    lastError: r.lastError,
    cashierName: r.draft.cashierName ?? null,
    cashierInn: r.draft.cashierInn ?? null,
  };
}

export function kktStatusView(s: KktStatus | null, error: string | null = null): KktStatusView | null {
  if (!s) return null;
  return {
    connected: s.connected,
    emulated: s.emulated,
    label: s.label,
    mode: s.printer ?? (s.connected ? 'ready' : 'unknown'),
    problem: s.problem ?? null,
    shiftOpen: s.shiftOpen,
    shiftNumber: s.shiftNumber,
    shiftOpenedAt: s.shiftOpenedAt,
    shiftExpired: s.shiftExpired,
    paperPresent: s.paperPresent,
    coverOpen: s.coverOpen,
    fnNumber: s.fnNumber,
    lastFdNumber: s.lastFdNumber,
    unsentCount: s.unsentCount,
    oldestUnsentAt: s.oldestUnsentAt,
    taxSystems: [...s.taxSystems],
    taxSystem: s.taxSystem,
    configuredTaxSystem: s.configuredTaxSystem,
    taxSystemProblem: s.taxSystemProblem,
    ffdVersion: s.ffdVersion,
    fnExpiresOn: s.fnExpiresOn,
    fnWarnings: [...s.fnWarnings],
    error,
  };
}

export function snapshotView(station: Station, managerPinSet: boolean): StationSnapshot {
  const b = station.bufferStatus();
  const w = station.worker.snapshot();
  const br = station.breaker.snapshot();
  return {
    at: new Date().toISOString(),
    posId: station.config.posId,
    network: b.networkStatus,
    buffer: {
      capacity: b.capacity,
      queued: b.queued,
      percentFull: b.percentFull,
      alert: b.alert,
      counts: b.counts,
      dlqSize: b.dlqSize,
      oldestPendingAt: b.oldestPendingAt,
      unprinted: b.unprinted,
    },
    breaker: br,
    worker: {
      started: w.started,
      running: w.running,
      manualRunning: w.manualRunning,
      lastRunAt: w.lastRunAt,
      nextRunAt: w.nextRunAt,
      backoffMs: w.backoffMs,
      lastError: w.lastError,
      lastErrorWhy: w.lastErrorWhy,
      ofdAuthFailure: w.ofdAuthFailure,
      totals: w.totals,
    },
    kkt: kktStatusView(station.shifts.lastKnownStatus()),
    fnRelay: relayPanelView(station.relay?.snapshot() ?? null),
    cashDrawer: station.drawer.enabled,
    managerPinSet,
    discountLimitPercent: station.config.cashierDiscountLimitPercent,
  };
}

/** The relay for the «Состояние» panel (IPC); REST's /v1/health has its own shape (rest/fn-relay-view.ts). */
function relayPanelView(r: FnRelaySnapshot | null): FnRelayView | null {
  if (!r) return null;
  return {
    server: r.server,
    breakerState: r.breaker.state,
    lastExchangeAt: r.lastExchangeAt,
    nextRunAt: r.nextRunAt,
    lastError: r.lastError,
    lastErrorWhy: r.lastErrorWhy,
    lastErrorAt: r.lastErrorAt,
  };
}

function totalsView(t: ShiftTotals): ShiftTotalsView {
  return { ...t, sales: { ...t.sales }, refunds: { ...t.refunds } };
}

export function shiftView(s: ShiftState): ShiftView {
  return {
    open: s.open,
    shiftNumber: s.shiftNumber,
    openedAt: s.openedAt,
    ageMinutes: s.ageMinutes,
    expired: s.expired,
    totals: totalsView(s.totals),
  };
}

export function shiftReportView(r: ShiftReport): ShiftReportView {
  const d: KktShiftReport = r.device;
  return {
    kind: r.kind,
    station: totalsView(r.station),
    device: {
      shiftNumber: d.shiftNumber,
      saleReceipts: d.saleReceipts,
      refundReceipts: d.refundReceipts,
      sales: { ...d.sales },
      refunds: { ...d.refunds },
      cashInKop: d.cashInKop,
      cashOutKop: d.cashOutKop,
      cashInDrawerKop: d.cashInDrawerKop,
      unsentCount: d.unsentCount,
      fdNumber: d.fdNumber,
      fiscalSign: d.fiscalSign,
      fiscalDatetime: d.fiscalDatetime,
    },
  };
}

export function dlqView(e: DlqEntry): DlqEntryView {
  return { ...e };
}

export function journalView(e: JournalEntry): JournalEntryView {
  return {
    id: e.id,
    at: e.at,
    kind: e.kind,
    receiptId: e.receiptId,
    message: e.message,
    code: e.code,
    params: e.data,
  };
}
