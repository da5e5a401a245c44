// Issue 10.9 over a real socat pty pair and the emulator CLI (armed with --fault): a lost ACK plus a
// lost answer makes the station's link send a frame again. For an item line (FF46h) the FN held two
// lines while the station recorded one; for a cash in the drawer moved twice. Through the REST API:
// the doubled receipt is cancelled and refused (nothing fiscalised), the sale sent again prints one
// receipt of the right total, and the cash in moves the drawer once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { saleBody, startFixture, tempDir } from './helpers/fixture.ts';
import { linePaths, records, startKktLine } from './helpers/serial-line.ts';

test('over a pty: FF46h and 50h with their ACK dropped and answer lost; one receipt of 91.00, one cash in', async (t) => {
  const p = linePaths(tempDir(t, 'double-fault-pty-'));
  const faults = ['dropAck:ff46', 'lose:ff46', 'dropAck:50', 'lose:50'];
  await startKktLine(
    t,
    p,
    faults.flatMap((f) => ['--fault', f]),
  );
  const f = await startFixture(t, { startWorker: false, env: { STATION_KKT: p.host } });
  assert.equal((await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Иванова' })).status, 200);

  const body = saleBody({
    items: [{ name: 'Хлеб бородинский', price: 45.5, quantity: 2, total: 91, vat_rate: '10' }],
    payments: [{ type: 'cash', amount: 200 }],
  });
  const doubled = await f.sale('df-1', body);
  assert.equal(doubled.status, 503, JSON.stringify(doubled.body));
  assert.equal(doubled.body.error, 'kkt_refused');
  assert.match(doubled.body.details.kkt_message, /2 позиций в чеке вместо 1/);
  assert.equal(records(p).receipts.length, 0, 'the receipt of 182.00 never closed');

  const sold = await f.sale('df-1', body);
  assert.equal(sold.status, 200, JSON.stringify(sold.body));
  assert.equal(sold.body.fiscal_doc.change, 109);
  assert.deepEqual(
    records(p).receipts.map((r) => r.totalKop),
    [9_100],
    'the FN holds what the station recorded',
  );

  const cash = await f.call('POST', '/v1/kkt/cash/in', { amount: 300 });
  assert.equal(cash.status, 200, JSON.stringify(cash.body));
  const x = await f.call('POST', '/v1/kkt/report/x');
  assert.equal(x.body.device.cash_in, 300, 'the drawer moved once');
  assert.equal(x.body.station.cash_in, 300);
});
