// FFD 1.2 documents on the byte-level emulator: golden frames of the new commands (FF4Dh 2108, 8Dh
// 0x80 correction, 1173/1174, 1Ah К-register, FF45h "other" as type 14), per-item unit/subject/method,
// the cashier on every document, correction receipts in the archive and in the shift counters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame } from '../../src/shtrih-protocol/frame.ts';
import {
  CORRECTION_RECEIPT_FLAG,
  closeReceiptV2Request,
  openReceiptRequest,
} from '../../src/shtrih-protocol/receipt-commands.ts';
import { readCashRegisterRequest } from '../../src/shtrih-protocol/shift-commands.ts';
import { tlvByte, writeItemTlvRequest, writeTlvRequest } from '../../src/shtrih-protocol/tlv.ts';
import { correctionTlvs } from '../../src/main/core/kkt/shtrih/requisites.ts';
import { KktError } from '../../src/shared/errors.ts';
import { line, rig, sale } from './helpers.ts';

const hex = (b: Buffer) => b.toString('hex').toUpperCase();
const bytes = (s: string) => s.replace(/\s+/g, '').toUpperCase();

test('golden frames: FF4Dh 2108, the correction 8Dh, 1173, STLV 1174, 1Ah К-register, FF45h type 14', () => {
  // kkt-protocol.md §7.4 / §7.6 (LRC recomputed there).
  assert.equal(
    hex(encodeFrame(writeItemTlvRequest(30, tlvByte(2108, 0)))),
    bytes('02 0B FF 4D 1E 00 00 00 3C 08 01 00 00 92'),
  );
  assert.equal(
    hex(encodeFrame(writeItemTlvRequest(30, tlvByte(2108, 11)))),
    bytes('02 0B FF 4D 1E 00 00 00 3C 08 01 00 0B 99'),
  );
  assert.equal(
    hex(encodeFrame(openReceiptRequest(30, CORRECTION_RECEIPT_FLAG | 0))),
    bytes('02 06 8D 1E 00 00 00 80 15'),
  );
  const [type, reason] = correctionTlvs({ kind: 'self', reasonDate: '2026-01-27', reasonNumber: '1' });
  assert.equal(
    hex(encodeFrame(writeTlvRequest(30, type!))),
    bytes('02 0B FF 0C 1E 00 00 00 95 04 01 00 00 76'),
  );
  assert.equal(
    hex(encodeFrame(writeTlvRequest(30, reason!))),
    bytes('02 17 FF 0C 1E 00 00 00 96 04 0D 00 9A 04 04 00 00 00 78 69 9B 04 01 00 31 41'),
  );
  // 1Ah with a 2-byte register number: 4180 = 0x1054 (type 14 sales in the shift, javapos numbering).
  assert.equal(hex(readCashRegisterRequest(30, 4180)), bytes('1A 1E 00 00 00 54 10'));
  assert.equal(hex(readCashRegisterRequest(30, 0xc1)), bytes('1A 1E 00 00 00 C1'));
  // FF45h: "other" 10.00 in type 14 (offset 71), nothing in the electronic types 2…13.
  const close = closeReceiptV2Request({
    password: 30,
    cashKop: 0,
    electronicKop: [0],
    prepaymentKop: 1000,
    taxSystem: 1,
  });
  assert.equal(close.length, 118);
  assert.equal(close.readUInt32LE(71), 1000);
  assert.ok(close.subarray(11, 71).every((b) => b === 0));
});

test('sale: unit 2108 after every line, 1212/1214 per line, kg with three decimals, cashier 1021 + 1203', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift('Иванова А.', '500100732259');
    const a = await r.kkt.printReceipt(
      sale(
        [
          line('Яблоки', 19_990, 255, { vat: 'vat10', measure: 11 }),
          line('Молоко', 8_990, 2000, { vat: 'vat10', measure: 41, paymentSubject: 2, paymentMethod: 3 }),
          line('Хлеб', 4_550),
        ],
        { cashKop: 30_000, otherKop: 1_000 },
        { cashierName: 'Иванова А.', cashierInn: '500100732259' },
      ),
    );
    const doc = r.emulator.archive.find((d) => d.fd === a.fdNumber)!;
    assert.deepEqual(
      doc.items!.map((i) => [i.name, i.quantity, i.tags?.['2108'], i.paymentSubject, i.paymentMethod]),
      [
        ['Яблоки', '0.255', '11', 1, 4],
        ['Молоко', '2', '41', 2, 3],
        ['Хлеб', '1', '0', 1, 4],
      ],
    );
    assert.deepEqual(doc.tags, { '1021': 'Иванова А.', '1203': '500100732259' });
    assert.equal(doc.payments?.prepaymentKop, 1_000);
    assert.equal(doc.payments?.type3Kop, 0);
    assert.match(r.emulator.tape.join('\n'), /Яблоки 0\.255 кг × 199\.90/);
    const shiftOpen = r.emulator.archive.find((d) => d.type === 2)!;
    assert.deepEqual(shiftOpen.tags, { '1021': 'Иванова А.', '1203': '500100732259' });
    const x = await r.kkt.xReport();
    assert.equal(x.sales.otherKop, 1_000, 'the device counts "other" in the type-14 register');
    assert.equal(x.sales.cardKop, 0);
  } finally {
    await r.close();
  }
});

test('a document with no cashier named still carries 1021 (the default cashier)', async () => {
  const r = await rig();
  try {
    await r.kkt.printReceipt(sale([line('Вода', 5_000)])); // auto-opens the shift
    for (const d of r.emulator.archive) assert.equal(d.tags?.['1021'], 'Кассир', `FD ${d.fd}`);
    await r.kkt.closeShift();
    assert.equal(r.emulator.archive.at(-1)!.tags?.['1021'], 'Кассир');
  } finally {
    await r.close();
  }
});

test('correction receipts: 8Dh 0x80/0x82, 1173 + 1174{1178,1179}, archive type 31, counted in the shift', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift('Петров Б.');
    await r.kkt.printReceipt(sale([line('Хлеб', 5_000)], {}, { cashierName: 'Петров Б.' }));
    const c = await r.kkt.printReceipt(
      sale(
        [line('Сахар', 12_000, 1500, { measure: 11 })],
        { cardKop: 18_000 },
        {
          cashierName: 'Петров Б.',
          correction: { kind: 'order', reasonDate: '2026-02-27', reasonNumber: 'ПР-17/3' },
        },
      ),
    );
    const doc = r.emulator.archive.find((d) => d.fd === c.fdNumber)!;
    assert.equal(doc.type, 31);
    assert.equal(doc.operation, 1);
    assert.equal(doc.amountKop, 18_000);
    assert.deepEqual(doc.tags, {
      '1173': '1',
      '1174': 'STLV',
      '1174/1178': '2026-02-27',
      '1174/1179': 'ПР-17/3',
      '1021': 'Петров Б.',
    });
    assert.equal(doc.items![0]!.tags?.['2108'], '11');
    assert.equal((await r.kkt.document(c.fdNumber))?.kind, 'correction');
    assert.equal((await r.kkt.lastDocument())?.operation, 'sale');
    assert.equal(c.receiptNumber, 2, 'numbered among the shift receipts (1042)');
    assert.match(c.qr, /&n=1$/);

    const refundCorrection = await r.kkt.printReceipt({
      ...sale(
        [line('Хлеб', 5_000)],
        {},
        {
          correction: { kind: 'self', reasonDate: '2026-02-28', reasonNumber: 'Акт 4' },
        },
      ),
      operation: 'refund',
    });
    const rdoc = r.emulator.archive.find((d) => d.fd === refundCorrection.fdNumber)!;
    assert.equal(rdoc.type, 31);
    assert.equal(rdoc.operation, 2);
    assert.equal(rdoc.tags?.['1173'], '0');
    assert.match(r.emulator.tape.join('\n'), /ЧЕК КОРРЕКЦИИ ВОЗВРАТ ПРИХОДА/);

    const z = await r.kkt.closeShift('Петров Б.');
    // The device counts a correction of приход with the sales and one of возврат прихода with the refunds.
    assert.equal(z.saleReceipts, 2);
    assert.equal(z.sales.totalKop, 5_000 + 18_000);
    assert.equal(z.refunds.totalKop, 5_000);
    assert.deepEqual(r.emulator.archive.at(-1)!.counters?.corrections, {
      saleCount: 1,
      saleKop: 18_000,
      refundCount: 1,
      refundKop: 5_000,
    });
  } finally {
    await r.close();
  }
});

test('the emulator refuses a unit that does not exist and FF4Dh outside an item', async () => {
  const r = await rig();
  try {
    await assert.rejects(
      r.kkt.printReceipt(sale([line('Гвозди', 1_000, 1000, { measure: 99 })])),
      (e: unknown) => e instanceof KktError && e.failure === 'refused' && e.deviceCode === 0x33,
    );
    assert.equal(r.emulator.archive.filter((d) => d.type === 3).length, 0, 'nothing fiscalised');
    assert.equal(await r.kkt.cancelReceipt(), false, 'the receipt was cancelled');
  } finally {
    await r.close();
  }
});
