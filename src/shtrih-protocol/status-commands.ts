// Builders and parsers of the read-only queries the driver uses for status, shift and archive:
// 10h, FF01h, FF39h, FF40h, FF0Ah, FF09h (protocol v1.17 pages next to each). Golden vectors in
// tests/kkt pin the bytes.

import { ByteReader, ByteWriter, readDateTime, type DateTimeYMDHM } from './bytes.ts';
import { Cmd, withPassword } from './codes.ts';
import { trimAscii } from './text.ts';

// ---------------------------------------------------------------- 10h short status (p.17)

export interface ShortStatus {
  operator: number;
  flags: number;
  /** Low nibble of the mode byte: a DeviceMode (2 open, 3 open > 24 h, 4 closed, 8 receipt open…). */
  mode: number;
  /** High nibble: for mode 8 the receipt type (0 sale, 1 purchase, 2 sale return, 3 purchase return). */
  modeStatus: number;
  /** A PrinterSubmode: 0 ready, 1 passive paper out, 2 active paper out, 3 waiting for B0h, 4/5 printing. */
  submode: number;
  operationsInReceipt: number;
  receiptPaperPresent: boolean;
  coverOpen: boolean;
}

export const shortStatusRequest = (password: number): Buffer => withPassword(Cmd.SHORT_STATUS, password);

export function parseShortStatus(data: Uint8Array): ShortStatus {
  const r = new ByteReader(data, '10h');
  r.need(14);
  const operator = r.u8();
  const flags = r.u16();
  const modeByte = r.u8();
  const submode = r.u8();
  const opsLow = r.u8();
  r.skip(4); // battery, supply voltage, legacy FP/EKLZ error bytes (UNCONFIRMED on FN firmware)
  const opsHigh = r.u8();
  return {
    operator,
    flags,
    mode: modeByte & 0x0f,
    modeStatus: modeByte >> 4,
    submode,
    operationsInReceipt: opsHigh * 256 + opsLow,
    // bit1 = receipt roll present; bit7 = receipt optical sensor (1 = paper). Either says "paper".
    receiptPaperPresent: (flags & 0x02) !== 0 || (flags & 0x80) !== 0,
    coverOpen: (flags & 0x0400) !== 0,
  };
}

// ---------------------------------------------------------------- FF01h FN status (p.42–43)

export interface FnStatus {
  /** 0x03 for a normal working FN. */
  lifePhase: number;
  /** 0 none, 1 reg. report, 2 shift-open report, 4 receipt, 8 shift-close report… */
  currentDocument: number;
  documentDataReceived: boolean;
  shiftOpen: boolean;
  warningFlags: number;
  fnDatetime: DateTimeYMDHM;
  fnNumber: string;
  lastFdNumber: number;
}

export const fnStatusRequest = (password: number): Buffer => withPassword(Cmd.FN_STATUS, password);

export function parseFnStatus(data: Uint8Array): FnStatus {
  const r = new ByteReader(data, 'FF01h');
  r.need(30);
  return {
    lifePhase: r.u8(),
    currentDocument: r.u8(),
    documentDataReceived: r.u8() === 1,
    shiftOpen: r.u8() === 1,
    warningFlags: r.u8(),
    fnDatetime: readDateTime(r),
    fnNumber: trimAscii(r.bytes(16)),
    lastFdNumber: r.u32(),
  };
}

// ---------------------------------------------------------------- FF39h OFD exchange status (p.50)

export interface OfdExchangeStatus {
  statusBits: number;
  readingMessage: boolean;
  unsentCount: number;
  firstUnsentFd: number;
  /** null when nothing is queued (all zeros). */
  firstUnsentDatetime: DateTimeYMDHM | null;
}

export const ofdExchangeStatusRequest = (password: number): Buffer =>
  withPassword(Cmd.OFD_EXCHANGE_STATUS, password);

export function parseOfdExchangeStatus(data: Uint8Array): OfdExchangeStatus {
  const r = new ByteReader(data, 'FF39h');
  r.need(13);
  const statusBits = r.u8();
  const readingMessage = r.u8() === 1;
  const unsentCount = r.u16();
  const firstUnsentFd = r.u32();
  const dt = readDateTime(r);
  return {
    statusBits,
    readingMessage,
    unsentCount,
    firstUnsentFd,
    firstUnsentDatetime: dt.month === 0 ? null : dt,
  };
}

// ---------------------------------------------------------------- FF40h shift parameters (p.51)

export interface ShiftParameters {
  shiftOpen: boolean;
  shiftNumber: number;
  /** Receipt number in the shift (the emulator returns the last closed one: UNCONFIRMED on hardware). */
  receiptNumber: number;
}

export const shiftParametersRequest = (password: number): Buffer =>
  withPassword(Cmd.SHIFT_PARAMETERS, password);

export function parseShiftParameters(data: Uint8Array): ShiftParameters {
  const r = new ByteReader(data, 'FF40h');
  return { shiftOpen: r.u8() === 1, shiftNumber: r.u16(), receiptNumber: r.u16() };
}

// ---------------------------------------------------------------- FF0Ah find document (p.45–46)

/** FN archive document types (FF0Ah). */
export const ArchiveDocType = {
  REGISTRATION: 1,
  SHIFT_OPEN: 2,
  RECEIPT: 3,
  BSO: 4,
  SHIFT_CLOSE: 5,
  FN_CLOSE: 6,
  /** FFD document type 31, «кассовый чек коррекции»; as FF0Ah's type byte UNCONFIRMED (javapos TLVTags). */
  CORRECTION_RECEIPT: 31,
} as const;

export interface ArchiveDocument {
  docType: number;
  ofdAcknowledged: boolean;
  datetime: DateTimeYMDHM;
  fdNumber: number;
  fiscalSign: number;
  /** Receipt/BSO: 1054 operation type and amount. */
  operation?: number;
  amountKop?: number;
  /** Shift open/close: shift number. */
  shiftNumber?: number;
}

export function findDocumentRequest(password: number, fdNumber: number): Buffer {
  return withPassword(Cmd.FIND_DOCUMENT, password, new ByteWriter().u32(fdNumber).toBuffer());
}

export function parseFindDocument(data: Uint8Array): ArchiveDocument {
  const r = new ByteReader(data, 'FF0Ah');
  const doc: ArchiveDocument = {
    docType: r.u8(),
    ofdAcknowledged: r.u8() === 1,
    datetime: readDateTime(r),
    fdNumber: r.u32(),
    fiscalSign: r.u32(),
  };
  const withAmount: number[] = [
    ArchiveDocType.RECEIPT,
    ArchiveDocType.BSO,
    ArchiveDocType.CORRECTION_RECEIPT,
  ];
  if (withAmount.includes(doc.docType) && r.remaining >= 6) {
    doc.operation = r.u8();
    doc.amountKop = r.money();
  } else if (
    (doc.docType === ArchiveDocType.SHIFT_OPEN || doc.docType === ArchiveDocType.SHIFT_CLOSE) &&
    r.remaining >= 2
  ) {
    doc.shiftNumber = r.u16();
  }
  return doc;
}

// ---------------------------------------------------------------- FF09h registration result (p.44–45)

export interface RegistrationResult {
  datetime: DateTimeYMDHM;
  inn: string;
  regNumber: string;
  /** Tag 1062 bitmask: the tax systems the KKT is registered for (src/shared/tax-systems.ts). */
  taxSystems: number;
  /** Work-mode bits: 0 encryption, 1 autonomous, 2 automatic, 3 services, 4 BSO, 5 internet. */
  workMode: number;
  /** FFD 1.1+ form only (bits UNCONFIRMED), else null. */
  extendedWorkMode: number | null;
  /** FFD 1.1+ form only: the OFD's INN, else null. */
  ofdInn: string | null;
}

export const registrationResultRequest = (password: number): Buffer =>
  withPassword(Cmd.REGISTRATION_RESULT, password);

/**
 * FFD 1.05 form (47 data bytes) or the FFD 1.1+ form (64: extended work flags, OFD INN, reason code before
 * FD/FP), told apart by length as javapos does.
 */
export function parseRegistrationResult(data: Uint8Array): RegistrationResult {
  const r = new ByteReader(data, 'FF09h');
  r.need(39);
  const long = data.length >= 64;
  return {
    datetime: readDateTime(r),
    inn: trimAscii(r.bytes(12)),
    regNumber: trimAscii(r.bytes(20)),
    taxSystems: r.u8(),
    workMode: r.u8(),
    extendedWorkMode: long ? r.u8() : null,
    ofdInn: long ? trimAscii(r.bytes(12)) : null,
  };
}
