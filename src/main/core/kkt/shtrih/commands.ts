// Pure builders (host → KKT payloads) and parsers (KKT answer data → objects) for the command subset
// of kkt-protocol.md §1.4. A payload is what the frame's LEN counts: command code (1 byte, or FF+sub)
// followed by the parameters. No I/O here; golden vectors in tests/kkt pin the bytes.

import { ByteReader, ByteWriter, ProtocolError } from './bytes.ts';
import { encodeCp1251Max, encodeCp866, trimAscii } from './text.ts';

export { ProtocolError } from './bytes.ts';

/** Command codes; values above 0xFF are the two-byte FFxx commands. */
export const Cmd = {
  SHORT_STATUS: 0x10,
  FULL_STATUS: 0x11,
  PRINT_STRING: 0x17,
  /** Read a cash (money) register: not in the digest's subset, see readCashRegister. */
  READ_CASH_REGISTER: 0x1a,
  /** Read an operation (counter) register. */
  READ_OPERATION_REGISTER: 0x1b,
  X_REPORT: 0x40,
  Z_REPORT: 0x41,
  CASH_IN: 0x50,
  CASH_OUT: 0x51,
  CANCEL_RECEIPT: 0x88,
  OPEN_RECEIPT: 0x8d,
  CONTINUE_PRINT: 0xb0,
  OPEN_SHIFT: 0xe0,
  FN_STATUS: 0xff01,
  REGISTRATION_RESULT: 0xff09,
  FIND_DOCUMENT: 0xff0a,
  WRITE_TLV: 0xff0c,
  OFD_EXCHANGE_STATUS: 0xff39,
  SHIFT_PARAMETERS: 0xff40,
  CLOSE_RECEIPT_V2: 0xff45,
  OPERATION_V2: 0xff46,
} as const;

/** Default passwords (§1.2): cashier 1…28, administrator 29, system administrator 30. */
export const SYSADMIN_PASSWORD = 30;

export function commandName(code: number): string {
  return code > 0xff ? `FF${(code & 0xff).toString(16).toUpperCase().padStart(2, '0')}h` : `${code.toString(16).toUpperCase().padStart(2, '0')}h`;
}

export function commandCodeBytes(code: number): number[] {
  return code > 0xff ? [0xff, code & 0xff] : [code];
}

/** `code | PWD | data`: the layout of almost every request. */
export function withPassword(code: number, password: number, data: Uint8Array = new Uint8Array()): Buffer {
  return new ByteWriter().bytes(commandCodeBytes(code)).u32(password).bytes(data).toBuffer();
}

// ---------------------------------------------------------------- answers

export interface Answer {
  code: number;
  /** Device error code; 0 = OK. */
  error: number;
  /** Bytes after ERR (empty when ERR ≠ 0). */
  data: Uint8Array;
}

/**
 * Splits an answer payload into code / ERR / data (§5.4). For FF-commands both `FF sub ERR` and the
 * javapos-tolerated `FF ERR` error form are accepted. A code that is not ours is a protocol error.
 */
export function parseAnswer(expectedCode: number, payload: Uint8Array): Answer {
  const name = commandName(expectedCode);
  if (expectedCode > 0xff) {
    const sub = expectedCode & 0xff;
    if (payload.length < 2 || payload[0] !== 0xff) {
      throw new ProtocolError(`${name}: unexpected answer code ${payload.length ? payload[0]!.toString(16) : '(empty)'}`);
    }
    if (payload[1] === sub) {
      if (payload.length < 3) throw new ProtocolError(`${name}: answer without an error byte`);
      return { code: expectedCode, error: payload[2]!, data: payload.subarray(3) };
    }
    if (payload.length === 2) return { code: expectedCode, error: payload[1]!, data: new Uint8Array() };
    throw new ProtocolError(`${name}: answer for another command FF${payload[1]!.toString(16).toUpperCase()}h`);
  }
  if (payload.length < 2) throw new ProtocolError(`${name}: answer too short (${payload.length} byte(s))`);
  if (payload[0] !== expectedCode) {
    throw new ProtocolError(`${name}: answer for another command ${commandName(payload[0]!)}`);
  }
  return { code: expectedCode, error: payload[1]!, data: payload.subarray(2) };
}

// ---------------------------------------------------------------- common field types

export interface DateTimeYMDHM {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** FN DATE_TIME: YY MM DD hh mm (YY = year − 2000). */
export function readDateTime(r: ByteReader): DateTimeYMDHM {
  const [yy, month, day, hour, minute] = [r.u8(), r.u8(), r.u8(), r.u8(), r.u8()];
  return { year: 2000 + yy, month, day, hour, minute };
}

export function dateTimeIso(d: DateTimeYMDHM, seconds = 0): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.year}-${p(d.month)}-${p(d.day)}T${p(d.hour)}:${p(d.minute)}:${p(seconds)}`;
}

// ---------------------------------------------------------------- 10h short status

export interface ShortStatus {
  operator: number;
  flags: number;
  /** Low nibble of the mode byte (§1.3): 2 open, 3 open > 24 h, 4 closed, 8 receipt open… */
  mode: number;
  /** High nibble: for mode 8 the receipt type (0 sale, 1 purchase, 2 sale return, 3 purchase return). */
  modeStatus: number;
  /** 0 ready, 1 passive paper out, 2 active paper out, 3 waiting for B0h, 4/5 printing. */
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

// ---------------------------------------------------------------- 11h full status

export interface FullStatus {
  operator: number;
  firmwareVersion: string;
  firmwareBuild: number;
  documentNumber: number;
  mode: number;
  submode: number;
  /** KKT clock, local time, ISO without zone. */
  kktDatetime: string;
  serialNumber: number;
  lastClosedShift: number;
  /** null when the INN is not set (FF×6). */
  inn: string | null;
}

export const fullStatusRequest = (password: number): Buffer => withPassword(Cmd.FULL_STATUS, password);

export function parseFullStatus(data: Uint8Array): FullStatus {
  const r = new ByteReader(data, '11h');
  r.need(46);
  const operator = r.u8();
  const ver = r.bytes(2);
  const firmwareBuild = r.u16();
  r.skip(3); // firmware date
  r.skip(1); // number in hall
  const documentNumber = r.u16();
  r.skip(2); // flags
  const modeByte = r.u8();
  const submode = r.u8();
  r.skip(1); // port
  r.skip(7); // legacy FP version/build/date (UNCONFIRMED on FN firmware)
  const [dd, mm, yy] = [r.u8(), r.u8(), r.u8()];
  const [h, mi, s] = [r.u8(), r.u8(), r.u8()];
  r.skip(1); // legacy FP flags
  const serialLow = r.u32();
  const lastClosedShift = r.u16();
  r.skip(4); // free FP records, re-registrations done/left
  const innBytes = r.bytes(6);
  const innUnset = innBytes.every((b) => b === 0xff);
  let inn = 0;
  for (let i = 5; i >= 0; i--) inn = inn * 256 + innBytes[i]!;
  const serialHigh = r.remaining >= 2 ? r.u16() : 0;
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    operator,
    firmwareVersion: `${String.fromCharCode(ver[0]!)}.${String.fromCharCode(ver[1]!)}`,
    firmwareBuild,
    documentNumber,
    mode: modeByte & 0x0f,
    submode,
    kktDatetime: `${2000 + yy}-${p(mm)}-${p(dd)}T${p(h)}:${p(mi)}:${p(s)}`,
    serialNumber: serialHigh * 2 ** 32 + serialLow,
    lastClosedShift,
    inn: innUnset ? null : String(inn),
  };
}

// ---------------------------------------------------------------- simple "PWD → operator" commands

export const openShiftRequest = (password: number): Buffer => withPassword(Cmd.OPEN_SHIFT, password);
export const xReportRequest = (password: number): Buffer => withPassword(Cmd.X_REPORT, password);
export const zReportRequest = (password: number): Buffer => withPassword(Cmd.Z_REPORT, password);
export const cancelReceiptRequest = (password: number): Buffer => withPassword(Cmd.CANCEL_RECEIPT, password);
export const continuePrintRequest = (password: number): Buffer => withPassword(Cmd.CONTINUE_PRINT, password);

/** 8Dh receipt types. */
export const ReceiptType = { SALE: 0, PURCHASE: 1, SALE_RETURN: 2, PURCHASE_RETURN: 3 } as const;

export function openReceiptRequest(password: number, receiptType: number): Buffer {
  return withPassword(Cmd.OPEN_RECEIPT, password, Buffer.from([receiptType]));
}

/**
 * `operator` from answers of E0h/40h/41h/88h/8Dh/B0h/17h. E0h may answer without it (the spec says
 * length 2, the drivers read 3: UNCONFIRMED), so its absence is tolerated.
 */
export function parseOperatorAnswer(data: Uint8Array): { operator: number | null } {
  return { operator: data.length >= 1 ? data[0]! : null };
}

/** 17h: flags bit0 journal, bit1 receipt tape. Text cp1251, at most 40 bytes on most models. */
export function printStringRequest(password: number, text: string, flags = 0x02): Buffer {
  return withPassword(Cmd.PRINT_STRING, password, new ByteWriter().u8(flags).bytes(encodeCp1251Max(text, 40)).toBuffer());
}

// ---------------------------------------------------------------- 50h / 51h cash in / out

export function cashInRequest(password: number, amountKop: number): Buffer {
  return withPassword(Cmd.CASH_IN, password, new ByteWriter().money(amountKop).toBuffer());
}

export function cashOutRequest(password: number, amountKop: number): Buffer {
  return withPassword(Cmd.CASH_OUT, password, new ByteWriter().money(amountKop).toBuffer());
}

export function parseCashInOutAnswer(data: Uint8Array): { operator: number; documentNumber: number } {
  const r = new ByteReader(data, '50h/51h');
  return { operator: r.u8(), documentNumber: r.u16() };
}

// ---------------------------------------------------------------- 1Ah / 1Bh registers

/**
 * Register numbers from the vendor's javapos `CashRegister.java` (not in the digest; layout of 1Ah/1Bh
 * as in pyshtrih: `PWD reg(1)` → `operator value(6)` / `operator value(2)`). UNCONFIRMED on hardware.
 */
export const CashRegisterNo = {
  SALES_CASH_SHIFT: 0xc1,
  SALE_RETURNS_CASH_SHIFT: 0xc3,
  SALES_PAYMENT2_SHIFT: 0xc5,
  SALE_RETURNS_PAYMENT2_SHIFT: 0xc7,
  SALES_PAYMENT3_SHIFT: 0xc9,
  SALE_RETURNS_PAYMENT3_SHIFT: 0xcb,
  CASH_IN_DRAWER: 0xf1,
  CASH_IN_SHIFT: 0xf2,
  CASH_OUT_SHIFT: 0xf3,
} as const;

/** Operation registers 144…147: receipts per operation type (sale, purchase, sale return, purchase return) in the shift. */
export const OperationRegisterNo = { SALE_RECEIPTS_SHIFT: 144, SALE_RETURN_RECEIPTS_SHIFT: 146 } as const;

export function readCashRegisterRequest(password: number, register: number): Buffer {
  return withPassword(Cmd.READ_CASH_REGISTER, password, Buffer.from([register]));
}

export function parseCashRegister(data: Uint8Array): number {
  const r = new ByteReader(data, '1Ah');
  r.u8();
  return r.uint(6);
}

export function readOperationRegisterRequest(password: number, register: number): Buffer {
  return withPassword(Cmd.READ_OPERATION_REGISTER, password, Buffer.from([register]));
}

export function parseOperationRegister(data: Uint8Array): number {
  const r = new ByteReader(data, '1Bh');
  r.u8();
  return r.u16();
}

// ---------------------------------------------------------------- FF46h operation V2

/** 1054 values used by FF46h: 1 приход, 2 возврат прихода, 3 расход, 4 возврат расхода. */
export const OperationType = { SALE: 1, SALE_RETURN: 2, PURCHASE: 3, PURCHASE_RETURN: 4 } as const;

export interface OperationV2 {
  password: number;
  operation: number;
  /** Quantity in millionths (1 pc = 1 000 000). */
  quantityMicro: number;
  priceKop: number;
  /** Exact line sum, or null to let the KKT compute price × quantity. */
  sumKop: number | null;
  /** VAT amount of the line, or null (the KKT computes it in tax-accrual mode 0). */
  taxKop: number | null;
  vatByte: number;
  department: number;
  paymentMethod: number;
  paymentSubject: number;
  /** cp1251, cut to 128 bytes; sent unpadded like javapos does. */
  name: string;
}

export function operationV2Request(op: OperationV2): Buffer {
  const w = new ByteWriter().bytes(commandCodeBytes(Cmd.OPERATION_V2)).u32(op.password).u8(op.operation).uint(op.quantityMicro, 6).money(op.priceKop);
  if (op.sumKop === null) w.fill(0xff, 5);
  else w.money(op.sumKop);
  if (op.taxKop === null) w.fill(0xff, 5);
  else w.money(op.taxKop);
  w.u8(op.vatByte).u8(op.department).u8(op.paymentMethod).u8(op.paymentSubject).bytes(encodeCp1251Max(op.name, 128));
  return w.toBuffer();
}

// ---------------------------------------------------------------- FF45h close receipt V2

export interface CloseReceiptV2 {
  password: number;
  cashKop: number;
  /** Payment types 2…13 (all reported as electronic, tag 1081); missing entries are 0. */
  electronicKop: readonly number[];
  /** Types 14…16: prepayment offset (1215), credit (1216), counter-provision (1217). */
  prepaymentKop?: number;
  creditKop?: number;
  counterProvisionKop?: number;
  roundingKop?: number;
  /** Tag 1055 bitmask, exactly one bit. */
  taxSystem: number;
  /** Footer text, cp1251, ≤ 64 bytes. */
  text?: string;
}

export function closeReceiptV2Request(c: CloseReceiptV2): Buffer {
  if (c.electronicKop.length > 12) throw new RangeError('FF45h carries at most 12 electronic payment types (2…13)');
  const w = new ByteWriter().bytes(commandCodeBytes(Cmd.CLOSE_RECEIPT_V2)).u32(c.password).money(c.cashKop);
  for (let i = 0; i < 12; i++) w.money(c.electronicKop[i] ?? 0);
  w.money(c.prepaymentKop ?? 0).money(c.creditKop ?? 0).money(c.counterProvisionKop ?? 0);
  w.u8(c.roundingKop ?? 0);
  w.fill(0, 30); // six tax sums: ignored in tax-accrual mode 0, the KKT computes them
  w.u8(c.taxSystem);
  if (c.text) w.bytes(encodeCp1251Max(c.text, 64));
  return w.toBuffer();
}

export interface CloseReceiptResult {
  changeKop: number;
  fdNumber: number;
  fiscalSign: number;
  /** Only in the extended answer (LEN 21). */
  datetime: DateTimeYMDHM | null;
}

export function parseCloseReceiptV2(data: Uint8Array): CloseReceiptResult {
  const r = new ByteReader(data, 'FF45h');
  const changeKop = r.money();
  const fdNumber = r.u32();
  const fiscalSign = r.u32();
  const datetime = r.remaining >= 5 ? readDateTime(r) : null;
  return { changeKop, fdNumber, fiscalSign, datetime };
}

// ---------------------------------------------------------------- FF0Ch TLV

export function tlv(tag: number, value: Uint8Array): Buffer {
  return new ByteWriter().u16(tag).u16(value.length).bytes(value).toBuffer();
}

/** String TLV: the FN stores CP866. */
export function tlvString(tag: number, text: string): Buffer {
  return tlv(tag, encodeCp866(text));
}

export function writeTlvRequest(password: number, tlvBytes: Uint8Array): Buffer {
  if (tlvBytes.length > 250) throw new RangeError(`FF0Ch: TLV of ${tlvBytes.length} bytes exceeds 250`);
  return withPassword(Cmd.WRITE_TLV, password, tlvBytes);
}

// ---------------------------------------------------------------- FF01h FN status

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

// ---------------------------------------------------------------- FF39h OFD exchange status

export interface OfdExchangeStatus {
  statusBits: number;
  readingMessage: boolean;
  unsentCount: number;
  firstUnsentFd: number;
  /** null when nothing is queued (all zeros). */
  firstUnsentDatetime: DateTimeYMDHM | null;
}

export const ofdExchangeStatusRequest = (password: number): Buffer => withPassword(Cmd.OFD_EXCHANGE_STATUS, password);

export function parseOfdExchangeStatus(data: Uint8Array): OfdExchangeStatus {
  const r = new ByteReader(data, 'FF39h');
  r.need(13);
  const statusBits = r.u8();
  const readingMessage = r.u8() === 1;
  const unsentCount = r.u16();
  const firstUnsentFd = r.u32();
  const dt = readDateTime(r);
  return { statusBits, readingMessage, unsentCount, firstUnsentFd, firstUnsentDatetime: dt.month === 0 ? null : dt };
}

// ---------------------------------------------------------------- FF40h shift parameters

export interface ShiftParameters {
  shiftOpen: boolean;
  shiftNumber: number;
  /** Receipt number in the shift (the emulator returns the last closed one: UNCONFIRMED on hardware). */
  receiptNumber: number;
}

export const shiftParametersRequest = (password: number): Buffer => withPassword(Cmd.SHIFT_PARAMETERS, password);

export function parseShiftParameters(data: Uint8Array): ShiftParameters {
  const r = new ByteReader(data, 'FF40h');
  return { shiftOpen: r.u8() === 1, shiftNumber: r.u16(), receiptNumber: r.u16() };
}

// ---------------------------------------------------------------- FF0Ah find document

/** FN archive document types (FF0Ah). */
export const ArchiveDocType = { REGISTRATION: 1, SHIFT_OPEN: 2, RECEIPT: 3, BSO: 4, SHIFT_CLOSE: 5, FN_CLOSE: 6 } as const;

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
  if ((doc.docType === ArchiveDocType.RECEIPT || doc.docType === ArchiveDocType.BSO) && r.remaining >= 6) {
    doc.operation = r.u8();
    doc.amountKop = r.money();
  } else if ((doc.docType === ArchiveDocType.SHIFT_OPEN || doc.docType === ArchiveDocType.SHIFT_CLOSE) && r.remaining >= 2) {
    doc.shiftNumber = r.u16();
  }
  return doc;
}

// ---------------------------------------------------------------- FF09h registration result

export interface RegistrationResult {
  datetime: DateTimeYMDHM;
  inn: string;
  regNumber: string;
  taxSystems: number;
  workMode: number;
}

export const registrationResultRequest = (password: number): Buffer => withPassword(Cmd.REGISTRATION_RESULT, password);

/** FFD 1.05 form (47 data bytes); longer FFD 1.1 forms are parsed up to the fields we use. */
export function parseRegistrationResult(data: Uint8Array): RegistrationResult {
  const r = new ByteReader(data, 'FF09h');
  r.need(39);
  return {
    datetime: readDateTime(r),
    inn: trimAscii(r.bytes(12)),
    regNumber: trimAscii(r.bytes(20)),
    taxSystems: r.u8(),
    workMode: r.u8(),
  };
}
