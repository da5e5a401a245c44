// The catalogue over the REST API, as an ERP uses it: upsert by code (all or nothing, every bad item
// named), search by name words in any case, code or barcode, a barcode lookup (404 when unknown, a
// weight label's quantity), delete; and a receipt whose lines name catalogue items by code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFixture } from './helpers/fixture.ts';

const BREAD = {
  code: '1001',
  name: 'Хлеб Бородинский',
  price: 45.5,
  vat_rate: '10',
  barcodes: ['4600000000015'],
};
const MILK = {
  code: '1002',
  name: 'Молоко Простоквашино 3,2 %',
  price: '89.90',
  vat_rate: '10%',
  unit: 'л',
  barcodes: ['4600000000022', '2900000000018'],
};
const CHEESE = {
  code: '00123',
  name: 'Сыр Российский весовой',
  price: 650,
  vat_rate: 10,
  unit: 11,
  weighed: true,
};

test('PUT upserts by code; GET finds by name words in any case, code and barcode; DELETE removes', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const put = await f.call('PUT', '/v1/catalog/items', { items: [BREAD, MILK, CHEESE] });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.deepEqual(put.body, { inserted: 3, updated: 0 });

  const again = await f.call('PUT', '/v1/catalog/items', { items: [{ ...BREAD, price: 47 }] });
  assert.deepEqual(again.body, { inserted: 0, updated: 1 });

  const byWords = await f.call('GET', `/v1/catalog/items?query=${encodeURIComponent('молоко ПРОСТО')}`);
  assert.equal(byWords.status, 200);
  assert.deepEqual(
    byWords.body.items.map((i: { code: string }) => i.code),
    ['1002'],
  );
  assert.equal(byWords.body.total, 3);
  const milk = byWords.body.items[0];
  assert.equal(milk.price, 89.9);
  assert.equal(milk.vat_rate, 'vat10');
  assert.equal(milk.unit, 41);
  assert.equal(milk.unit_name, 'л');
  assert.deepEqual(milk.barcodes, ['2900000000018', '4600000000022']);

  const byCode = await f.call('GET', '/v1/catalog/items?query=00123');
  assert.equal(byCode.body.items[0].code, '00123');
  const byBarcode = await f.call('GET', '/v1/catalog/items?query=4600000000015');
  assert.equal(byBarcode.body.items[0].name, 'Хлеб Бородинский');
  assert.equal(byBarcode.body.items[0].price, 47);

  const scan = await f.call('GET', '/v1/catalog/barcode/4600000000022');
  assert.equal(scan.status, 200);
  assert.equal(scan.body.code, '1002');
  assert.equal(scan.body.quantity, null);
  // A scale's label: 2 + 2 + item 00123 + 00754 g + check digit → 0.754 kg of cheese.
  const weight = await f.call('GET', '/v1/catalog/barcode/2200123007544');
  assert.equal(weight.status, 200, JSON.stringify(weight.body));
  assert.equal(weight.body.code, '00123');
  assert.equal(weight.body.quantity, 0.754);

  const unknown = await f.call('GET', '/v1/catalog/barcode/4600000000039');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error, 'not_found');
  const misread = await f.call('GET', '/v1/catalog/barcode/4600000000016');
  assert.equal(misread.status, 404);
  assert.match(misread.body.message, /check digit/);

  const del = await f.call('DELETE', '/v1/catalog/items/1002');
  assert.equal(del.status, 200);
  assert.equal((await f.call('GET', '/v1/catalog/barcode/4600000000022')).status, 404);
  assert.equal((await f.call('DELETE', '/v1/catalog/items/1002')).status, 404);
  assert.ok(f.station.journal.recent(10).some((e) => e.kind === 'catalog_changed'));
});

test('PUT is all or nothing: every bad item named, nothing stored', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const put = await f.call('PUT', '/v1/catalog/items', {
    items: [
      BREAD,
      { ...MILK, price: '89.999' },
      { ...CHEESE, vat_rate: '18', unit: 'ящик' },
      { ...BREAD, code: '1003', name: 'Батон' },
      { code: '1004', name: 'Пакет', price: 0, vat_rate: '22' },
    ],
  });
  assert.equal(put.status, 422);
  assert.equal(put.body.error, 'validation_error');
  const fields = put.body.details.map((d: { field: string }) => d.field);
  assert.deepEqual(fields, [
    'body.items[1].price',
    'body.items[2].vat_rate',
    'body.items[2].unit',
    'body.items[3].barcodes',
    'body.items[4].price',
  ]);
  assert.match(put.body.details[3].message, /штрихкод 4600000000015 уже есть: body\.items\[0\]/);
  assert.match(put.body.message, /^Каталог не изменён \(ошибок: 5\)/);
  const list = await f.call('GET', '/v1/catalog/items');
  assert.equal(list.body.total, 0);
  assert.equal((await f.call('PUT', '/v1/catalog/items', { items: [] })).status, 422);
  assert.equal((await f.call('PUT', '/v1/catalog/items', [BREAD])).status, 422);
});

test('a receipt names catalogue items by code: the station fills in name, price, VAT and total', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  await f.call('PUT', '/v1/catalog/items', { items: [BREAD, MILK] });
  const sale = await f.sale('by-code-1', {
    pos_id: 'POS-1',
    type: 'sale',
    items: [
      { code: '1001', quantity: 2 },
      { code: '1002', quantity: 1, price: 80 },
    ],
    payments: [{ type: 'cash', amount: 200 }],
  });
  assert.equal(sale.status, 200, JSON.stringify(sale.body));
  const r = await f.call('GET', `/v1/kkt/receipt/${sale.body.receipt_id}`);
  const line = { measure: 0, measure_name: 'шт', payment_method: 4, payment_subject: 1 };
  assert.deepEqual(r.body.items, [
    { name: 'Хлеб Бородинский', price: 45.5, quantity: 2, total: 91, vat: 'vat10', ...line },
    // The catalogue's unit (л) is the line's tag 2108.
    {
      name: 'Молоко Простоквашино 3,2 %',
      price: 80,
      quantity: 1,
      total: 80,
      vat: 'vat10',
      ...line,
      measure: 41,
      measure_name: 'л',
    },
  ]);
  const unknown = await f.sale('by-code-2', {
    pos_id: 'POS-1',
    type: 'sale',
    items: [{ code: 'nope', quantity: 1 }, { quantity: 1 }],
    payments: [{ type: 'cash', amount: 200 }],
  });
  assert.equal(unknown.status, 422);
  assert.deepEqual(
    unknown.body.details.map((d: { field: string }) => d.field),
    ['items[0].code', 'items[1].name', 'items[1].price', 'items[1].total'],
  );
});

test('the OpenAPI description documents the catalogue operations and the item schema', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const doc = (await f.call('GET', '/openapi.json')).body;
  assert.ok(doc.paths['/v1/catalog/items'].put);
  assert.ok(doc.paths['/v1/catalog/items'].get.parameters.some((p: { name: string }) => p.name === 'query'));
  assert.equal(doc.paths['/v1/catalog/barcode/{barcode}'].get.parameters[0].name, 'barcode');
  assert.ok(doc.paths['/v1/catalog/items/{code}'].delete.responses['404']);
  assert.deepEqual(doc.components.schemas.CatalogItem.required, ['code', 'name', 'price', 'vat_rate']);
  assert.ok(doc.components.schemas.ReceiptRequest.properties.items.items.properties.code);
});
