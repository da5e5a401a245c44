// The one contract between the renderer and the main process: the commands the renderer may invoke
// (name → argument → result), the events the main process pushes (name → payload), and the runtime
// allowlists of their names. Two transports carry it, Electron IPC (preload) and HTTP + server-sent
// events (browser host); the renderer does not know which one it talks to.
//
// This module knows neither Node nor Electron nor the DOM. Money is integer kopecks, times ISO 8601.
// About 500 lines: the whole contract in one file, so both transports and both sides read one list.
import type { ReceiptState } from './receipt-states.ts';
import type { OfdFailureWhy } from './ofd-failure.ts';
import type { FnRelayFailureWhy } from './fn-relay-failure.ts';
import type { CommandError } from './errors.ts';
import type { FnWarning } from './fn-health.ts';
import type { TaxSystem } from './tax-systems.ts';
import type { DlqReason } from './dlq-reasons.ts';
import type { JournalCode, JournalParams } from './journal-codes.ts';

/** Handlers answer with a result union instead of throwing: Electron keeps only an error's message. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: CommandError };

// ---------------------------------------------------------------------------------------------
// Views

export type NetworkStatus = 'online' | 'degraded' | 'offline';
export type AlertLevel = 'ok' | 'warning' | 'critical' | 'full';
export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** A circuit breaker as the core keeps it (core/util/counting-breaker.ts) and the status panel shows it. */
export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  totalFailures: number;
  threshold: number;
  openedAt: string | null;
  /** When an open breaker lets the next trial call through. */
  nextAttemptAt: string | null;
  lastFailure: string | null;
}

export interface FiscalDocView {
  fdNumber: number;
  fiscalSign: number;
  fiscalDatetime: string;
  fnNumber: string;
  kktRegNumber: string;
  shiftNumber: number;
  receiptNumber: number;
  qr: string;
  changeKop: number;
}

export interface ReceiptLineView {
  name: string;
  priceKop: number;
  quantityMilli: number;
  totalKop: number;
  vat: string;
  /** Tag 2108 unit code (0 шт, 11 кг, 41 л …; names in units.ts). */
  measure: number;
  /** A discounted line (shared/discounts.ts): the price per unit before, and how much less it costs. */
  priceBeforeKop?: number;
  discountKop?: number;
  /** A marked good: the code bound to the line (GS as \u001d); one piece per code. */
  markCode?: string;
}

export interface ReceiptView {
  id: string;
  type: 'sale' | 'refund' | 'correction';
  state: ReceiptState;
  totalKop: number;
  createdAt: string;
  syncedAt: string | null;
  originalReceiptId: string | null;
  lines: ReceiptLineView[];
  payments: { type: 'cash' | 'card' | 'other'; amountKop: number }[];
  fiscal: FiscalDocView | null;
  attempts: number;
  lastError: string | null;
  /** Tags 1021 and 1203 as printed (null when the KKT used its default cashier). */
  cashierName: string | null;
  cashierInn: string | null;
  /** A sale with discounts: every discount together (totalKop is after them). */
  discountKop?: number;
}

/** A sale found for a refund, with what is left to refund of each line (parallel to receipt.lines). */
export interface RefundableSaleView {
  receipt: ReceiptView;
  lines: { soldMilli: number; refundedMilli: number; leftMilli: number }[];
  refundedKop: number;
}

export interface KktStatusView {
  connected: boolean;
  emulated: boolean;
  label: string;
  mode: 'ready' | 'printing' | 'paper_out' | 'awaiting_continue' | 'unknown';
  problem: string | null;
  shiftOpen: boolean;
  shiftNumber: number;
  shiftOpenedAt: string | null;
  shiftExpired: boolean;
  paperPresent: boolean;
  coverOpen: boolean;
  fnNumber: string;
  lastFdNumber: number;
  /** Documents the FN has not delivered to the OFD yet, and the oldest one's date (the FN blocks after 30 days). */
  unsentCount: number;
  oldestUnsentAt: string | null;
  /** Registration: the tax systems the KKT is registered for, the one receipts use (null: none usable). */
  taxSystems: TaxSystem[];
  taxSystem: TaxSystem | null;
  configuredTaxSystem: TaxSystem | null;
  taxSystemProblem: 'mismatch' | 'not_chosen' | 'none_registered' | null;
  ffdVersion: string | null;
  /** The FN's validity date (YYYY-MM-DD) and its own warning flags. */
  fnExpiresOn: string | null;
  fnWarnings: FnWarning[];
  error: string | null;
}

export interface FnRelayView {
  /** The OFD's TCP server, `host:port`. */
  server: string;
  breakerState: BreakerState;
  lastExchangeAt: string | null;
  nextRunAt: string | null;
  /** English, for support (the tooltip). */
  lastError: string | null;
  /** `lastError` as a code for the UI's words (fn-relay-failure.ts). */
  lastErrorWhy: FnRelayFailureWhy | null;
  lastErrorAt: string | null;
}

export interface StationSnapshot {
  at: string;
  posId: string;
  network: NetworkStatus;
  buffer: {
    capacity: number;
    queued: number;
    percentFull: number;
    alert: AlertLevel;
    counts: Record<ReceiptState, number>;
    dlqSize: number;
    oldestPendingAt: string | null;
    /** Stored but never printed (a request that died with the station, a refusal): not waiting for the OFD. */
    unprinted: number;
  };
  breaker: BreakerSnapshot;
  worker: {
    started: boolean;
    running: boolean;
    manualRunning: boolean;
    lastRunAt: string | null;
    nextRunAt: string | null;
    backoffMs: number;
    lastError: string | null;
    /** `lastError` as a code for the UI's words; null/absent when there is none (words: the raw message). */
    lastErrorWhy?: OfdFailureWhy | null;
    /** The OFD refuses the token: the manager must fix it in the settings. */
    ofdAuthFailure: string | null;
    totals: { runs: number; synced: number; failed: number; deadLettered: number };
  };
  kkt: KktStatusView | null;
  /** The FN → OFD relay (ofdServer set, docs/kkt.md); null/absent when the KKT sends by itself. */
  fnRelay?: FnRelayView | null;
  managerPinSet: boolean;
  /** «Максимальная скидка кассира, %»: the sale screen asks for the manager's PIN above it. */
  discountLimitPercent: number;
  /** The till has a cash drawer on the KKT (cashDrawer: kkt): the manager's «Открыть ящик» is shown. */
  cashDrawer: boolean;
}

export interface PaymentTotalsView {
  count: number;
  cashKop: number;
  cardKop: number;
  otherKop: number;
  totalKop: number;
}

export interface ShiftTotalsView {
  shiftNumber: number;
  receipts: number;
  /** Sales and refunds include correction receipts of each, as the KKT counts them. */
  sales: PaymentTotalsView;
  refunds: PaymentTotalsView;
  corrections: { count: number; saleKop: number; refundKop: number };
  cashInKop: number;
  cashOutKop: number;
  cashBalanceKop: number;
}

export interface ShiftView {
  open: boolean;
  shiftNumber: number;
  openedAt: string | null;
  ageMinutes: number | null;
  expired: boolean;
  totals: ShiftTotalsView;
}

/** Money by payment kind as the KKT counts it (cash net of change). */
export type KktPaymentTotals = Omit<PaymentTotalsView, 'count'>;

/** An X or Z report's counters as the KKT keeps them (core/kkt/kkt.ts KktShiftReport). */
export interface KktShiftCounters {
  shiftNumber: number;
  saleReceipts: number;
  refundReceipts: number;
  sales: KktPaymentTotals;
  refunds: KktPaymentTotals;
  cashInKop: number;
  cashOutKop: number;
  /** Cash the KKT believes is in the drawer. */
  cashInDrawerKop: number;
  /** Documents still waiting for the OFD (printed on the Z report). */
  unsentCount: number;
  /** Z only: the shift-close fiscal document. */
  fdNumber: number | null;
  fiscalSign: number | null;
  fiscalDatetime: string | null;
}

export interface ShiftReportView {
  kind: 'x' | 'z';
  station: ShiftTotalsView;
  device: KktShiftCounters;
}

export interface DlqEntryView {
  receiptId: string;
  reason: string;
  attempts: number;
  lastError: string | null;
  movedAt: string;
  totalKop: number;
  fdNumber: number | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  /** The reason as a code with parameters (the UI words it); null on old entries: show `reason`. */
  why: DlqReason | null;
}

export interface JournalEntryView {
  id: number;
  at: string;
  kind: string;
  receiptId: string | null;
  /** The station's English line: shown only when `code` is null (an entry from before codes). */
  message: string;
  code: JournalCode | null;
  params: JournalParams | null;
}

export interface SyncProgressView {
  done: number;
  total: number;
  synced: number;
  failed: number;
}

export interface SyncResultView {
  synced: number;
  failed: number;
  skipped: number;
  deadLettered: number;
  durationMs: number;
  /** Receipts left waiting because the OFD still does not answer: why, and when it is tried next. */
  heldBack?: { reason: string; why?: OfdFailureWhy | null; nextAttemptAt: string | null };
}

/** Settings a manager may change; secrets are write-only (never sent back). */
export interface SettingsView {
  kkt: string;
  kktBaud: number;
  ofdUrl: string;
  ofdTokenSet: boolean;
  bufferCapacity: number;
  /** «Максимальная скидка кассира, %»: a bigger discount needs the manager's PIN. */
  cashierDiscountLimitPercent: number;
}

export interface SettingsPatch {
  kkt?: string;
  kktBaud?: number;
  ofdUrl?: string;
  ofdToken?: string;
  bufferCapacity?: number;
  cashierDiscountLimitPercent?: number;
}

/** The old REST body: amounts in roubles (number or string, at most 2 decimals). */
export interface ReceiptRequestBody {
  pos_id: string;
  type: 'sale' | 'refund';
  items: {
    name: string;
    price: number | string;
    quantity: number | string;
    total: number | string;
    vat_rate?: string | number;
    vat?: string;
    /** Tag 2108: a code or a name (units.ts). */
    measure?: number | string;
    /** A sale line's discount (shared/discounts.ts): per cent or roubles, and the total after it. */
    discount_percent?: number | string;
    discount_amount?: number | string;
    discounted_total?: number | string;
    /** A marked good's code (Честный ЗНАК, GS1 DataMatrix): one piece per code (src/shared/marking-code.ts). */
    mark_code?: string;
  }[];
  payments: { type: 'cash' | 'card' | 'other'; amount: number | string }[];
  /** The receipt's discount, spread over the lines. */
  discount_percent?: number | string;
  discount_amount?: number | string;
  original_receipt_id?: string;
  /** A sale older than the retention: its FD number and total (manager PIN). */
  original_fiscal?: { fd_number: number; total: number | string };
  /** The manager refunds a sale the OFD has not accepted yet (manager PIN). */
  refund_before_sync?: boolean;
  /** The manager pays a card sale's refund out in cash (manager PIN). */
  payout_override?: boolean;
  buyer_email?: string;
  buyer_phone?: string;
  cashier_name?: string;
  cashier_inn?: string;
}

/** A correction receipt (FFD 1.2 чек коррекции), as POST /v1/kkt/correction takes it. */
export interface CorrectionRequestBody {
  pos_id: string;
  /** The settlement corrected: sale (приход) or refund (возврат прихода), tag 1054. */
  operation: 'sale' | 'refund';
  /** Tag 1173: own decision or a tax authority's order. */
  correction_type: 'self' | 'order';
  /** Tag 1174: the reason document's date (YYYY-MM-DD) and number. */
  reason_document: { date: string; number: string };
  items: ReceiptRequestBody['items'];
  payments: ReceiptRequestBody['payments'];
  cashier_name?: string;
  cashier_inn?: string;
}

/** A catalogue item as the screens show it (src/main/core/catalog). */
export interface CatalogItemView {
  code: string;
  name: string;
  priceKop: number;
  vat: string;
  /** FFD 1.2 tag 2108 unit code (src/shared/units.ts). */
  unit: number;
  barcodes: string[];
  weighed: boolean;
  marked: boolean;
  /** The cashier may change the price at the till. */
  freePrice: boolean;
  paymentSubject: number;
}

/** What a scanned code is: an item (with the weight of a weight label), or why it is none. */
export type CatalogScanView =
  | { kind: 'item'; code: string; item: CatalogItemView; quantityMilli: number | null }
  | {
      kind: 'unknown';
      code: string;
      /** not_found; bad_check_digit: misread, scan again; weight_item_unknown: a scale's label of an unknown item. */
      reason: 'not_found' | 'bad_check_digit' | 'weight_item_unknown';
      itemCode?: string;
    };

/** The manager's item form: the same fields and spellings as a CSV row or the ERP's item. */
export interface CatalogItemForm {
  code: string;
  name: string;
  price: string;
  vat_rate: string;
  unit: number;
  barcodes: string[];
  weighed: boolean;
  marked: boolean;
  price_editable: boolean;
}

export interface CatalogImportView {
  rows: number;
  inserted: number;
  updated: number;
  encoding: 'utf-8' | 'windows-1251';
}

/** A quick key of the sale screen: the item as it is now, and the manager's label (null: its name). */
export interface QuickKeyView {
  code: string;
  label: string | null;
  item: CatalogItemView;
}

/** A cashier who may sign in; never the PIN or its hash. */
export interface CashierView {
  id: number;
  name: string;
  /** A person's INN (12 digits), printed as tag 1203; null when not given. */
  inn: string | null;
  role: 'cashier' | 'manager';
}

/** A new cashier as the forms send it (checked by the core: core/cashiers/cashier.ts). */
export interface CashierForm {
  name: string;
  inn?: string;
  role: 'cashier' | 'manager';
  pin: string;
}

export interface DiagnosticsBundle {
  fileName: string;
  /** A .tar.gz archive, base64: logs, status snapshot, recent journal, redacted configuration. */
  base64: string;
}

// ---------------------------------------------------------------------------------------------
// Commands and events

/** Commands the renderer may invoke: name → [argument, result]. Manager commands carry the PIN. */
export interface Commands {
  'station.snapshot': [void, StationSnapshot];
  /** `managerPin`: for a refund only a manager may make (an old sale, before the OFD, a card sale in cash). */
  'receipt.create': [{ idempotencyKey: string; body: ReceiptRequestBody; managerPin?: string }, ReceiptView];
  'receipt.list': [{ limit?: number; query?: string }, ReceiptView[]];
  /** The sale a refund is for — by the receipt's QR text, its FD number and total, or its id — with what is left. */
  'receipt.refundable': [
    { qr?: string; fdNumber?: number; totalKop?: number; id?: string },
    RefundableSaleView,
  ];
  /** The settled outcome of an earlier attempt (reconciled with the KKT if it was mid-print); prints nothing. */
  'receipt.settle': [{ idempotencyKey: string }, ReceiptView | null];
  'receipt.retryPrint': [{ id: string }, ReceiptView];
  'receipt.void': [{ id: string; reason: string }, ReceiptView];
  'shift.get': [void, ShiftView];
  'shift.open': [{ cashierName?: string; cashierInn?: string }, ShiftView];
  'shift.xReport': [void, ShiftReportView];
  'shift.close': [{ pin: string; cashierName?: string }, ShiftReportView];
  /** The same idempotencyKey for the same operation answers the first result: the drawer moves once. */
  'cash.in': [{ amountKop: number; idempotencyKey?: string }, { amountKop: number; cashInDrawerKop: number }];
  'cash.out': [
    { amountKop: number; idempotencyKey?: string },
    { amountKop: number; cashInDrawerKop: number },
  ];
  'kkt.continuePrint': [void, KktStatusView];
  /** The manager opens the cash drawer (28h); drawer_disabled on a till without one. */
  'kkt.openDrawer': [{ pin: string }, { opened: true }];
  /** «Копия чека»: a non-fiscal copy of receipt `id`, or of the last printed one; answers the receipt copied. */
  'receipt.printCopy': [{ id?: string }, ReceiptView];
  'manager.setPin': [{ currentPin?: string; newPin: string }, { pinSet: true }];
  'manager.verifyPin': [{ pin: string }, { valid: true }];
  'sync.now': [{ pin: string }, SyncResultView];
  'dlq.list': [{ pin: string }, DlqEntryView[]];
  'dlq.retry': [{ pin: string; receiptId: string }, ReceiptView];
  'dlq.resolve': [{ pin: string; receiptId: string; note: string }, DlqEntryView];
  /** Never-printed receipts (not being printed now), oldest first: the manager prints or voids each. */
  'unprinted.list': [{ pin: string }, ReceiptView[]];
  'unprinted.print': [{ pin: string; receiptId: string }, ReceiptView];
  'unprinted.void': [{ pin: string; receiptId: string; reason?: string }, ReceiptView];
  /** A correction receipt: manager only (the PIN), printed and synced like a receipt. */
  'correction.create': [{ pin: string; idempotencyKey: string; body: CorrectionRequestBody }, ReceiptView];
  /** The buffer was lost while the KKT kept documents (sales answer buffer_lost): a manager acknowledges it. */
  'buffer.acknowledgeLoss': [
    { pin: string; managerName?: string },
    { acknowledgedAt: string; acknowledgedBy: string; detectedAt: string; kktLastFd: number },
  ];
  'settings.get': [{ pin: string }, SettingsView];
  'settings.update': [
    { pin: string; patch: SettingsPatch },
    { settings: SettingsView; restartRequired: boolean },
  ];
  'journal.recent': [{ limit?: number }, JournalEntryView[]];
  'diagnostics.export': [void, DiagnosticsBundle];
  /** A scanned or typed code: the item it names, with a weight label's quantity; never an error for an unknown code. */
  'catalog.scan': [{ code: string }, CatalogScanView];
  /** Items by name words (any case), code or barcode. */
  'catalog.search': [{ query: string; limit?: number }, CatalogItemView[]];
  /** The manager adds or edits one item (validation_error details name the form's fields). */
  'catalog.upsert': [{ pin: string; item: CatalogItemForm }, { inserted: number; updated: number }];
  /** The manager imports a CSV file (all rows or none; validation_error details name each row and column). */
  'catalog.import': [{ pin: string; fileName: string; base64: string }, CatalogImportView];
  /** The sale screen's quick keys in the manager's order. */
  'quickKeys.list': [void, QuickKeyView[]];
  /** The manager replaces the whole list (validation_error details name keys[N].code). */
  'quickKeys.set': [{ pin: string; keys: { code: string; label?: string | null }[] }, QuickKeyView[]];
  /** Who may sign in, by name. */
  'cashier.list': [void, CashierView[]];
  /** The cashier whose PIN this is (pin_wrong, pin_locked otherwise): the till then works in their name. */
  'cashier.signIn': [{ cashierId: number; pin: string }, CashierView];
  /** First start only (no cashier yet): the first manager. Refused with conflict once anyone exists. */
  'cashier.createFirst': [{ cashier: Omit<CashierForm, 'role'> }, CashierView];
  /** A manager adds a cashier or a manager. */
  'cashier.create': [{ pin: string; cashier: CashierForm }, CashierView];
}

/** Events the main process pushes: name → payload. */
export interface Events {
  'station.snapshot': StationSnapshot;
  'sync.progress': SyncProgressView;
  'journal.entry': JournalEntryView;
  /** A code read by a serial (COM) scanner: the open screen treats it as a keyboard scanner's (state/scans.ts). */
  'scanner.scan': { code: string };
}

export type CommandName = keyof Commands;
export type CommandArg<K extends CommandName> = Commands[K][0];
export type CommandResult<K extends CommandName> = Commands[K][1];
export type EventName = keyof Events;

/** Runtime allowlists: a transport refuses any name not listed here. */
export const COMMAND_NAMES = [
  'station.snapshot',
  'receipt.create',
  'receipt.list',
  'receipt.refundable',
  'receipt.settle',
  'receipt.retryPrint',
  'receipt.void',
  'shift.get',
  'shift.open',
  'shift.xReport',
  'shift.close',
  'cash.in',
  'cash.out',
  'kkt.continuePrint',
  'kkt.openDrawer',
  'receipt.printCopy',
  'manager.setPin',
  'manager.verifyPin',
  'sync.now',
  'dlq.list',
  'dlq.retry',
  'dlq.resolve',
  'unprinted.list',
  'unprinted.print',
  'unprinted.void',
  'correction.create',
  'buffer.acknowledgeLoss',
  'settings.get',
  'settings.update',
  'journal.recent',
  'diagnostics.export',
  'catalog.scan',
  'catalog.search',
  'catalog.upsert',
  'catalog.import',
  'quickKeys.list',
  'quickKeys.set',
  'cashier.list',
  'cashier.signIn',
  'cashier.createFirst',
  'cashier.create',
] as const satisfies readonly CommandName[];

export const EVENT_NAMES = [
  'station.snapshot',
  'sync.progress',
  'journal.entry',
  'scanner.scan',
] as const satisfies readonly EventName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && (COMMAND_NAMES as readonly string[]).includes(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}

/** The API object the renderer sees as `window.station`, filled by the preload or the browser bootstrap. */
export interface StationApi {
  invoke<K extends CommandName>(
    name: K,
    ...arg: CommandArg<K> extends void ? [] : [CommandArg<K>]
  ): Promise<Result<CommandResult<K>>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void;
  /** Which host carries the contract: shown in the About box and the diagnostics. */
  readonly host: 'electron' | 'browser';
}

/** IPC channel names used by the Electron transport. */
export const IPC_INVOKE_CHANNEL = 'station:invoke';
export const IPC_EVENT_CHANNEL = 'station:event';
