// Builders and parsers of the shift and cash-drawer commands: E0h open shift, 40h X, 41h Z, FF41h/FF42h
// begin open/close shift, 50h/51h cash in/out, 1Ah/1Bh register reads (protocol v1.17 pages next to each).

import { ByteReader, ByteWriter } from './bytes.ts';
import { Cmd, withPassword } from './codes.ts';

// ---------------------------------------------------------------- E0h (p.38) / 40h / 41h (p.26) / FF41h / FF42h: `PWD → operator`

export const openShiftRequest = (password: number): Buffer => withPassword(Cmd.OPEN_SHIFT, password);
export const xReportRequest = (password: number): Buffer => withPassword(Cmd.X_REPORT, password);
export const zReportRequest = (password: number): Buffer => withPassword(Cmd.Z_REPORT, password);
export const beginOpenShiftRequest = (password: number): Buffer =>
  withPassword(Cmd.BEGIN_OPEN_SHIFT, password);
export const beginCloseShiftRequest = (password: number): Buffer =>
  withPassword(Cmd.BEGIN_CLOSE_SHIFT, password);

// ---------------------------------------------------------------- 50h / 51h cash in / out (p.28)

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
 * Register numbers from the vendor's javapos `CashRegister.java` (not in protocol v1.17's FN edition; layout of 1Ah/1Bh
 * as in pyshtrih: `PWD reg(1)` → `operator value(6)` / `operator value(2)`). UNCONFIRMED on hardware.
 */
export const CashRegisterNo = {
  SALES_CASH_SHIFT: 0xc1,
  SALE_RETURNS_CASH_SHIFT: 0xc3,
  SALES_PAYMENT2_SHIFT: 0xc5,
  SALE_RETURNS_PAYMENT2_SHIFT: 0xc7,
  SALES_PAYMENT3_SHIFT: 0xc9,
  SALE_RETURNS_PAYMENT3_SHIFT: 0xcb,
  /**
   * Payment type 14 (prepayment offset, tag 1215) in the shift: the "К-registers" of types 5…16 are
   * 4144 + operation + (type − 5) × 4 (javapos SMFiscalPrinterImpl.readDayPayments), read with a
   * 2-byte register number (javapos ReadCashRegister; protocol v1.17 p.22 "Номер К-регистра").
   */
  SALES_PREPAYMENT_SHIFT: 4144 + 36,
  SALE_RETURNS_PREPAYMENT_SHIFT: 4144 + 36 + 2,
  CASH_IN_DRAWER: 0xf1,
  CASH_IN_SHIFT: 0xf2,
  CASH_OUT_SHIFT: 0xf3,
} as const;

/**
 * Operation registers 144…147: receipts per operation type (sale, purchase, sale return, purchase return) in the shift.
 * 0…63: operations (item lines) in the open receipt, `4 × (department − 1) + type` (0 sale, 2 sale return):
 * the vendor's names "Количество продаж / возврата продаж в N отдел в чеке" (UNCONFIRMED on hardware).
 */
export const OperationRegisterNo = {
  SALE_RECEIPTS_SHIFT: 144,
  SALE_RETURN_RECEIPTS_SHIFT: 146,
  SALE_LINES_DEPT1_RECEIPT: 0,
  SALE_RETURN_LINES_DEPT1_RECEIPT: 2,
} as const;

/** 1Ah: a 1-byte register number up to 255, a 2-byte LE "К-register" number above (as javapos). */
export function readCashRegisterRequest(password: number, register: number): Buffer {
  const number = register <= 0xff ? Buffer.from([register]) : new ByteWriter().u16(register).toBuffer();
  return withPassword(Cmd.READ_CASH_REGISTER, password, number);
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
