// A supermarket shift (issue 10.9c): more than 300 documents in the open shift. The shift-opening
// report used to be searched for among the last 300 FDs only: "shift open" on the open shift answered
// «Не найден отчёт об открытии смены №1 в архиве ФН» and the status lost the opening time (the 24-hour
// rule). It is found from the shift's own counters now, however many documents the shift holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { line, rig, sale } from './helpers.ts';

const RECEIPTS = 2_000;

test(
  `a shift of ${RECEIPTS + 1} documents: its opening report and time are found (no fixed look-back)`,
  { timeout: 120_000 },
  async () => {
    // State in memory: thousands of documents would otherwise rewrite the state file each time.
    const r = await rig({ emulator: { statePath: null } });
    try {
      const opened = await r.kkt.openShift('Иванова');
      assert.equal(opened.fdNumber, 1);
      for (let i = 0; i < RECEIPTS; i++) {
        await r.kkt.printReceipt(sale([line(`Товар ${i}`, 100 + (i % 50))]));
      }
      assert.equal(r.emulator.archive.length, RECEIPTS + 1);

      const again = await r.kkt.openShift();
      assert.equal(again.alreadyOpen, true);
      assert.equal(again.fdNumber, 1, 'the opening report, 2 000 documents back');
      assert.equal(again.fiscalDatetime, opened.fiscalDatetime);

      // The status's first look at the shift, as after a restart of the station (nothing cached yet).
      const status = await r.kkt.status();
      assert.equal(status.shiftOpen, true);
      assert.equal(
        status.shiftOpenedAt,
        opened.fiscalDatetime,
        'the 24-hour rule knows when the shift began',
      );
    } finally {
      await r.close();
    }
  },
);

test(
  "two busy shifts in a row: the second one's opening is found, and the first one's Z report bounds the search",
  { timeout: 120_000 },
  async () => {
    const r = await rig({ emulator: { statePath: null } });
    try {
      const opened = await r.kkt.openShift();
      for (let i = 0; i < 400; i++) await r.kkt.printReceipt(sale([line('Хлеб', 5_000)]));
      await r.kkt.closeShift();
      const second = await r.kkt.openShift();
      for (let i = 0; i < 350; i++) await r.kkt.printReceipt(sale([line('Соль', 2_000)]));
      assert.notEqual(second.fdNumber, opened.fdNumber);
      const status = await r.kkt.status();
      assert.equal(status.shiftNumber, 2);
      assert.equal(status.shiftOpenedAt, second.fiscalDatetime);
      const again = await r.kkt.openShift();
      assert.equal(again.fdNumber, second.fdNumber);
    } finally {
      await r.close();
    }
  },
);
