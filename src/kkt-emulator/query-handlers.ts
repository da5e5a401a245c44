// The emulator's read-only commands: 10h/11h status, FF01h FN status, FF39h OFD queue, FF40h shift,
// FF0Ah archive, FF09h registration, 1Ah/1Bh registers. Each handler returns the answer data after ERR,
// or an error code. Layouts: protocol v1.17 (pages in src/shtrih-protocol/status-commands.ts), decoded
// here independently of the host's parsers (see codec.ts).

import { DeviceErrorCode as E } from '../shtrih-protocol/device-errors.ts';
import { dateTime5, dateTime5FromIso, writeMoney, writeUint } from './codec.ts';
import type { EmulatedDevice } from './device.ts';

export function shortStatus(d: EmulatedDevice, op: number): Buffer {
  const flags = d.statusFlags();
  const ops = d.receipt?.items.length ?? 0;
  const b = Buffer.alloc(14);
  b[0] = op;
  b.writeUInt16LE(flags, 1);
  b[3] = d.modeByte();
  b[4] = d.submode();
  b[5] = ops & 0xff;
  b[6] = 0x9f; // backup battery (raw), as in the real trace
  b[7] = 0xe5; // supply voltage (raw)
  // 8, 9: legacy FP/EKLZ error bytes = 0; 10: ops high; 11–13 reserved
  b[10] = (ops >> 8) & 0xff;
  return b;
}

/** The emulator's "firmware": version A.4, build 1, dated 01.01.26 (choice). */
export const FIRMWARE = { version: 'A4', build: 1, date: [1, 1, 26] } as const;

/**
 * 11h in the layout pyshtrih parses and a real ШТРИХ-МИНИ-01Ф trace shows (docs/kkt.md): the legacy
 * fiscal-memory fields are still there, and every date in it is a real date (a host that builds date
 * objects fails on 00.00.00). The flags word is 10h's.
 */
export function fullStatus(d: EmulatedDevice, op: number): Buffer {
  const now = d.clock();
  const b = Buffer.alloc(46);
  b[0] = op;
  b.write(FIRMWARE.version, 1, 'latin1');
  b.writeUInt16LE(FIRMWARE.build, 3);
  b.set(FIRMWARE.date, 5);
  b[8] = 1; // number in hall
  b.writeUInt16LE(d.st.documentNumber & 0xffff, 9);
  b.writeUInt16LE(d.statusFlags(), 11);
  b[13] = d.modeByte();
  b[14] = d.submode();
  b[15] = 1; // port: COM
  b.write('NA', 16, 'latin1'); // legacy FP version: "NA" as the real trace sends
  b.writeUInt16LE(0, 18); // legacy FP build
  b.set(FIRMWARE.date, 20); // legacy FP date: a real date
  b.set([now.getDate(), now.getMonth() + 1, now.getFullYear() % 100], 23);
  b.set([now.getHours(), now.getMinutes(), now.getSeconds()], 26);
  b[29] = 0; // legacy FP flags
  b.writeUInt32LE(d.st.identity.serial >>> 0, 30);
  const lastClosed = d.st.shift.open ? d.st.shift.number - 1 : d.st.shift.number;
  b.writeUInt16LE(Math.max(0, lastClosed), 34);
  // 36–37: legacy free FP records = 0
  b[38] = 0; // re-registrations done
  b[39] = 0; // left
  let inn = Number(d.st.identity.inn);
  for (let i = 0; i < 6; i++) {
    b[40 + i] = inn % 256;
    inn = Math.floor(inn / 256);
  }
  return b;
}

export function fnStatus(d: EmulatedDevice): Buffer {
  const b = Buffer.alloc(30);
  b[0] = 0x03; // fiscal mode
  b[1] = d.receipt ? 0x04 : 0x00;
  b[2] = d.receipt && d.receipt.items.length > 0 ? 1 : 0;
  b[3] = d.st.shift.open ? 1 : 0;
  b[4] = d.fnWarningFlags();
  b.set(dateTime5(d.clock()), 5);
  b.write(d.st.identity.fnNumber.padEnd(16, ' ').slice(0, 16), 10, 'latin1');
  b.writeUInt32LE(d.st.lastFd, 26);
  return b;
}

export function ofdStatus(d: EmulatedDevice): Buffer {
  const unsent = d.st.unsent;
  const b = Buffer.alloc(13);
  b[0] = unsent.length > 0 ? 0x02 : 0x00;
  b[1] = 0;
  b.writeUInt16LE(Math.min(unsent.length, 0xffff), 2);
  const first = unsent[0];
  if (first !== undefined) {
    b.writeUInt32LE(first, 4);
    const doc = d.store.document(first);
    if (doc) b.set(dateTime5FromIso(doc.datetime), 8);
  }
  return b;
}

export function shiftParameters(d: EmulatedDevice): Buffer {
  const b = Buffer.alloc(5);
  b[0] = d.st.shift.open ? 1 : 0;
  b.writeUInt16LE(d.st.shift.number & 0xffff, 1);
  b.writeUInt16LE(d.st.shift.receiptNumber & 0xffff, 3);
  return b;
}

export function findDocument(d: EmulatedDevice, args: Buffer): Buffer | number {
  if (args.length < 4) return E.BAD_LENGTH;
  const doc = d.store.document(args.readUInt32LE(0));
  if (!doc) return E.NO_DATA;
  const head = Buffer.alloc(15);
  head[0] = doc.type;
  head[1] = d.st.unsent.includes(doc.fd) ? 0 : 1;
  head.set(dateTime5FromIso(doc.datetime), 2);
  head.writeUInt32LE(doc.fd, 7);
  head.writeUInt32LE(doc.fp, 11);
  if (doc.type === 3 || doc.type === 31) {
    const tail = Buffer.alloc(6);
    tail[0] = doc.operation ?? 1;
    writeMoney(tail, doc.amountKop ?? 0, 1);
    return Buffer.concat([head, tail]);
  }
  const tail = Buffer.alloc(2);
  tail.writeUInt16LE(doc.shiftNumber & 0xffff, 0);
  return Buffer.concat([head, tail]);
}

/**
 * FF09h in the FFD 1.1+ form (64 data bytes) an FFD 1.2 FN is expected to give: date, INN and registration
 * number space-padded, tax systems (1062), work modes, extended work modes, OFD INN, reason, FD, FP.
 */
export function registrationResult(d: EmulatedDevice): Buffer {
  const b = Buffer.alloc(64);
  b.set(dateTime5FromIso(d.st.registeredAt), 0);
  b.write(d.st.identity.inn.padEnd(12, ' '), 5, 'latin1');
  b.write(d.st.identity.regNumber.padEnd(20, ' '), 17, 'latin1');
  b[37] = d.st.identity.taxSystems;
  b[38] = 0; // work modes: none (not autonomous, no encryption…)
  b[39] = 0; // extended work modes (1290): none
  b.write('0000000000'.padEnd(12, ' '), 40, 'latin1'); // OFD INN: the emulator has no real OFD
  // 52: reason (4), 56: FD, 60: FP of the registration report: the emulator has none (0).
  return b;
}

export function readCashRegister(d: EmulatedDevice, op: number, args: Buffer): Buffer | number {
  if (args.length < 1) return E.BAD_LENGTH;
  const c = d.st.shift.counters;
  // 1 byte: registers 0…255; 2 bytes LE: the "К-registers" (4144 + operation + (type − 5) × 4, javapos).
  const register = args.length >= 2 ? args.readUInt16LE(0) : args[0]!;
  const values: Record<number, number> = {
    4180: c.sales.prepaymentKop ?? 0,
    4182: c.saleReturns.prepaymentKop ?? 0,
    0xc1: c.sales.cashKop,
    0xc3: c.saleReturns.cashKop,
    0xc5: c.sales.type2Kop,
    0xc7: c.saleReturns.type2Kop,
    0xc9: c.sales.type3Kop,
    0xcb: c.saleReturns.type3Kop,
    0xf1: d.st.cashInDrawerKop,
    0xf2: c.cashInKop,
    0xf3: c.cashOutKop,
  };
  const v = values[register];
  if (v === undefined) return E.BAD_PARAMS;
  const b = Buffer.alloc(7);
  b[0] = op;
  writeUint(b, v, 1, 6);
  return b;
}

export function readOperationRegister(d: EmulatedDevice, op: number, args: Buffer): Buffer | number {
  if (args.length < 1) return E.BAD_LENGTH;
  const c = d.st.shift.counters;
  const values: Record<number, number> = { 144: c.saleReceipts, 145: 0, 146: c.saleReturnReceipts, 147: 0 };
  const reg = args[0]!;
  // 0…63: item lines of the open receipt per department and type (4 × (dept − 1) + receipt type).
  if (reg < 64) {
    const r = d.receipt;
    const lines = r && r.type === (reg & 3) ? r.items.filter((i) => i.department === (reg >> 2) + 1) : [];
    values[reg] = lines.length;
  }
  const v = values[reg];
  if (v === undefined) return E.BAD_PARAMS;
  const b = Buffer.alloc(3);
  b[0] = op;
  b.writeUInt16LE(v & 0xffff, 1);
  return b;
}
