// Driver ↔ byte-level emulator over the in-memory channel: every command and business flow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KktError } from '../../src/shared/errors.ts';
import { line, receiptsIn, rig, sale, type Rig } from './helpers.ts';

test('status of a fresh device: connected, emulated, shift closed, no documents', async () => {
  const r = await rig();
  try {
    const s = await r.kkt.status();
    assert.equal(s.connected, true);
    assert.equal(s.emulated, true);
    assert.match(s.label, /Эмулятор/);
    assert.equal(s.shiftOpen, false);
    assert.equal(s.lastFdNumber, 0);
    assert.equal(s.fnNumber, '9999078900000001');
    assert.equal(s.kktRegNumber, '0000000001012345');
    assert.equal(s.paperPresent, true);
    assert.equal(s.unsentCount, 0);
    assert.equal(await r.kkt.lastDocument(), null);
  } finally {
    await r.close();
  }
});

test('open shift with the cashier tag, idempotent second call', async () => {
  const r = await rig();
  try {
    const opened = await r.kkt.openShift('Иванов И.И.');
    assert.deepEqual(opened, {
      shiftNumber: 1,
      fdNumber: 1,
      fiscalSign: opened.fiscalSign,
      fiscalDatetime: '2026-03-02T09:00:00',
      alreadyOpen: false,
    });
    assert.equal(r.emulator.archive[0]?.tags?.['1021'], 'Иванов И.И.');
    const again = await r.kkt.openShift();
    assert.equal(again.alreadyOpen, true);
    assert.equal(again.fdNumber, 1);
    const s = await r.kkt.status();
    assert.equal(s.shiftOpen, true);
    assert.equal(s.shiftOpenedAt, '2026-03-02T09:00:00');
    assert.equal((await r.kkt.document(1))?.kind, 'shift_open');
  } finally {
    await r.close();
  }
});

test('sale: items with VAT codes, cash + card + other, tags 1021/1008, fiscal attributes and QR', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift();
    const req = sale(
      [
        line('Хлеб', 5_000, 2_500, { vat: 'vat20' }),
        line('Молоко', 8_990, 1000, { vat: 'vat10' }),
        line('Кофе', 30_000, 1000, { vat: 'vat22', paymentSubject: 1 }),
        line('Доставка', 15_000, 1000, { vat: 'none', paymentSubject: 4 }),
      ],
      { cashKop: 30_000, cardKop: 40_000, otherKop: 1_000 },
      { cashierName: 'Петрова А.А.', buyerContact: 'buyer@example.com' },
    );
    const a = await r.kkt.printReceipt(req);
    const total = 12_500 + 8_990 + 30_000 + 15_000;
    assert.equal(a.totalKop, total);
    assert.equal(a.changeKop, 30_000 + 40_000 + 1_000 - total);
    assert.equal(a.fdNumber, 2);
    assert.equal(a.shiftNumber, 1);
    assert.equal(a.receiptNumber, 1);
    assert.equal(a.fnNumber, '9999078900000001');
    assert.equal(a.kktRegNumber, '0000000001012345');
    assert.equal(a.qr, `t=20260302T0900&s=664.90&fn=9999078900000001&i=2&fp=${a.fiscalSign}&n=1`);
    const doc = r.emulator.archive.at(-1)!;
    assert.equal(doc.type, 3);
    assert.equal(doc.operation, 1);
    assert.equal(doc.amountKop, total);
    assert.equal(doc.itemCount, 4);
    assert.deepEqual(doc.payments, {
      cashKop: total - 40_000 - 1_000,
      type2Kop: 40_000,
      type3Kop: 0,
      prepaymentKop: 1_000, // "other" is payment type 14 (1215), not electronic
      restKop: 0,
    });
    assert.deepEqual(doc.tags, { '1021': 'Петрова А.А.', '1008': 'buyer@example.com' });
    assert.deepEqual(await r.kkt.lastDocument(), {
      fdNumber: 2,
      kind: 'receipt',
      operation: 'sale',
      totalKop: total,
      fiscalSign: a.fiscalSign,
      fiscalDatetime: a.fiscalDatetime,
      shiftNumber: 1,
      receiptNumber: 1,
    });
  } finally {
    await r.close();
  }
});

test('fractional quantity: 0.250 kg at 599.90 gives the exact line sum', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift();
    const a = await r.kkt.printReceipt(sale([line('Сыр', 59_990, 250)]));
    assert.equal(a.totalKop, 14_998); // 599.90 × 0.25 = 149.975 → 149.98
    assert.equal(r.emulator.archive.at(-1)?.amountKop, 14_998);
  } finally {
    await r.close();
  }
});

test('refund: "возврат прихода" (n=2), cash leaves the drawer; document() finds it', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift();
    await r.kkt.printReceipt(sale([line('Чайник', 250_000)]));
    const refund = await r.kkt.printReceipt({ ...sale([line('Чайник', 250_000)]), operation: 'refund' });
    assert.match(refund.qr, /&n=2$/);
    assert.equal(r.emulator.archive.at(-1)?.operation, 2);
    assert.equal(r.emulator.snapshot().cashInDrawerKop, 0);
    const doc = await r.kkt.document(refund.fdNumber);
    assert.equal(doc?.operation, 'refund');
    assert.equal(doc?.totalKop, 250_000);
    assert.equal(await r.kkt.document(999), null);
  } finally {
    await r.close();
  }
});

test('a receipt on a closed shift opens the shift first (FD 1 = opening report)', async () => {
  const r = await rig();
  try {
    const a = await r.kkt.printReceipt(sale([line('Вода', 5_000)], {}, { cashierName: 'Кассир 1' }));
    assert.equal(a.fdNumber, 2);
    assert.equal(r.emulator.archive[0]?.type, 2);
  } finally {
    await r.close();
  }
});

test('autoOpenShift=false refuses a receipt on a closed shift', async () => {
  const r = await rig({ driver: { autoOpenShift: false } });
  try {
    await assert.rejects(
      r.kkt.printReceipt(sale([line('Вода', 5_000)])),
      (e: unknown) =>
        e instanceof KktError &&
        e.failure === 'refused' &&
        /Смена закрыта/.test(e.message) &&
        e.fault.reason === 'shift_closed',
    );
    assert.equal(r.emulator.archive.length, 0);
  } finally {
    await r.close();
  }
});

test('cash in / cash out move the drawer; a cash-out above the drawer is refused with 46h', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift();
    const cin = await r.kkt.cashIn(500_000);
    assert.equal(cin.cashInDrawerKop, 500_000);
    const cout = await r.kkt.cashOut(120_000);
    assert.equal(cout.cashInDrawerKop, 380_000);
    assert.ok(cout.documentNumber > cin.documentNumber);
    await assert.rejects(
      r.kkt.cashOut(1_000_000),
      (e: unknown) =>
        e instanceof KktError &&
        e.deviceCode === 0x46 &&
        /недостаточно наличных/.test(e.message) &&
        e.fault.reason === 'not_enough_cash',
    );
    await assert.rejects(r.kkt.cashIn(0), /положительной/);
    const x = await r.kkt.xReport();
    assert.equal(x.cashInKop, 500_000);
    assert.equal(x.cashOutKop, 120_000);
    assert.equal(r.emulator.archive.length, 1, 'cash in/out are not fiscal documents');
  } finally {
    await r.close();
  }
});

test('X and Z reports: 10 sales of 1000+100·i roubles, first five in cash', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift('Иванов И.И.');
    for (let i = 0; i < 10; i++) {
      const price = (1000 + 100 * i) * 100;
      await r.kkt.printReceipt(
        sale([line(`Товар ${i + 1}`, price)], i < 5 ? { cashKop: price } : { cardKop: price }),
      );
    }
    const x = await r.kkt.xReport();
    assert.equal(x.kind, 'x');
    assert.equal(x.saleReceipts, 10);
    assert.deepEqual(x.sales, { cashKop: 600_000, cardKop: 850_000, otherKop: 0, totalKop: 1_450_000 });
    assert.equal(x.fdNumber, null);
    assert.equal(x.unsentCount, 11);
    assert.equal((await r.kkt.status()).shiftOpen, true, 'X does not close the shift');

    const z = await r.kkt.closeShift('Иванов И.И.');
    assert.equal(z.kind, 'z');
    assert.equal(z.shiftNumber, 1);
    assert.deepEqual(z.sales, { cashKop: 600_000, cardKop: 850_000, otherKop: 0, totalKop: 1_450_000 });
    assert.equal(z.cashInDrawerKop, 600_000);
    assert.equal(z.fdNumber, 12);
    assert.equal(z.unsentCount, 12);
    assert.equal((await r.kkt.document(12))?.kind, 'shift_close');
    assert.deepEqual(r.emulator.archive.at(-1)?.counters?.sales, {
      cashKop: 600_000,
      type2Kop: 850_000,
      type3Kop: 0,
      prepaymentKop: 0,
      restKop: 0,
    });
    assert.equal((await r.kkt.status()).shiftOpen, false);
    await assert.rejects(r.kkt.closeShift(), /уже закрыта/);

    // The next shift starts from zero counters but continues the numbering.
    const next = await r.kkt.openShift();
    assert.equal(next.shiftNumber, 2);
    assert.equal(next.fdNumber, 13);
    assert.deepEqual((await r.kkt.xReport()).sales, { cashKop: 0, cardKop: 0, otherKop: 0, totalKop: 0 });
  } finally {
    await r.close();
  }
});

test('OFD backlog: unsent count and the oldest date follow the FN queue', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift();
    r.clock.advance(60_000);
    await r.kkt.printReceipt(sale([line('Вода', 5_000)]));
    let s = await r.kkt.status();
    assert.equal(s.unsentCount, 2);
    assert.equal(s.oldestUnsentAt, '2026-03-02T09:00:00');
    r.emulator.deliverToOfd(1);
    s = await r.kkt.status();
    assert.equal(s.unsentCount, 1);
    assert.equal(s.oldestUnsentAt, '2026-03-02T09:01:00');
    r.emulator.deliverToOfd();
    assert.equal((await r.kkt.status()).unsentCount, 0);
  } finally {
    await r.close();
  }
});

test('invalid requests are refused locally with a precise reason, nothing reaches the FN', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift();
    const bad = [
      { ...sale([line('Хлеб', 5_000)]), cashKop: 100 },
      { ...sale([line('Хлеб', 5_000)]), cardKop: 9_000, cashKop: 0 },
      sale([]),
      sale([{ ...line('Хлеб', 5_000), priceKop: 50.5 }]),
    ];
    for (const req of bad) {
      await assert.rejects(
        r.kkt.printReceipt(req),
        (e: unknown) => e instanceof KktError && e.failure === 'refused',
      );
    }
    assert.equal(receiptsIn(r.emulator), 0);
    assert.equal(r.emulator.receiptOpen, false);
  } finally {
    await r.close();
  }
});

test('a line sum inconsistent with price × quantity is refused by the device (33h) and the receipt cancelled', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift();
    const req = sale([{ ...line('Хлеб', 5_000), totalKop: 4_000 }]);
    await assert.rejects(
      r.kkt.printReceipt(req),
      (e: unknown) => e instanceof KktError && e.failure === 'refused' && e.deviceCode === 0x33,
    );
    assert.equal(r.emulator.receiptOpen, false);
    assert.ok(r.emulator.tape.includes('ЧЕК АННУЛИРОВАН'));
    assert.equal(receiptsIn(r.emulator), 0);
  } finally {
    await r.close();
  }
});

/** The item fails and so does the automatic 88h: the receipt stays open on the device, as after a crash. */
async function leaveReceiptOpen(r: Rig): Promise<void> {
  r.emulator.faults.failNext(0x33, { command: 0xff46 });
  r.emulator.faults.failNext(0x73, { command: 0x88 });
  await assert.rejects(r.kkt.printReceipt(sale([line('Хлеб', 5_000)])));
}

test('cancelReceipt() cancels a receipt left open on the device, and is false when none is', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift();
    assert.equal(await r.kkt.cancelReceipt(), false);
    await leaveReceiptOpen(r);
    r.emulator.faults.clear();
    assert.equal(r.emulator.receiptOpen, true);
    assert.equal((await r.kkt.status()).shiftOpen, true);
    assert.equal(await r.kkt.cancelReceipt(), true);
    assert.equal(r.emulator.receiptOpen, false);
  } finally {
    await r.close();
  }
});

test('a receipt left open by a crash is cancelled before the next one', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift();
    await leaveReceiptOpen(r);
    r.emulator.faults.clear();
    const a = await r.kkt.printReceipt(sale([line('Хлеб', 5_000)]));
    assert.equal(a.receiptNumber, 1);
    assert.equal(receiptsIn(r.emulator), 1);
  } finally {
    await r.close();
  }
});

test('a device error on FF45h cancels the receipt and reports the cashier message', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift();
    r.emulator.faults.failNext(0x14, { command: 0xff45 });
    await assert.rejects(r.kkt.printReceipt(sale([line('Хлеб', 5_000)])), (e: unknown) => {
      assert.ok(e instanceof KktError);
      assert.equal(e.failure, 'refused');
      assert.equal(e.deviceCode, 0x14);
      assert.match(e.message, /ОФД/);
      assert.match(e.message, /ФН/);
      return true;
    });
    assert.equal(r.emulator.receiptOpen, false);
    assert.equal(receiptsIn(r.emulator), 0);
  } finally {
    await r.close();
  }
});

test('continuePrint() sends B0h; concurrent calls are serialised', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift();
    await r.kkt.continuePrint();
    const results = await Promise.all(
      [1, 2, 3].map((i) => r.kkt.printReceipt(sale([line(`Товар ${i}`, 1_000 * i)]))),
    );
    assert.deepEqual(results.map((a) => a.receiptNumber).sort(), [1, 2, 3]);
    assert.equal(new Set(results.map((a) => a.fdNumber)).size, 3);
  } finally {
    await r.close();
  }
});

test('openShift() with a receipt left open cancels it and reports the open shift', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift();
    await leaveReceiptOpen(r);
    assert.equal(r.emulator.receiptOpen, true);
    const again = await r.kkt.openShift();
    assert.equal(again.alreadyOpen, true);
    assert.equal(r.emulator.receiptOpen, false);
  } finally {
    await r.close();
  }
});
