// The audit's double faults (issue 10.9): a lost ACK plus a lost answer makes the link send a frame
// again, because the device looks idle. For an item line (FF46h) that doubled the line in the FN while
// the station recorded one; for cash in/out it moved the drawer twice. Both must now be caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KktError } from '../../src/shared/errors.ts';
import { line, receiptsIn, rig, sale } from './helpers.ts';

const OPERATION_V2 = 0xff46;
const CASH_IN = 0x50;
const CASH_OUT = 0x51;

async function withOpenShift(fn: (r: Awaited<ReturnType<typeof rig>>) => Promise<void>) {
  const r = await rig();
  try {
    await r.kkt.openShift();
    await fn(r);
  } finally {
    await r.close();
  }
}

test('FF46h ACK dropped and its answer lost: the doubled line is found before FF45h, cancelled, refused', async () => {
  await withOpenShift(async (r) => {
    r.emulator.faults.dropAck({ command: OPERATION_V2 });
    r.emulator.faults.loseAnswer({ command: OPERATION_V2 });
    await assert.rejects(
      r.kkt.printReceipt(sale([line('Сыр', 9_100)], { cashKop: 20_000 })),
      (e: unknown) => {
        assert.ok(e instanceof KktError);
        assert.equal(e.failure, 'refused');
        assert.match(e.message, /позиций/);
        return true;
      },
    );
    assert.equal(receiptsIn(r.emulator), 0, 'no receipt of 182.00 in the FN');
    assert.equal(r.emulator.receiptOpen, false, 'the doubled receipt was cancelled (88h)');
    // The next sale goes through normally.
    const a = await r.kkt.printReceipt(sale([line('Сыр', 9_100)], { cashKop: 20_000 }));
    assert.equal(a.totalKop, 9_100);
    assert.equal(r.emulator.archive.at(-1)?.amountKop, 9_100);
    assert.equal(r.emulator.archive.at(-1)?.itemCount, 1);
  });
});

test('a refund line doubled the same way is caught too (the return-operation register)', async () => {
  await withOpenShift(async (r) => {
    await r.kkt.cashIn(50_000);
    r.emulator.faults.dropAck({ command: OPERATION_V2 });
    r.emulator.faults.loseAnswer({ command: OPERATION_V2 });
    const refund = { ...sale([line('Сыр', 9_100)], { cashKop: 20_000 }), operation: 'refund' as const };
    await assert.rejects(r.kkt.printReceipt(refund), (e: unknown) => {
      assert.ok(e instanceof KktError);
      assert.equal(e.failure, 'refused');
      assert.match(e.message, /позиций/);
      return true;
    });
    assert.equal(receiptsIn(r.emulator), 0);
  });
});

test('FF45h change differs from what the station expects: outcome_unknown naming the FD, never a silent success', async () => {
  await withOpenShift(async (r) => {
    // The device adds one more line of its own after the check (a fault the pre-close check cannot see).
    r.emulator.faults.phantomLine(1_000, { command: 0xff45 });
    await assert.rejects(
      r.kkt.printReceipt(sale([line('Сыр', 9_100)], { cashKop: 20_000 })),
      (e: unknown) => {
        assert.ok(e instanceof KktError);
        assert.equal(e.failure, 'outcome_unknown');
        assert.equal(e.fault.reason, 'total_mismatch');
        assert.match(e.message, /ФД 2/);
        return true;
      },
    );
    assert.equal(r.emulator.archive.at(-1)?.amountKop, 10_100);
  });
});

for (const [name, command, op] of [
  ['cash in (50h)', CASH_IN, 'cashIn'],
  ['cash out (51h)', CASH_OUT, 'cashOut'],
] as const) {
  test(`${name} ACK dropped and its answer lost: the drawer moves once`, async () => {
    await withOpenShift(async (r) => {
      if (op === 'cashOut') await r.kkt.cashIn(10_000);
      const before = (await r.kkt.xReport()).cashInDrawerKop;
      r.emulator.faults.dropAck({ command });
      r.emulator.faults.loseAnswer({ command });
      const res = await r.kkt[op](1_000);
      const expected = before + (op === 'cashIn' ? 1_000 : -1_000);
      assert.equal(res.cashInDrawerKop, expected);
      assert.equal((await r.kkt.xReport()).cashInDrawerKop, expected, 'the drawer moved exactly once');
    });
  });
}

test('cash in whose frame never reached the device (register unchanged): sent again, once', async () => {
  await withOpenShift(async (r) => {
    // The first frame is lost on the line: no ACK, not executed; the register shows it, so it is sent again.
    r.emulator.faults.dropFrame({ command: CASH_IN });
    const res = await r.kkt.cashIn(2_000);
    assert.equal(res.cashInDrawerKop, 2_000);
  });
});
