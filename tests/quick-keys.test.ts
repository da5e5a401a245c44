// The sale screen's quick keys: the ordered list over REST (GET/PUT /v1/catalog/quick-keys, token,
// 422 naming an unknown or repeated code, nothing stored), through the contract behind the manager's
// PIN, the item's current price, and an item deleted from the catalogue leaving the list with it.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../src/main/core/config.ts';
import { silentLogger } from '../src/main/core/logger.ts';
import { startStationApp } from '../src/main/app/station-app.ts';
import { startRestApi } from '../src/main/rest/rest-api.ts';
import { startOfdMock } from '../src/ofd-mock/server.ts';
import { QUICK_KEYS_MAX } from '../src/shared/quick-keys.ts';
import { startFixture, tempDir } from './helpers/fixture.ts';

const ITEMS = [
  { code: 'BAG', name: 'Пакет-майка 30×60', price: '5', vat_rate: '22' },
  { code: '1001', name: 'Хлеб Бородинский', price: '45.50', vat_rate: '10' },
  { code: '2002', name: 'Картофель', price: '39.90', vat_rate: '10', unit: 'кг', weighed: true },
];

async function seeded(t: TestContext) {
  const f = await startFixture(t, { startWorker: false });
  const put = await f.call('PUT', '/v1/catalog/items', { items: ITEMS });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  return f;
}

const codes = (body: { keys: { code: string }[] }) => body.keys.map((k) => k.code);

test('PUT replaces the ordered list; GET answers it with each item as it is now', async (t) => {
  const f = await seeded(t);
  const empty = await f.call('GET', '/v1/catalog/quick-keys');
  assert.equal(empty.status, 200);
  assert.deepEqual(empty.body, { keys: [], max: QUICK_KEYS_MAX });

  const put = await f.call('PUT', '/v1/catalog/quick-keys', {
    keys: [{ code: '2002' }, { code: 'BAG', label: ' Пакет ' }, { code: '1001', label: '' }],
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.deepEqual(codes(put.body), ['2002', 'BAG', '1001']);
  assert.deepEqual(
    put.body.keys.map((k: { label: string | null }) => k.label),
    [null, 'Пакет', null],
  );
  assert.equal(put.body.keys[0].item.weighed, true);
  assert.equal(put.body.keys[0].item.unit_name, 'кг');

  // A new price in the catalogue is the key's price at once: keys hold codes, not copies.
  await f.call('PUT', '/v1/catalog/items', { items: [{ ...ITEMS[1], price: '47' }] });
  const got = await f.call('GET', '/v1/catalog/quick-keys');
  assert.deepEqual(codes(got.body), ['2002', 'BAG', '1001']);
  assert.equal(got.body.keys[2].item.price, 47);

  // Reordered and shortened: the list is replaced whole.
  const again = await f.call('PUT', '/v1/catalog/quick-keys', { keys: [{ code: '1001' }, { code: '2002' }] });
  assert.deepEqual(codes(again.body), ['1001', '2002']);
  const set = f.station.journal.recent(20).filter((e) => e.code === 'quick_keys_set');
  assert.equal(set.length, 2);
  assert.deepEqual(set[0]!.data, { count: 2, by: 'rest' });
});

test('an unknown or repeated code is refused naming it; nothing is stored', async (t) => {
  const f = await seeded(t);
  await f.call('PUT', '/v1/catalog/quick-keys', { keys: [{ code: 'BAG' }] });

  const unknown = await f.call('PUT', '/v1/catalog/quick-keys', {
    keys: [{ code: '1001' }, { code: '9999' }, { code: '1001' }],
  });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.body.error, 'validation_error');
  assert.deepEqual(unknown.body.details, [
    { field: 'body.keys[1].code', message: 'no catalogue item with code 9999' },
    { field: 'body.keys[2].code', message: 'code 1001 is also at body.keys[0]' },
  ]);
  assert.match(unknown.body.message, /9999/);
  assert.deepEqual(codes((await f.call('GET', '/v1/catalog/quick-keys')).body), ['BAG']);

  // The shape: too many keys, a label too long, no list at all.
  const many = Array.from({ length: QUICK_KEYS_MAX + 1 }, () => ({ code: 'BAG' }));
  const tooMany = await f.call('PUT', '/v1/catalog/quick-keys', { keys: many });
  assert.equal(tooMany.status, 422);
  assert.equal(tooMany.body.details[0].field, 'body.keys');
  const longLabel = await f.call('PUT', '/v1/catalog/quick-keys', {
    keys: [{ code: 'BAG', label: 'x'.repeat(25) }],
  });
  assert.equal(longLabel.status, 422);
  assert.equal(longLabel.body.details[0].field, 'body.keys[0].label');
  assert.equal((await f.call('PUT', '/v1/catalog/quick-keys', {})).status, 422);
  assert.deepEqual(codes((await f.call('GET', '/v1/catalog/quick-keys')).body), ['BAG']);

  // The token, as everywhere in the API.
  const res = await fetch(`${f.api.url}/v1/catalog/quick-keys`);
  assert.equal(res.status, 401);
});

test('an item deleted from the catalogue leaves the quick keys in the same statement', async (t) => {
  const f = await seeded(t);
  await f.call('PUT', '/v1/catalog/quick-keys', {
    keys: [{ code: 'BAG' }, { code: '1001' }, { code: '2002' }],
  });
  assert.equal((await f.call('DELETE', '/v1/catalog/items/1001')).status, 200);
  assert.deepEqual(codes((await f.call('GET', '/v1/catalog/quick-keys')).body), ['BAG', '2002']);
  const rows = f.station.db.prepare('SELECT code FROM quick_keys ORDER BY position').all();
  assert.deepEqual(rows, [{ code: 'BAG' }, { code: '2002' }]);
});

test('the OpenAPI description has both operations', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const doc = (await f.call('GET', '/openapi.json')).body;
  const path = doc.paths['/v1/catalog/quick-keys'];
  assert.ok(path.get && path.put);
  assert.ok(path.put.responses['422'] && path.put.responses['401']);
});

test('through the contract: the list for the till, changes behind the manager PIN', async (t) => {
  const dataDir = tempDir(t);
  const ofd = await startOfdMock();
  const config = loadConfig({ STATION_DATA_DIR: dataDir, STATION_API_PORT: '0', STATION_OFD_URL: ofd.url });
  const app = await startStationApp(config, silentLogger, { restApi: startRestApi });
  t.after(async () => {
    await app.stop();
    await ofd.close();
  });
  await app.station.catalog.upsert(
    ITEMS.map((value, i) => ({ where: `items[${i}]`, value })),
    'test',
  );
  const ok = async (name: 'quickKeys.list' | 'quickKeys.set' | 'manager.setPin', arg?: unknown) => {
    const r = await app.handle(name, arg);
    assert.ok(r.ok, JSON.stringify(r));
    return r.value as any;
  };
  assert.deepEqual(await ok('quickKeys.list'), []);
  await ok('manager.setPin', { newPin: '2468' });

  const noPin = await app.handle('quickKeys.set', { keys: [{ code: 'BAG' }] });
  assert.ok(!noPin.ok && noPin.error.code === 'validation_error');
  const wrong = await app.handle('quickKeys.set', { pin: '0000', keys: [{ code: 'BAG' }] });
  assert.ok(!wrong.ok && wrong.error.code === 'pin_wrong');
  const unknown = await app.handle('quickKeys.set', { pin: '2468', keys: [{ code: 'nope' }] });
  assert.ok(!unknown.ok && unknown.error.code === 'validation_error');
  assert.deepEqual(unknown.error.details, [
    { field: 'keys[0].code', message: 'no catalogue item with code nope' },
  ]);
  assert.deepEqual(await ok('quickKeys.list'), []);

  const set = await ok('quickKeys.set', {
    pin: '2468',
    keys: [{ code: 'BAG', label: 'Пакет' }, { code: '1001' }],
  });
  assert.deepEqual(set, await ok('quickKeys.list'));
  assert.deepEqual(
    set.map((k: { code: string; label: string | null; item: { priceKop: number } }) => [
      k.code,
      k.label,
      k.item.priceKop,
    ]),
    [
      ['BAG', 'Пакет', 500],
      ['1001', null, 4550],
    ],
  );
});
