// Issue 10.9a, the check after FF45h, through the station: when the KKT fiscalises another total than
// the station sent (the change it reports differs), the sale is never recorded as that document. The
// caller gets 503 kkt_outcome_unknown with reason total_mismatch naming the FD; the receipt is
// print_failed (listed for the manager) and nothing is sent to the OFD for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { saleBody, startFixture } from './helpers/fixture.ts';
import { openEmulatedKkt } from '../src/main/app/open-kkt.ts';
import type { KktEmulator } from '../src/kkt-emulator/emulator.ts';

test('FF45h reports the change of another total: 503 total_mismatch, print_failed, never synced', async (t) => {
  let emulator!: KktEmulator;
  const f = await startFixture(t, {
    startWorker: false,
    kkt: async (dataDir) => ({ emulator } = await openEmulatedKkt({ dataDir })).kkt,
  });
  assert.equal((await f.call('POST', '/v1/kkt/shift/open')).status, 200);
  emulator.faults.phantomLine(9_100, { command: 0xff45 });
  const body = saleBody({
    items: [{ name: 'Сыр', price: 91, quantity: 1, total: 91, vat_rate: 20 }],
    payments: [{ type: 'cash', amount: 200 }],
  });
  const sale = await f.sale('tm-1', body);
  assert.equal(sale.status, 503, JSON.stringify(sale.body));
  assert.equal(sale.body.error, 'kkt_outcome_unknown');
  assert.equal(sale.body.details.reason, 'total_mismatch');
  assert.match(sale.body.message, /ФД 2/);
  const [stored] = f.station.fiscal.unprinted();
  assert.equal(stored?.status, 'print_failed');
  assert.match(stored?.lastError ?? '', /ФД 2/);
  const sync = await f.call('POST', '/v1/kkt/buffer/sync');
  assert.equal(sync.body.synced, 0);
  assert.deepEqual(f.ofd.received(), [], 'a document the station does not stand behind is never sent');
});
