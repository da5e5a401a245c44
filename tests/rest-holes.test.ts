// The REST API's small holes (issue #8 parts 8 and 9), each on a real station (SQLite file, emulated
// KKT, HTTP on loopback): a fractional limit, a malformed percent-encoding, a 10,000-deep unknown field,
// control characters in printed text, a foreign Host header, and the idempotency fingerprint taken over
// the parsed receipt (45.5 and "45.50" are one sale) while fingerprints stored by the previous version
// keep replaying.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Kkt } from '../src/main/core/kkt/kkt.ts';
import { canonicalJson } from '../src/main/core/util/canonical-json.ts';
import { httpJson } from './helpers/http-client.ts';
import { saleBody, startFixture, TEST_TOKEN } from './helpers/fixture.ts';

async function fiscalReceipts(kkt: Kkt): Promise<number> {
  const last = (await kkt.status()).lastFdNumber;
  let n = 0;
  for (let fd = 1; fd <= last; fd++) if ((await kkt.document(fd))?.kind === 'receipt') n++;
  return n;
}

test('GET /v1/kkt/receipts?limit=1.5 (and other bad limits) → 422 naming query.limit; a good limit works', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  assert.equal((await f.sale('one')).status, 200);
  for (const limit of ['1.5', '0', '501', 'abc', '-3', '1e400']) {
    const res = await f.call('GET', `/v1/kkt/receipts?limit=${limit}`);
    assert.equal(res.status, 422, `limit=${limit}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error, 'validation_error');
    assert.match(res.body.message, /query\.limit: limit must be/);
    assert.equal(res.body.details[0].field, 'query.limit');
  }
  const ok = await f.call('GET', '/v1/kkt/receipts?limit=1');
  assert.equal(ok.status, 200);
  assert.equal(ok.body.receipts.length, 1);
  assert.equal((await f.call('GET', '/v1/kkt/receipts')).status, 200, 'the default still applies');
});

test('a malformed percent-encoding in a receipt id → 400, not 500', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  for (const [method, path] of [
    ['GET', '/v1/kkt/receipt/%E0%A4%A'],
    ['POST', '/v1/kkt/receipt/%ZZ/retry'],
    ['POST', '/v1/kkt/receipt/%C0%AF/void'],
  ] as const) {
    const res = await f.call(method, path);
    assert.equal(res.status, 400, `${method} ${path}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error, 'bad_request');
    assert.match(res.body.message, /malformed percent-encoding/);
  }
  assert.equal((await f.call('GET', '/v1/kkt/receipt/no-such-id')).status, 404);
});

test('a sale with a 10,000-deep unknown field → 400 and nothing stored; a deep body anywhere is refused', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const body = JSON.stringify(saleBody()).replace(
    /}$/,
    `,"extra":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
  );
  const res = await f.call('POST', '/v1/kkt/receipt', body, { 'idempotency-key': 'deep' });
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.match(res.body.message, /nested deeper than 32 levels/);
  const cash = await f.call('POST', '/v1/kkt/cash/in', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`);
  assert.equal(cash.status, 400);
  assert.equal(f.station.bufferStatus().total, 0);
  assert.equal(await fiscalReceipts(f.station.kkt), 0);
});

test('control characters in printed text → 422 naming the field, before anything reaches the KKT', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const item = saleBody().items[0]!;
  const cases: [string, unknown, RegExp][] = [
    [
      'ESC in a name',
      saleBody({ items: [{ ...item, name: 'Хлеб\u001b[5m' }] }),
      /items\[0\]\.name: .*control/,
    ],
    [
      'a line break inside a name',
      saleBody({ items: [{ ...item, name: 'Хлеб\nбесплатно' }] }),
      /items\[0\]\.name/,
    ],
    ['C1 in a name', saleBody({ items: [{ ...item, name: 'Хлеб\u009b' }] }), /items\[0\]\.name/],
    ['NUL in the cashier', saleBody({ cashier_name: 'Ива\u0000нова' }), /cashier_name: .*control/],
    ['TAB in pos_id', saleBody({ pos_id: 'POS\t1' }), /pos_id: .*control/],
  ];
  for (const [i, [name, body, message]] of cases.entries()) {
    const res = await f.sale(`ctl-${i}`, body);
    assert.equal(res.status, 422, `${name}: ${JSON.stringify(res.body)}`);
    assert.match(res.body.message, message, name);
  }
  const open = await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Иванова\r\nКассир' });
  assert.equal(open.status, 422, JSON.stringify(open.body));
  assert.match(open.body.message, /body\.cashier_name: .*control/);
  const cash = await f.call(
    'POST',
    '/v1/kkt/cash/in',
    { amount: 100, cashier_name: 'a\u0007' },
    {
      'idempotency-key': 'ctl-cash',
    },
  );
  assert.equal(cash.status, 422);
  assert.equal(f.station.bufferStatus().total, 0);
  assert.equal((await f.station.kkt.status()).lastFdNumber, 0, 'the KKT heard of nothing');
  assert.equal((await f.sale('plain', saleBody({ cashier_name: 'Иванова И.' }))).status, 200);
});

test('the REST API answers only loopback Host names (DNS rebinding): others get 421 and nothing happens', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const port = new URL(f.api.url).port;
  const call = (host: string, path = '/v1/kkt/buffer/status', method = 'GET', body?: unknown) =>
    httpJson(`${f.api.url}${path}`, {
      method,
      body,
      headers: { host, authorization: `Bearer ${TEST_TOKEN}`, 'idempotency-key': `h-${host}` },
    });
  for (const host of [
    'evil.example',
    `evil.example:${port}`,
    `127.0.0.1.nip.io:${port}`,
    'localhost.evil:80',
  ]) {
    const res = await call(host);
    assert.equal(res.status, 421, `${host}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error, 'forbidden_host');
    assert.match(res.body.message, /127\.0\.0\.1, localhost and \[::1\]/);
  }
  const sale = await call('attacker.example', '/v1/kkt/receipt', 'POST', saleBody());
  assert.equal(sale.status, 421);
  assert.equal(f.station.bufferStatus().total, 0, 'a rebinding page cannot ring a sale');
  for (const host of [
    `127.0.0.1:${port}`,
    `localhost:${port}`,
    `LOCALHOST:${port}`,
    `[::1]:${port}`,
    'localhost',
  ])
    assert.equal((await call(host)).status, 200, host);
});

test('the idempotency fingerprint is over the parsed receipt: 45.5 and "45.50", 10 and "10" are one sale', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const first = await f.sale('same-sale');
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const item = saleBody().items[0]!;
  const variants = [
    saleBody({ items: [{ ...item, price: '45.50', total: '91.00' }, saleBody().items[1]] }),
    saleBody({ items: [{ ...item, vat_rate: 10, quantity: '2.000' }, saleBody().items[1]], extra_field: 1 }),
    JSON.parse(JSON.stringify(saleBody()).replace('"price":45.5', '"price":45.500')),
  ];
  for (const body of variants) {
    const res = await f.call('POST', '/v1/kkt/receipt', body, { 'idempotency-key': 'same-sale' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.receipt_id, first.body.receipt_id);
    assert.equal(res.headers.get('idempotent-replayed'), 'true');
  }
  const other = await f.sale('same-sale', saleBody({ items: [{ ...item, price: 45.51, total: 91.02 }] }));
  assert.equal(other.status, 409, 'a different price is another sale');
  assert.equal(await fiscalReceipts(f.station.kkt), 1);
});

test('a receipt stored with the previous fingerprint (raw body) still replays after the upgrade, printed once', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const body = saleBody();
  const first = await f.sale('old-key', body);
  assert.equal(first.status, 200);
  // What the previous version stored: sha256 of the canonical raw body.
  const legacy = createHash('sha256').update(canonicalJson(body)).digest('hex');
  f.station.db
    .prepare(`UPDATE receipts SET request_hash = ? WHERE id = ?`)
    .run(legacy, first.body.receipt_id);
  const same = await f.sale('old-key', body);
  assert.equal(same.status, 200, JSON.stringify(same.body));
  assert.equal(same.body.receipt_id, first.body.receipt_id);
  const reformatted = await f.sale(
    'old-key',
    JSON.parse(JSON.stringify(body).replace('"price":45.5', '"price":"45.50"')),
  );
  assert.equal(reformatted.status, 200, JSON.stringify(reformatted.body));
  assert.equal(reformatted.body.receipt_id, first.body.receipt_id);
  assert.equal((await f.sale('old-key', saleBody({ pos_id: 'POS-9' }))).status, 409);
  assert.equal(await fiscalReceipts(f.station.kkt), 1);
});
