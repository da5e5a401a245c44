// The station's view of a fiscal register (KKT). The fiscal orchestrator and the shift service speak
// only this interface; the Shtrih-M driver (serial, TCP or the in-process byte-level emulator)
// implements it. Money is integer kopecks, quantity integer thousandths (1 pc = 1000). A failure is a
// KktError (src/shared/errors.ts): refused (nothing was done) or outcome unknown (reconcile, never retry).
import type { FnExchangePort } from './fn-exchange-port.ts';

import type { FnWarning } from '../../../shared/fn-health.ts';
import type { KktPaymentTotals, KktShiftCounters } from '../../../shared/contract.ts';
import type { TaxSystem, TaxSystemChoice } from '../../../shared/tax-systems.ts';
import type { QrAsTextWhy } from '../../../shared/journal-codes.ts';

/** VAT codes of the receipt API; the driver maps them to the device's tax byte (src/shtrih-protocol/vat.ts). */
export const VAT_CODES = [
  'vat22', // 22 % (from 2026)
  'vat20',
  'vat10',
  'vat7',
  'vat5',
  'vat0',
  'vat122', // 22/122 (prepayment, calculated rate)
  'vat120',
  'vat110',
  'vat107',
  'vat105',
  'none', // не облагается
] as const;
export type VatCode = (typeof VAT_CODES)[number];

/** 1054 признак расчёта: a sale is "приход" (1), a refund "возврат прихода" (2). */
export type ReceiptOperation = 'sale' | 'refund';

export interface KktReceiptLine {
  name: string;
  priceKop: number;
  /** Thousandths of a unit: 1 pc = 1000, 0.250 kg = 250. */
  quantityMilli: number;
  totalKop: number;
  vat: VatCode;
  /** Tag 1214 признак способа расчёта; 4 = полный расчёт. */
  paymentMethod: number;
  /** Tag 1212 признак предмета расчёта; 1 = товар. */
  paymentSubject: number;
  /** A marked good (Честный ЗНАК): checked by the FN before the receipt opens, bound to this line. */
  mark?: KktLineMark;
  /** Tag 2108 мера количества (FFD 1.2), sent after the line with FF4Dh; absent = 0 (шт). 11 = кг. */
  measure?: number;
  /**
   * A discounted line (fiscal/discount-lines.ts): the price before the discount and how much less this
   * line costs. The KKT gets only the final price and sum; this is for the receipt's views and the OFD.
   */
  discount?: { priceBeforeKop: number; discountKop: number };
}

/** An FFD 1.2 correction receipt (чек коррекции): what is corrected and the document it rests on. */
export interface KktCorrection {
  /** Tag 1173: 'self' (самостоятельно, 0) or 'order' (по предписанию налогового органа, 1). */
  kind: 'self' | 'order';
  /** Tag 1178 (in STLV 1174): the date of the corrected settlement / reason document, YYYY-MM-DD. */
  reasonDate: string;
  /** Tag 1179 (in STLV 1174): the reason document's number (the tax authority's order, or the act). */
  reasonNumber: string;
}

/** The marking code of one line, and what the permit service said before the receipt was stored. */
export interface KktLineMark {
  /** The GS1 element string as the KKT is sent it (GS = 0x1D), src/shared/marking-code.ts. */
  code: string;
  gtin: string;
  serial: string;
  /** Sold by weight (the code carries AI 310n): FF61h status 2/4 with the quantity in kg; else one piece. */
  measured: boolean;
  /** The permit-mode (разрешительный режим) check; absent on receipts stored before it existed. */
  permit?: MarkPermitResult;
}

/**
 * The permit service's verdict on a sold code: `passed` with the request's id and time (they go to the OFD
 * as tag 1265 of the industry requisite 1260), or `not_done` when the service was not configured or did not
 * answer in time — the law lets the sale go on then, and the receipt records that the check was not done.
 */
export type MarkPermitResult =
  { status: 'passed'; reqId: string; reqTimestamp: number } | { status: 'not_done'; reason: string };

export interface KktReceiptRequest {
  operation: ReceiptOperation;
  lines: KktReceiptLine[];
  cashKop: number;
  cardKop: number;
  otherKop: number;
  /** Tag 1021. */
  cashierName?: string;
  /** Tag 1203, the cashier's 12-digit INN (checked by the caller). */
  cashierInn?: string;
  /** Tag 1008, e-mail or phone for an electronic copy. */
  buyerContact?: string;
  /** Present for a correction receipt of `operation` (FFD 1.2: 8Dh 0x80 + type, 1173, 1174). */
  correction?: KktCorrection;
}

/** What the KKT returns for a printed fiscal receipt (the fiscal attributes the buffer stores). */
export interface FiscalAttributes {
  fdNumber: number; // 1040
  fiscalSign: number; // 1077 as printed (UInt32)
  fnNumber: string; // 1041
  kktRegNumber: string; // 1037
  shiftNumber: number; // 1038
  receiptNumber: number; // 1042
  /** Local KKT time of the document, ISO 8601 without zone (YYYY-MM-DDTHH:MM:SS). */
  fiscalDatetime: string;
  totalKop: number;
  changeKop: number;
  /** QR string, see fiscalQr. */
  qr: string;
}

/** A document from the fiscal archive: enough to recognise a receipt after a crash. */
export interface KktDocument {
  fdNumber: number;
  kind: 'receipt' | 'correction' | 'shift_open' | 'shift_close' | 'other';
  operation?: ReceiptOperation;
  totalKop?: number;
  fiscalSign: number;
  fiscalDatetime: string;
  /** Shift and receipt number, when the device can tell them (it can for the last document). */
  shiftNumber?: number;
  receiptNumber?: number;
}

export interface KktStatus {
  connected: boolean;
  /** True for an emulator: a test and demo device, never a fiscal one. */
  emulated: boolean;
  label: string;
  shiftOpen: boolean;
  shiftNumber: number;
  shiftOpenedAt: string | null;
  /** The shift is older than 24 h: sales are blocked until the Z report. */
  shiftExpired: boolean;
  paperPresent: boolean;
  coverOpen: boolean;
  fnNumber: string;
  /** 1037 registration number of the KKT. */
  kktRegNumber: string;
  lastFdNumber: number;
  /** Documents the FN still has to deliver to the OFD, and the date of the oldest. */
  unsentCount: number;
  oldestUnsentAt: string | null;
  /** Registration (FF09h): the tax systems the KKT is registered for (tag 1062), and its work-mode bits. */
  taxSystems: TaxSystem[];
  workModes: number;
  /** The system receipts are issued under (tag 1055): configured, or the only registered one; else null. */
  taxSystem: TaxSystem | null;
  /** The configured system (taxSystem / STATION_TAX_SYSTEM), or null. */
  configuredTaxSystem: TaxSystem | null;
  /** Why no system can be used ('mismatch': configured but not registered), or null. */
  taxSystemProblem: Extract<TaxSystemChoice, { ok: false }>['problem'] | null;
  /** FFD version ("1.2"), or null when the model does not tell. */
  ffdVersion: string | null;
  /** FN validity date (FF03h), YYYY-MM-DD, or null before it was read. */
  fnExpiresOn: string | null;
  /** The FN's warning flags (FF01h): replacement in 3 / 30 days, memory 90 % full, OFD timeout. */
  fnWarnings: FnWarning[];
  /** Printer detail: 'awaiting_continue' = paper was replaced mid-document, call continuePrint(). */
  printer?: 'ready' | 'printing' | 'paper_out' | 'awaiting_continue';
  /** Why connected is false, or what blocks sales, in words a cashier understands. */
  problem?: string;
}

export interface Kkt {
  readonly label: string;
  readonly emulated: boolean;
  /**
   * Why the line to the device is gone for good (the port was closed by the OS, a write never
   * completed), or null while it works: this handle will not work again, open a new one. Absent on
   * devices that cannot lose their line (the in-process emulator) and on wrappers that reconnect.
   */
  readonly lineLost?: string | null;
  /** The FN's OFD messages through the host (kkt-protocol.md §7.7); absent on devices without it. */
  readonly fnExchange?: FnExchangePort;
  printReceipt(request: KktReceiptRequest): Promise<FiscalAttributes>;
  /** The last fiscal document in the archive, or null when there is none. */
  lastDocument(): Promise<KktDocument | null>;
  /** One document by FD number, or null when the archive has no such document. */
  document(fdNumber: number): Promise<KktDocument | null>;
  status(): Promise<KktStatus>;
  close(): Promise<void>;

  /** Opens the shift (prints the opening report, with 1021/1203); returns the current one when it is already open. */
  openShift(cashierName?: string, cashierInn?: string): Promise<KktShiftDocument>;
  /** X report: prints and returns the shift counters without closing the shift. */
  xReport(): Promise<KktShiftReport>;
  /** Z report: closes the shift; the counters are those of the closed shift. */
  closeShift(cashierName?: string, cashierInn?: string): Promise<KktShiftReport>;
  cashIn(amountKop: number): Promise<KktCashOperation>;
  cashOut(amountKop: number): Promise<KktCashOperation>;
  /** Cancels a receipt left open on the device (e.g. after a crash). True when one was open. */
  cancelReceipt(): Promise<boolean>;
  /** Resumes printing after a new paper roll was loaded (B0h). */
  continuePrint(): Promise<void>;
  /** Opens the cash drawer wired to the KKT (28h), drawer 0 or 1. Not a document. */
  openDrawer(drawer: number): Promise<void>;
  /**
   * Prints a non-fiscal document on the receipt tape, e.g. a receipt copy: text lines (17h) and QR codes the
   * KKT draws itself (DDh + DEh). A QR the KKT will not draw is printed as its text instead, and said so in
   * the result: the printout never fails because of a QR.
   */
  printText(lines: readonly PrintLine[]): Promise<PrintTextResult>;
}

/** One piece of a non-fiscal printout: a text line (at most 32 characters print whole), or a QR code. */
export type PrintLine = string | { qr: string };

/** A QR code printed as its text, because the KKT refused to draw it (an older firmware: 37h). */
export interface QrPrintedAsText {
  data: string;
  /** Who refused: the KKT, or the station's DDh/DEh builders (a RangeError; `reason` is then English). */
  why: QrAsTextWhy;
  /** The refusal in the KKT's words (Russian), or the builders' technical text. */
  reason: string;
  deviceCode: number | null;
}

export interface PrintTextResult {
  qrAsText: QrPrintedAsText[];
}

/** QR string for a receipt (FFD 1.05, ФНС order ЕД-7-20/662@ app. 2, items 14–15): t, s, fn, i, fp, n in this order. */
export function fiscalQr(a: {
  fiscalDatetime: string;
  totalKop: number;
  fnNumber: string;
  fdNumber: number;
  fiscalSign: number;
  operation: ReceiptOperation;
}): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(a.fiscalDatetime);
  if (!m) throw new Error(`fiscalQr: bad datetime ${a.fiscalDatetime}`);
  const t = `${m[1]}${m[2]}${m[3]}T${m[4]}${m[5]}`;
  const s = `${Math.trunc(a.totalKop / 100)}.${String(a.totalKop % 100).padStart(2, '0')}`;
  const n = a.operation === 'sale' ? 1 : 2;
  return `t=${t}&s=${s}&fn=${a.fnNumber}&i=${a.fdNumber}&fp=${a.fiscalSign}&n=${n}`;
}

// ---------------------------------------------------------------------------------------------
// Shift lifecycle and cash drawer.

/** The fiscal document of a shift opening. */
export interface KktShiftDocument {
  shiftNumber: number;
  fdNumber: number;
  fiscalSign: number;
  fiscalDatetime: string;
  /** True when the shift was already open and nothing was printed. */
  alreadyOpen: boolean;
}

// The counters' shape is the contract's: the shift screen shows the report as the KKT gave it.
export type { KktPaymentTotals };

/** X report (shift still open) or Z report (shift closed): the device's own counters. */
export interface KktShiftReport extends KktShiftCounters {
  kind: 'x' | 'z';
}

/** Result of a cash-in (внесение) or cash-out (выплата): non-fiscal drawer documents. */
export interface KktCashOperation {
  amountKop: number;
  /** The KKT's through document number. */
  documentNumber: number;
  cashInDrawerKop: number;
}
