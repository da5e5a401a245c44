// The emulator's commands that make documents: E0h/40h/41h shift reports, 50h/51h cash in/out, and a
// receipt (8Dh, FF46h, FF45h, 88h; its FF0Ch/FF4Dh tags are tlv-handlers.ts), plus 17h text. A receipt
// opened with 8Dh 0x80 + type is an FFD 1.2 correction receipt: it needs tags 1173 and 1174 {1178}
// before FF45h and is archived as type 31; it counts in the shift like a receipt of its operation
// (as the FN's shift totals 1194 count correction receipts) and apart, in the correction counters. Each handler checks the device's state the
// way a KKT does, returns the answer data after ERR or an error code, and commits every fiscal document
// (EmulatedDevice.fiscalDocument) before the answer is built. Error codes in states the vendor spec
// leaves open are marked (choice); docs/kkt.md lists them as UNCONFIRMED.

import { DeviceErrorCode as E } from '../shtrih-protocol/device-errors.ts';
import { decodeCp1251 } from '../shtrih-protocol/text.ts';
import { KNOWN_VAT_BYTES } from '../shtrih-protocol/vat.ts';
import {
  dateTime5,
  formatKop,
  isUnset,
  localIso,
  readMoney,
  readUint,
  stripNul,
  writeMoney,
} from './codec.ts';
import type { EmulatedDevice, OpenReceipt } from './device.ts';
import {
  emptyCorrectionCounters,
  emptyCounters,
  emptySplit,
  type ArchivedDocument,
  type PaymentSplit,
  type ShiftCounters,
} from './state.ts';

/** Item lines one receipt can hold. */
const MAX_ITEMS = 200;

// ------------------------------------------------------------ shift and cash drawer

export function openShift(d: EmulatedDevice, op: number): Buffer | number {
  if (d.receipt) return E.RECEIPT_OPEN;
  if (d.st.shift.open) return E.SHIFT_OPEN;
  const blocked = d.printBlocker();
  if (blocked !== null) return blocked;
  const now = d.clock();
  const s = d.st.shift;
  s.open = true;
  s.number += 1;
  s.openedAt = localIso(now);
  s.openedAtMs = now.getTime();
  s.receiptNumber = 0;
  s.counters = emptyCounters();
  d.fiscalDocument({ type: 2, datetime: s.openedAt, shiftNumber: s.number, tags: takeShiftTags(d) });
  d.tape.push(`ОТЧЁТ ОБ ОТКРЫТИИ СМЕНЫ №${s.number} ФД ${d.st.lastFd}`);
  d.startPrinting();
  return Buffer.from([op]);
}

export function xReport(d: EmulatedDevice, op: number): Buffer | number {
  if (op !== 29 && op !== 30) return E.WRONG_PASSWORD;
  if (d.receipt) return E.RECEIPT_OPEN;
  const blocked = d.printBlocker();
  if (blocked !== null) return blocked;
  d.tape.push(`X-ОТЧЁТ смена №${d.st.shift.number} ${describeCounters(d.st.shift.counters)}`);
  d.startPrinting();
  return Buffer.from([op]);
}

export function zReport(d: EmulatedDevice, op: number): Buffer | number {
  if (op !== 29 && op !== 30) return E.WRONG_PASSWORD;
  if (d.receipt) return E.RECEIPT_OPEN;
  if (!d.st.shift.open) return E.SHIFT_NOT_OPEN_OR_24H;
  const blocked = d.printBlocker();
  if (blocked !== null) return blocked;
  const s = d.st.shift;
  const counters = structuredClone(s.counters);
  s.open = false;
  s.openedAtMs = null;
  d.fiscalDocument({
    type: 5,
    datetime: localIso(d.clock()),
    shiftNumber: s.number,
    counters,
    tags: takeShiftTags(d),
  });
  d.tape.push(`Z-ОТЧЁТ (ЗАКРЫТИЕ СМЕНЫ) №${s.number} ФД ${d.st.lastFd} ${describeCounters(counters)}`);
  d.startPrinting();
  return Buffer.from([op]);
}

/** FF41h / FF42h: FF0Ch tags that follow go into the opening / closing report. */
export function beginShiftReport(d: EmulatedDevice, opening: boolean): Buffer | number {
  if (d.receipt) return E.RECEIPT_OPEN;
  if (opening) return d.st.shift.open ? E.SHIFT_OPEN : Buffer.alloc(0);
  return d.st.shift.open ? Buffer.alloc(0) : E.SHIFT_NOT_OPEN_OR_24H;
}

function takeShiftTags(d: EmulatedDevice): Record<string, string> | undefined {
  const tags = d.shiftTags;
  d.shiftTags = {};
  return Object.keys(tags).length ? tags : undefined;
}

export function cashInOut(d: EmulatedDevice, isIn: boolean, op: number, args: Buffer): Buffer | number {
  if (args.length < 5) return E.BAD_LENGTH;
  if (d.receipt) return E.RECEIPT_OPEN;
  if (!d.st.shift.open) return E.SHIFT_NOT_OPEN; // (choice) pyshtrih's reading of 3Dh
  const amount = readMoney(args, 0);
  if (amount <= 0) return E.BAD_PARAMS;
  if (!isIn && amount > d.st.cashInDrawerKop) return E.NOT_ENOUGH_CASH;
  const blocked = d.printBlocker();
  if (blocked !== null) return blocked;
  const c = d.st.shift.counters;
  if (isIn) {
    c.cashInKop += amount;
    d.st.cashInDrawerKop += amount;
  } else {
    c.cashOutKop += amount;
    d.st.cashInDrawerKop -= amount;
  }
  d.st.documentNumber += 1;
  d.store.commit();
  d.tape.push(`${isIn ? 'ВНЕСЕНИЕ' : 'ВЫПЛАТА'} ${formatKop(amount)}`);
  d.startPrinting();
  const b = Buffer.alloc(3);
  b[0] = op;
  b.writeUInt16LE(d.st.documentNumber & 0xffff, 1);
  return b;
}

// ------------------------------------------------------------ receipt

export function openReceipt(d: EmulatedDevice, op: number, args: Buffer): Buffer | number {
  if (args.length < 1) return E.BAD_LENGTH;
  const shift = d.saleBlocker();
  if (shift !== null) return shift;
  if (d.receipt) return E.RECEIPT_OPEN;
  const correction = (args[0]! & 0x80) !== 0; // 0x80 + type: javapos SMFP_RECTYPE_CORRECTION_* (UNCONFIRMED)
  const type = args[0]! & 0x7f;
  if (type > 3) return E.BAD_PARAMS;
  const blocked = d.printBlocker();
  if (blocked !== null) return blocked;
  d.receipt = { type, correction, items: [], totalKop: 0, tags: {} };
  return Buffer.from([op]);
}

export function operation(d: EmulatedDevice, args: Buffer): Buffer | number {
  // op(1) qty(6) price(5) sum(5) tax(5) vat(1) dept(1) method(1) subject(1) name(0…128)
  if (args.length < 26 || args.length > 26 + 128) return E.BAD_LENGTH;
  const shift = d.saleBlocker();
  if (shift !== null) return shift;
  const opType = args[0]!;
  const receiptTypeFor: Record<number, number> = { 1: 0, 2: 2, 3: 1, 4: 3 };
  const receiptType = receiptTypeFor[opType];
  if (receiptType === undefined) return E.BAD_PARAMS;
  if (d.receipt && d.receipt.type !== receiptType) return E.WRONG_RECEIPT_TYPE;
  if (d.receipt && d.receipt.items.length >= MAX_ITEMS) return E.RECEIPT_BUFFER_FULL;
  const quantityMicro = readUint(args, 1, 6);
  const priceKop = readMoney(args, 7);
  const sumGiven = isUnset(args, 12) ? null : readMoney(args, 12);
  const vatByte = args[22]!;
  if (quantityMicro === 0 || priceKop === 0) return E.BAD_PARAMS;
  if (!KNOWN_VAT_BYTES.has(vatByte)) return E.BAD_PARAMS;
  // round(qty · price / 10^6) in integers: qty (48 bits) × price (40 bits) overflows a double.
  const product = BigInt(quantityMicro) * BigInt(priceKop);
  const computed = Number((product + 500_000n) / 1_000_000n);
  if (sumGiven !== null && Math.abs(sumGiven - computed) > 1) return E.BAD_PARAMS;
  const sumKop = sumGiven ?? computed;
  if (!d.receipt) d.receipt = { type: receiptType, correction: false, items: [], totalKop: 0, tags: {} }; // auto-open, as the Go driver relies on
  d.receipt.items.push({
    name: stripNul(decodeCp1251(args.subarray(26))),
    quantityMicro,
    priceKop,
    sumKop,
    vatByte,
    department: args[23]!,
    paymentMethod: args[24]!,
    paymentSubject: args[25]!,
  });
  d.receipt.totalKop += sumKop;
  return Buffer.alloc(0);
}

/** Fault injection (faults.ts phantomLine): one more 1-piece line in the open receipt (VAT as its first line). */
export function addPhantomLine(d: EmulatedDevice, sumKop: number): void {
  if (!d.receipt) return;
  d.receipt.items.push({
    name: 'ЛИШНЯЯ ПОЗИЦИЯ',
    quantityMicro: 1_000_000,
    priceKop: sumKop,
    sumKop,
    vatByte: d.receipt.items[0]?.vatByte ?? 1,
    department: 1,
    paymentMethod: 4,
    paymentSubject: 1,
  });
  d.receipt.totalKop += sumKop;
}

export function closeReceipt(d: EmulatedDevice, args: Buffer): Buffer | number {
  // cash(5) types 2…13 (60) 14…16 (15) rounding(1) taxes(30) taxSystem(1) text(0…64)
  if (args.length < 112 || args.length > 112 + 64) return E.BAD_LENGTH;
  const r = d.receipt;
  if (!r) return E.RECEIPT_CLOSED;
  if (r.items.length === 0 || r.totalKop === 0) return E.ZERO_TOTAL;
  const pay: number[] = [];
  for (let i = 0; i < 16; i++) pay.push(readMoney(args, i * 5));
  const taxSystem = args[111]!;
  if (taxSystem === 0 || (taxSystem & (taxSystem - 1)) !== 0) return E.BAD_PARAMS; // exactly one bit (choice)
  // A system the KKT is not registered for (tag 1062): 35h "parameter invalid for the settings" (choice).
  if ((taxSystem & d.st.identity.taxSystems) === 0) return E.INVALID_FOR_SETTINGS;
  const cash = pay[0]!;
  const nonCash = pay.slice(1).reduce((a, b) => a + b, 0);
  if (cash + nonCash < r.totalKop) return E.PAYMENT_BELOW_TOTAL;
  if (nonCash > r.totalKop) return E.NONCASH_ABOVE_TOTAL;
  if (r.correction && (r.tags['1173'] === undefined || r.tags['1174/1178'] === undefined))
    return E.BAD_PARAMS; // a correction without its type or reason date (choice; the FN would refuse it)
  const changeKop = Math.max(0, cash - (r.totalKop - nonCash));
  const netCash = cash - changeKop;
  const isReturn = r.type === 2 || r.type === 3;
  if (isReturn && netCash > d.st.cashInDrawerKop) return E.NOT_ENOUGH_CASH;
  const blocked = d.printBlocker();
  if (blocked !== null) return blocked;

  const split: PaymentSplit = {
    ...emptySplit(),
    cashKop: netCash,
    type2Kop: pay[1]!,
    type3Kop: pay[2]!,
    prepaymentKop: pay[13]!,
    restKop: nonCash - pay[1]! - pay[2]! - pay[13]!,
  };
  const s = d.st.shift;
  s.receiptNumber += 1;
  const c = s.counters;
  if (r.type === 0) {
    c.saleReceipts += 1;
    addSplit(c.sales, split);
    d.st.cashInDrawerKop += netCash;
  } else if (r.type === 2) {
    c.saleReturnReceipts += 1;
    addSplit(c.saleReturns, split);
    d.st.cashInDrawerKop -= netCash;
  }
  if (r.correction) {
    const k = (c.corrections ??= emptyCorrectionCounters());
    if (r.type === 0) {
      k.saleCount += 1;
      k.saleKop += r.totalKop;
    } else {
      k.refundCount += 1;
      k.refundKop += r.totalKop;
    }
  }
  const now = d.clock();
  const operation = { 0: 1, 1: 3, 2: 2, 3: 4 }[r.type as 0 | 1 | 2 | 3];
  const doc = d.fiscalDocument({
    type: r.correction ? 31 : 3,
    datetime: localIso(now),
    shiftNumber: s.number,
    operation,
    amountKop: r.totalKop,
    receiptNumber: s.receiptNumber,
    taxSystem,
    payments: split,
    changeKop,
    itemCount: r.items.length,
    items: r.items.map((i) => ({
      name: i.name,
      quantity: formatQuantity(i.quantityMicro),
      priceKop: i.priceKop,
      sumKop: i.sumKop,
      vatByte: i.vatByte,
      paymentMethod: i.paymentMethod,
      paymentSubject: i.paymentSubject,
      ...(i.tags && { tags: i.tags }),
    })),
    tags: Object.keys(r.tags).length ? r.tags : undefined,
    ...boundMarks(r),
  });
  d.marks.clear();
  d.tape.push(
    `${r.correction ? 'ЧЕК КОРРЕКЦИИ' : 'КАССОВЫЙ ЧЕК'} ${operation === 1 ? 'ПРИХОД' : 'ВОЗВРАТ ПРИХОДА'} №${s.receiptNumber} ФД ${doc.fd} ИТОГ ${formatKop(r.totalKop)}`,
  );
  for (const i of r.items)
    d.tape.push(
      `  ${i.name} ${formatQuantity(i.quantityMicro)} ${measureLabel(i.tags?.['2108'])} × ${formatKop(i.priceKop)}`,
    );
  d.receipt = null;
  d.startPrinting();

  const b = Buffer.alloc(d.extendedCloseAnswer ? 18 : 13);
  writeMoney(b, changeKop, 0);
  b.writeUInt32LE(doc.fd, 5);
  b.writeUInt32LE(doc.fp, 9);
  if (d.extendedCloseAnswer) b.set(dateTime5(now), 13);
  return b;
}

export function cancelReceipt(d: EmulatedDevice, op: number): Buffer | number {
  if (!d.receipt) return E.RECEIPT_CLOSED; // (choice)
  d.receipt = null;
  d.marks.clear();
  d.tape.push('ЧЕК АННУЛИРОВАН');
  return Buffer.from([op]);
}

/** B0h: resumes the tape after a new roll went in during a document. */
export function continuePrint(d: EmulatedDevice, op: number): Buffer {
  if (d.awaitingContinue) {
    d.awaitingContinue = false;
    d.tape.push('-- печать продолжена --');
    d.startPrinting();
  }
  return Buffer.from([op]);
}

export function printString(d: EmulatedDevice, op: number, args: Buffer): Buffer | number {
  if (args.length < 1) return E.BAD_LENGTH;
  const blocked = d.printBlocker();
  if (blocked !== null) return blocked;
  d.tape.push(stripNul(decodeCp1251(args.subarray(1))));
  d.startPrinting();
  return Buffer.from([op]);
}

function addSplit(into: PaymentSplit, add: PaymentSplit): void {
  into.cashKop += add.cashKop;
  into.type2Kop += add.type2Kop;
  into.type3Kop += add.type3Kop;
  into.prepaymentKop = (into.prepaymentKop ?? 0) + (add.prepaymentKop ?? 0); // absent in older state files
  into.restKop += add.restKop;
}

/** Quantity as the FN keeps a weighed line: three decimals ("0.255"), a whole one without ("2"). */
function formatQuantity(micro: number): string {
  const milli = Math.round(micro / 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : (milli / 1000).toFixed(3);
}

const MEASURE_LABELS: Record<string, string> = {
  '0': 'шт',
  '10': 'г',
  '11': 'кг',
  '40': 'мл',
  '41': 'л',
  '22': 'м',
};
function measureLabel(code: string | undefined): string {
  return code === undefined ? '' : (MEASURE_LABELS[code] ?? `ед.${code}`);
}

function describeCounters(c: ShiftCounters): string {
  const total = c.sales.cashKop + c.sales.type2Kop + c.sales.type3Kop + c.sales.restKop;
  const k = c.corrections;
  const corrections = k
    ? `, чеков коррекции прихода ${k.saleCount} на ${formatKop(k.saleKop)}, возврата прихода ${k.refundCount} на ${formatKop(k.refundKop)}`
    : '';
  return `чеков прихода ${c.saleReceipts}, наличными ${formatKop(c.sales.cashKop)}, безналичными ${formatKop(total - c.sales.cashKop)}, итого ${formatKop(total)}${corrections}`;
}

/** The archive's record of the codes bound to the receipt's lines; nothing when none was. */
function boundMarks(r: OpenReceipt): { marks?: ArchivedDocument['marks'] } {
  const marks = r.items.flatMap((item, line) =>
    item.markCode === undefined ? [] : [{ line, code: item.markCode, result2106: item.mark2106 ?? 0 }],
  );
  return marks.length ? { marks } : {};
}
