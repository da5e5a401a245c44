// The shift lifecycle through the REST API on the byte-level emulator: open, X and Z totals, cash in
// and out, and the 24-hour rule with the emulator's injected clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openEmulatedKkt } from '../src/main/app/open-kkt.ts';
import type { KktEmulator } from '../src/kkt-emulator/emulator.ts';
import { startFixture } from './helpers/fixture.ts';

const sale = (rub: number, payment: 'cash' | 'card') => ({
  pos_id: 'POS-1',
  type: 'sale',
  items: [{ name: `Товар ${rub}`, price: rub, quantity: 1, total: rub, vat_rate: 22 }],
  payments: [{ type: payment, amount: rub }],
});

test('X and Z reports: 10 sales of 1000+100·i roubles, the first five in cash → cash 6000, card 8500, total 14500', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const opened = await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Иванова А.' });
  assert.equal(opened.status, 200, JSON.stringify(opened.body));
  assert.equal(opened.body.open, true);
  const shift = opened.body.shift_number;
  for (let i = 0; i < 10; i++) {
    const res = await f.sale(`s${i}`, sale(1000 + 100 * i, i < 5 ? 'cash' : 'card'));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.fiscal_doc.shift_number, shift);
  }
  const x = await f.call('POST', '/v1/kkt/report/x');
  assert.equal(x.status, 200, JSON.stringify(x.body));
  for (const side of [x.body.station.sales, x.body.device.sales]) {
    assert.equal(side.cash, 6000);
    assert.equal(side.card, 8500);
    assert.equal(side.total, 14500);
  }
  assert.equal(x.body.station.sales.count, 10);
  assert.equal(x.body.device.sale_receipts, 10);

  const state = await f.call('GET', '/v1/kkt/shift');
  assert.equal(state.body.open, true, 'X does not close the shift');

  const z = await f.call('POST', '/v1/kkt/shift/close', { cashier_name: 'Петров Б.' });
  assert.equal(z.status, 200, JSON.stringify(z.body));
  assert.equal(z.body.kind, 'z');
  assert.equal(z.body.station.sales.total, 14500);
  assert.equal(z.body.device.sales.total, 14500);
  assert.ok(z.body.device.fiscal_doc_number > 0, 'the Z report is a fiscal document');
  assert.equal(z.body.device.unsent_documents >= 0, true);
  const after = await f.call('GET', '/v1/kkt/shift');
  assert.equal(after.body.open, false);
  const again = await f.call('POST', '/v1/kkt/shift/close');
  assert.equal(again.status, 409);
  assert.equal(again.body.error, 'shift_closed');
  const kinds = f.station.journal.recent(100).map((e) => e.kind);
  assert.ok(kinds.includes('shift_opened') && kinds.includes('x_report') && kinds.includes('shift_closed'));
});

test('cash in and out move the drawer; taking out more than the shift holds is refused', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const closed = await f.call('POST', '/v1/kkt/cash/in', { amount: 100 });
  assert.equal(closed.status, 409, 'no shift, no cash operations');
  await f.call('POST', '/v1/kkt/shift/open');
  assert.equal((await f.call('POST', '/v1/kkt/cash/in', { amount: 'lots' })).status, 422);
  const cashIn = await f.call('POST', '/v1/kkt/cash/in', { amount: 5000 });
  assert.equal(cashIn.status, 200, JSON.stringify(cashIn.body));
  assert.equal(cashIn.body.amount, 5000);
  await f.sale('cash-sale', sale(1000, 'cash'));
  const tooMuch = await f.call('POST', '/v1/kkt/cash/out', { amount: 6000.01 });
  assert.equal(tooMuch.status, 409);
  assert.match(tooMuch.body.message, /more than this shift's cash in the drawer \(6000\.00\)/);
  const out = await f.call('POST', '/v1/kkt/cash/out', { amount: 2500.5 });
  assert.equal(out.status, 200);
  const x = await f.call('POST', '/v1/kkt/report/x');
  assert.equal(x.body.station.cash_in, 5000);
  assert.equal(x.body.station.cash_out, 2500.5);
  assert.equal(x.body.station.cash_balance, 3499.5);
  assert.equal(x.body.device.cash_in, 5000);
  assert.equal(x.body.device.cash_out, 2500.5);
});

test('cash in with an Idempotency-Key moves the drawer once, however often it is sent', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  await f.call('POST', '/v1/kkt/shift/open');
  const [a, b] = await Promise.all([
    f.call('POST', '/v1/kkt/cash/in', { amount: 700 }, { 'idempotency-key': 'float-1' }),
    f.call('POST', '/v1/kkt/cash/in', { amount: 700 }, { 'idempotency-key': 'float-1' }),
  ]);
  assert.equal(a.status, 200, JSON.stringify(a.body));
  assert.equal(b.status, 200, JSON.stringify(b.body));
  assert.equal(a.body.document_number, b.body.document_number);
  const again = await f.call('POST', '/v1/kkt/cash/in', { amount: 700 }, { 'idempotency-key': 'float-1' });
  assert.equal(again.body.document_number, a.body.document_number);
  const other = await f.call('POST', '/v1/kkt/cash/out', { amount: 700 }, { 'idempotency-key': 'float-1' });
  assert.equal(other.status, 409);
  assert.equal(other.body.error, 'idempotency_conflict');
  const x = await f.call('POST', '/v1/kkt/report/x');
  assert.equal(x.body.station.cash_in, 700);
  assert.equal(x.body.device.cash_in, 700, 'the KKT counted one cash in');
});

test('a lost answer to a cash in is settled by the drawer register: 200, counted once by the KKT', async (t) => {
  let emulator!: KktEmulator;
  // A short answer timeout so the lost answer is noticed in a second rather than the production 30 s.
  const link = { responseTimeoutMs: () => 1_000 };
  const f = await startFixture(t, {
    startWorker: false,
    kkt: async (dataDir) => ({ emulator } = await openEmulatedKkt({ dataDir, driver: { link } })).kkt,
  });
  await f.call('POST', '/v1/kkt/shift/open');
  emulator.faults.loseAnswer({ command: 0x50 }); // the cash in runs on the device, its answer never arrives
  const done = await f.call('POST', '/v1/kkt/cash/in', { amount: 300 });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  const x = await f.call('POST', '/v1/kkt/report/x');
  assert.equal(x.body.device.cash_in, 300, 'the KKT did it once: only its answer was lost');
  assert.equal(x.body.station.cash_in, 300, 'and the station recorded it once');
});

test('a shift older than 24 hours blocks sales (nothing stored or printed) until the Z report', async (t) => {
  let now = Date.now();
  const clock = () => new Date(now);
  const f = await startFixture(t, {
    startWorker: false,
    kkt: async (dataDir) => (await openEmulatedKkt({ dataDir, emulator: { clock } })).kkt,
  });
  await f.call('POST', '/v1/kkt/shift/open');
  assert.equal((await f.sale('before')).status, 200);
  now += 25 * 60 * 60 * 1000; // the emulator's fiscal clock moves a day and an hour on
  const state = await f.call('GET', '/v1/kkt/shift');
  assert.equal(state.body.expired, true);
  const total = f.station.bufferStatus().total;
  const blocked = await f.sale('after');
  assert.equal(blocked.status, 409, JSON.stringify(blocked.body));
  assert.equal(blocked.body.error, 'shift_expired');
  assert.match(blocked.body.message, /more than 24 hours.*Close the shift with the Z report/);
  assert.equal(f.station.bufferStatus().total, total, 'nothing stored');
  const z = await f.call('POST', '/v1/kkt/shift/close');
  assert.equal(z.status, 200, JSON.stringify(z.body));
  assert.equal((await f.call('POST', '/v1/kkt/shift/open')).status, 200);
  assert.equal((await f.sale('after')).status, 200, 'the same request goes through in the new shift');
});

test('a receipt printed after the paper ran out and came back: the till stops saying «no paper» at once', async (t) => {
  let emulator!: KktEmulator;
  const f = await startFixture(t, {
    startWorker: false,
    kkt: async (dataDir) => ({ emulator } = await openEmulatedKkt({ dataDir })).kkt,
  });
  await f.call('POST', '/v1/kkt/shift/open');
  emulator.setPaper(false);
  await f.call('GET', '/v1/kkt/shift'); // the till learns of it (a status poll does the same)
  assert.equal(f.station.shifts.lastKnownStatus()?.printer, 'paper_out');
  emulator.setPaper(true); // a new roll; nobody pressed «Продолжить печать»
  assert.equal((await f.sale('roll')).status, 200);
  // The status is asked for in the background right after the print: no poll interval to wait for.
  for (let i = 0; i < 100 && f.station.shifts.lastKnownStatus()?.printer !== 'ready'; i++)
    await new Promise((r) => setTimeout(r, 20));
  assert.equal(f.station.shifts.lastKnownStatus()?.printer, 'ready');
  assert.equal(f.station.shifts.lastKnownStatus()?.paperPresent, true);
});
