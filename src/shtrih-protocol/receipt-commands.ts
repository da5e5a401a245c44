// Builders and parsers of a receipt's commands: 8Dh open, FF46h item line, FF45h close, 88h cancel,
// B0h continue printing (protocol v1.17 pages next to each). FF0Ch tags are in tlv.ts.

import { ByteReader, ByteWriter, readDateTime, type DateTimeYMDHM } from './bytes.ts';
import { Cmd, commandCodeBytes, withPassword } from './codes.ts';
import { encodeCp1251Max } from './text.ts';

// ---------------------------------------------------------------- 8Dh (p.32–33) / 88h (p.32) / B0h (p.33)

/** 8Dh receipt types (also the high nibble of mode 8). */
export const ReceiptType = { SALE: 0, PURCHASE: 1, SALE_RETURN: 2, PURCHASE_RETURN: 3 } as const;

/**
 * 8Dh type flag of an FFD 1.2 correction receipt with items (0x80 + type: 0x80 correction of приход,
 * 0x82 of возврат прихода). Not in protocol v1.17 (it lists 0–3); the vendor's javapos opens its
 * receipt-style corrections this way (PrinterConst.SMFP_RECTYPE_CORRECTION_*). UNCONFIRMED on hardware.
 */
export const CORRECTION_RECEIPT_FLAG = 0x80;

export function openReceiptRequest(password: number, receiptType: number): Buffer {
  return withPassword(Cmd.OPEN_RECEIPT, password, Buffer.from([receiptType]));
}

export const cancelReceiptRequest = (password: number): Buffer => withPassword(Cmd.CANCEL_RECEIPT, password);
export const continuePrintRequest = (password: number): Buffer => withPassword(Cmd.CONTINUE_PRINT, password);

// ---------------------------------------------------------------- FF46h operation V2 (p.53–54)

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
  const w = new ByteWriter()
    .bytes(commandCodeBytes(Cmd.OPERATION_V2))
    .u32(op.password)
    .u8(op.operation)
    .uint(op.quantityMicro, 6)
    .money(op.priceKop);
  if (op.sumKop === null) w.fill(0xff, 5);
  else w.money(op.sumKop);
  if (op.taxKop === null) w.fill(0xff, 5);
  else w.money(op.taxKop);
  w.u8(op.vatByte)
    .u8(op.department)
    .u8(op.paymentMethod)
    .u8(op.paymentSubject)
    .bytes(encodeCp1251Max(op.name, 128));
  return w.toBuffer();
}

// ---------------------------------------------------------------- FF45h close receipt V2 (p.52–53)

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
  if (c.electronicKop.length > 12)
    throw new RangeError('FF45h carries at most 12 electronic payment types (2…13)');
  const w = new ByteWriter().bytes(commandCodeBytes(Cmd.CLOSE_RECEIPT_V2)).u32(c.password).money(c.cashKop);
  for (let i = 0; i < 12; i++) w.money(c.electronicKop[i] ?? 0);
  w.money(c.prepaymentKop ?? 0)
    .money(c.creditKop ?? 0)
    .money(c.counterProvisionKop ?? 0);
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
