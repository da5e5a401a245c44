// The sale path through the real REST API: validation, idempotency, capacity, refunds, KKT failures
// and crash reconciliation, on a real SQLite file, a real HTTP server and the emulated KKT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openEmulatedKkt } from '../src/main/app/open-kkt.ts';
import type { KktEmulator } from '../src/kkt-emulator/emulator.ts';
import type { Kkt } from '../src/main/core/kkt/kkt.ts';
import { saleBody, startFixture, TEST_TOKEN } from './helpers/fixture.ts';
import { waitFor } from './helpers/wait.ts';

/** Receipts in the KKT's fiscal archive, asked through the driver: the ground truth for "printed once". */
async function fiscalDocuments(kkt: Kkt): Promise<number> {
  const last = (await kkt.status()).lastFdNumber;
  let receipts = 0;
  for (let fd = 1; fd <= last; fd++) if ((await kkt.document(fd))?.kind === 'receipt') receipts++;
  return receipts;
}

test('a sale is stored, printed and answered with its fiscal attributes and QR string', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const res = await f.sale('sale-1');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.status, 'printed');
  const doc = res.body.fiscal_doc;
  assert.ok(doc.fiscal_doc_number >= 1);
  assert.equal(doc.total, 180.99);
  assert.equal(doc.change, 19.01);
  assert.match(
    doc.qr_code_data,
    new RegExp(
      `^t=\\d{8}T\\d{4}&s=180\\.99&fn=${doc.fn_number}&i=${doc.fiscal_doc_number}&fp=${doc.fiscal_sign}&n=1$`,
    ),
  );
  const stored = await f.call('GET', `/v1/kkt/receipt/${res.body.receipt_id}`);
  assert.equal(stored.body.state, 'printed');
  assert.equal(stored.body.status, 'pending');
  assert.equal(stored.body.total_kop, 18099);
});

test('same Idempotency-Key and body → the same receipt and one fiscal document, even on a double click', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const [a, b] = await Promise.all([f.sale('click'), f.sale('click')]);
  const c = await f.sale('click', { ...saleBody(), items: [...saleBody().items].reverse() }); // line order is printed: another receipt
  assert.equal(a.status, 200);
  assert.equal(b.status, 200);
  assert.equal(a.body.receipt_id, b.body.receipt_id);
  assert.deepEqual(a.body.fiscal_doc, b.body.fiscal_doc);
  assert.equal(c.status, 409, 'reordered lines are a different receipt');
  const replay = await f.sale('click', JSON.parse(JSON.stringify(saleBody())));
  assert.equal(replay.body.receipt_id, a.body.receipt_id);
  assert.equal(await fiscalDocuments(f.station.kkt), 1);
});

test('a printed receipt the OFD later dead-lettered is replayed as printed: 200 with its fiscal_doc, printed once', async (t) => {
  const f = await startFixture(t);
  f.ofd.setMode({ mode: 'fail_next', count: 1, status: 422 }); // a permanent rejection: straight to the DLQ
  const first = await f.sale('dead-later');
  assert.equal(first.status, 200, JSON.stringify(first.body));
  await waitFor(
    'the receipt to be dead-lettered',
    () => f.station.store.get(first.body.receipt_id)!.status === 'dead',
  );
  const replay = await f.sale('dead-later');
  assert.equal(replay.status, 200, JSON.stringify(replay.body));
  assert.equal(replay.body.status, 'printed');
  assert.equal(replay.body.receipt_id, first.body.receipt_id);
  assert.deepEqual(replay.body.fiscal_doc, first.body.fiscal_doc);
  assert.equal(await fiscalDocuments(f.station.kkt), 1);
});

test('same Idempotency-Key with a different body → 409 and nothing printed', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  await f.sale('k');
  const res = await f.sale('k', saleBody({ pos_id: 'POS-2' }));
  assert.equal(res.status, 409);
  assert.equal(res.body.error, 'idempotency_conflict');
  assert.match(res.body.message, /already used for a different receipt/);
  assert.equal(await fiscalDocuments(f.station.kkt), 1);
});

test('every invalid body → 422 naming the field, nothing stored or printed', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const item = saleBody().items[0]!;
  const cases: [string, unknown, RegExp][] = [
    ['no pos_id', saleBody({ pos_id: undefined }), /pos_id/],
    ['unknown type', saleBody({ type: 'gift' }), /type/],
    ['no items', saleBody({ items: [] }), /items/],
    [
      'price with 3 decimals',
      saleBody({ items: [{ ...item, price: 45.505, total: 91.01 }] }),
      /items\[0\]\.price.*at most 2 decimals/,
    ],
    ['negative price', saleBody({ items: [{ ...item, price: -1 }] }), /items\[0\]\.price/],
    ['price as text', saleBody({ items: [{ ...item, price: 'сорок' }] }), /items\[0\]\.price/],
    ['zero quantity', saleBody({ items: [{ ...item, quantity: 0 }] }), /items\[0\]\.quantity/],
    [
      'total ≠ price × quantity',
      saleBody({ items: [{ ...item, total: 50 }] }),
      /items\[0\]\.total: 50\.00 does not match price × quantity = 91\.00/,
    ],
    ['unknown VAT', saleBody({ items: [{ ...item, vat_rate: '18' }] }), /items\[0\]\.vat_rate/],
    ['empty name', saleBody({ items: [{ ...item, name: ' ' }] }), /name/],
    [
      'payment below total',
      saleBody({ payments: [{ type: 'cash', amount: 100 }] }),
      /payments 100\.00 are less than the total 180\.99/,
    ],
    ['card over total', saleBody({ payments: [{ type: 'card', amount: 200 }] }), /only cash can give change/],
    [
      'unknown payment type',
      saleBody({ payments: [{ type: 'bitcoin', amount: 200 }] }),
      /payments\[0\]\.type/,
    ],
    ['refund without original', saleBody({ type: 'refund' }), /original_receipt_id/],
    ['correction', saleBody({ type: 'correction' }), /POST \/v1\/kkt\/correction/],
    ['not an object', [1, 2], /JSON object/],
    [
      'unit that does not exist',
      saleBody({ items: [{ ...item, measure: 'ведро' }] }),
      /items\[0\]\.measure: .*not a unit/,
    ],
    ['unit code that does not exist', saleBody({ items: [{ ...item, measure: 99 }] }), /items\[0\]\.measure/],
    [
      'INN with a bad check digit',
      saleBody({ cashier_inn: '500100732258' }),
      /cashier_inn has wrong check digits/,
    ],
    ['INN of 10 digits', saleBody({ cashier_inn: '7707083893' }), /cashier_inn must be exactly 12 digits/],
    ['bad e-mail', saleBody({ buyer_email: 'nobody' }), /buyer_email/],
    [
      'free line',
      saleBody({
        items: [...saleBody().items, { name: 'Пакет', price: 0, quantity: 1, total: 0, vat_rate: 20 }],
      }),
      /items\[2\]\.price: a receipt line needs a price above 0\.00/,
    ],
    [
      'total over the KKT limit',
      saleBody({
        items: [{ ...item, price: 99_999_999.99, quantity: 200, total: 19_999_999_998 }],
        payments: [{ type: 'card', amount: 19_999_999_998 }],
      }),
      /exceed|at most 2 decimals/,
    ],
  ];
  for (const [i, [name, body, message]] of cases.entries()) {
    const res = await f.sale(`bad-${i}`, body);
    assert.equal(res.status, 422, `${name}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error, 'validation_error', name);
    assert.match(res.body.message, message, name);
    assert.match(res.body.message, /nothing was stored or printed/, name);
  }
  const bad = await f.call('POST', '/v1/kkt/receipt', '{"pos_id": ', { 'idempotency-key': 'broken-json' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.message, /not valid JSON/);
  const noKey = await f.call('POST', '/v1/kkt/receipt', saleBody());
  assert.equal(noKey.status, 400);
  assert.match(noKey.body.message, /Idempotency-Key header is required/);
  assert.equal(f.station.bufferStatus().total, 0, 'nothing stored');
  assert.equal(await fiscalDocuments(f.station.kkt), 0, 'nothing printed');
});

test('amounts are exact kopecks: 0.29 × 3 is 0.87, strings are accepted', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const res = await f.sale(
    'kop',
    saleBody({
      items: [{ name: 'Спички', price: '0.29', quantity: 3, total: 0.87, vat_rate: 20 }],
      payments: [{ type: 'cash', amount: '1' }],
    }),
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.fiscal_doc.total, 0.87);
  assert.equal(res.body.fiscal_doc.change, 0.13);
});

test('buffer full → 503 with the spec message, nothing stored, nothing printed', async (t) => {
  const f = await startFixture(t, { startWorker: false, env: { STATION_BUFFER_CAPACITY: '3' } });
  for (let i = 0; i < 3; i++) assert.equal((await f.sale(`fill-${i}`)).status, 200);
  const res = await f.sale('one-too-many');
  assert.equal(res.status, 503);
  assert.equal(res.body.error, 'buffer_full');
  assert.equal(res.body.message, 'Buffer full: 3/3. Cannot accept new receipts.');
  assert.equal(f.station.bufferStatus().total, 3);
  assert.equal(await fiscalDocuments(f.station.kkt), 3);
  const status = await f.call('GET', '/v1/kkt/buffer/status');
  assert.equal(status.body.percent_full, 100);
  assert.equal(status.body.alert_level, 'full');
});

test('the token is required: missing or wrong → 401; docs and OpenAPI are open', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const none = await fetch(`${f.api.url}/v1/kkt/buffer/status`);
  assert.equal(none.status, 401);
  assert.match(((await none.json()) as { message: string }).message, /Authorization: Bearer/);
  const wrong = await fetch(`${f.api.url}/v1/kkt/receipt`, {
    method: 'POST',
    headers: { authorization: 'Bearer nope', 'idempotency-key': 'x' },
    body: JSON.stringify(saleBody()),
  });
  assert.equal(wrong.status, 401);
  assert.equal(await fiscalDocuments(f.station.kkt), 0);
  const openapi = await fetch(`${f.api.url}/openapi.json`);
  assert.equal(openapi.status, 200);
  assert.equal(((await openapi.json()) as { openapi: string }).openapi, '3.0.3');
  const docs = await fetch(`${f.api.url}/docs`);
  assert.match(await docs.text(), /\/v1\/kkt\/receipt/);
  assert.ok(f.api.url.startsWith('http://127.0.0.1:'), 'loopback only');
  assert.equal(TEST_TOKEN.length >= 16, true);
});

test('a refund is refused while the original is not synced, allowed after, and never above what was sold', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const sale = await f.sale(
    'orig',
    saleBody({
      items: [{ name: 'Чай', price: 100, quantity: 3, total: 300, vat_rate: 20 }],
      payments: [{ type: 'card', amount: 300 }],
    }),
  );
  const originalId = sale.body.receipt_id;
  const refund = (key: string, quantity: number) =>
    f.sale(key, {
      pos_id: 'POS-1',
      type: 'refund',
      original_receipt_id: originalId,
      items: [{ name: 'Чай', price: 100, quantity, total: 100 * quantity, vat_rate: 20 }],
      payments: [{ type: 'card', amount: 100 * quantity }],
    });

  const early = await refund('ref-early', 1);
  assert.equal(early.status, 409);
  assert.equal(early.body.error, 'refund_not_allowed');
  const fd = sale.body.fiscal_doc.fiscal_doc_number;
  assert.match(early.body.message, new RegExp(`FD ${fd} is not yet accepted by the OFD.*Sync now`));

  const sync = await f.call('POST', '/v1/kkt/buffer/sync');
  assert.equal(sync.body.synced, 1);
  const ok = await refund('ref-1', 2);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.match(ok.body.fiscal_doc.qr_code_data, /&n=2$/);
  const tooMuch = await refund('ref-2', 2);
  assert.equal(tooMuch.status, 409);
  assert.match(
    tooMuch.body.message,
    new RegExp(
      `200\\.00 would return more than receipt FD ${fd} sold \\(300\\.00, already refunded 200\\.00\\)`,
    ),
  );
  const missing = await f.sale('ref-x', {
    pos_id: 'POS-1',
    type: 'refund',
    original_receipt_id: 'nope',
    items: [{ name: 'Чай', price: 100, quantity: 1, total: 100, vat_rate: 20 }],
    payments: [{ type: 'cash', amount: 100 }],
  });
  assert.equal(missing.status, 409);
  assert.equal(await fiscalDocuments(f.station.kkt), 2, 'the sale and one refund');
});

test('a KKT refusal → 503 kkt_refused, print_failed; the same request after the fix prints it once', async (t) => {
  let emulator!: KktEmulator;
  const f = await startFixture(t, {
    startWorker: false,
    kkt: async (dataDir) => ({ emulator } = await openEmulatedKkt({ dataDir })).kkt,
  });
  emulator.setPaper(false);
  const first = await f.sale('paper');
  assert.equal(first.status, 503, JSON.stringify(first.body));
  assert.equal(first.body.error, 'kkt_refused');
  assert.match(first.body.message, /бумаг.*Nothing was fiscalised/i);
  assert.equal(first.body.details.reason, 'paper_out', 'the reason a program acts on, not the words');
  assert.equal(first.body.details.device_code, 0x6b);
  assert.equal(first.body.details.device_code_hex, '6Bh');
  assert.match(first.body.details.kkt_message, /бумаг/i);
  assert.equal(f.station.store.get(first.body.details.receipt_id)!.status, 'print_failed');
  const x = await f.call('POST', '/v1/kkt/shift/open');
  assert.equal(
    x.status,
    503,
    "a KKT refusal outside the sale path is the device's message, not an internal error",
  );
  assert.equal(x.body.error, 'kkt_refused');
  assert.match(x.body.message, /бумаг/i);
  assert.deepEqual(x.body.details, {
    reason: 'paper_out',
    device_code: 0x6b,
    device_code_hex: '6Bh',
    device_message: 'Нет бумаги в ККТ — вставьте новый рулон чековой ленты',
  });
  emulator.setPaper(true);
  const again = await f.sale('paper');
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.receipt_id, first.body.details.receipt_id);
  assert.equal(await fiscalDocuments(f.station.kkt), 1);
});

test('a lost KKT answer is reconciled with the archive: recorded as printed, never printed twice', async (t) => {
  let emulator!: KktEmulator;
  // A short answer timeout so the lost answer is noticed in a second rather than the production 30 s.
  const link = { responseTimeoutMs: () => 1_000 };
  const f = await startFixture(t, {
    startWorker: false,
    kkt: async (dataDir) => ({ emulator } = await openEmulatedKkt({ dataDir, driver: { link } })).kkt,
  });
  emulator.faults.loseAnswer({ command: 0xff45 }); // the receipt closes on the device, its answer never arrives
  const res = await f.sale('lost');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.fiscal_doc.fiscal_doc_number, (await f.station.kkt.lastDocument())?.fdNumber);
  assert.equal(
    f.station.journal.recent(20, res.body.receipt_id).some((e) => e.kind === 'receipt_recovered'),
    true,
  );
  const replay = await f.sale('lost');
  assert.equal(replay.body.receipt_id, res.body.receipt_id);
  assert.equal(await fiscalDocuments(f.station.kkt), 1, 'nothing printed twice');
});

test('start-up recovery: a receipt left in printing is matched with the KKT archive or returned to accepted', async (t) => {
  const first = await startFixture(t, { startWorker: false });
  const printedThenCrashed = await first.sale('p1');
  // Simulate the two crash windows by rewinding state the way a power cut would leave it.
  // Crash after the KKT printed, before the station recorded it: `printing`, no FD, high-water mark not raised.
  first.station.db
    .prepare(`UPDATE receipts SET status = 'printing', fd_number = NULL WHERE id = ?`)
    .run(printedThenCrashed.body.receipt_id);
  first.station.db.prepare(`DELETE FROM meta WHERE key LIKE 'kkt_fd_high_water:%'`).run();
  const ok = first.station.store.insertAccepted(
    {
      id: 'never-printed',
      idempotencyKey: 'np',
      requestHash: 'x',
      draft: first.station.store.get(printedThenCrashed.body.receipt_id)!.draft,
    },
    100,
  );
  first.station.store.markPrinting(ok.id);
  // Two receipts in `printing` cannot happen (prints are serialised); recover handles them in order.
  await first.station.stop();

  const second = await startFixture(t, { startWorker: false, dataDir: first.dataDir, ofd: first.ofd });
  const a = second.station.store.get(printedThenCrashed.body.receipt_id)!;
  const b = second.station.store.get('never-printed')!;
  assert.equal(a.status, 'printed', 'its FD was in the archive: recorded, not reprinted');
  assert.equal(a.fiscal?.fdNumber, printedThenCrashed.body.fiscal_doc.fiscal_doc_number);
  assert.equal(b.status, 'accepted', 'nothing in the archive: it may be printed again');
  assert.equal(await fiscalDocuments(second.station.kkt), 1);
  // The integrator resends: the accepted one prints now, once.
  const retry = await second.call('POST', `/v1/kkt/receipt/${b.id}/retry`);
  assert.equal(retry.body.state, 'printed');
  assert.equal(await fiscalDocuments(second.station.kkt), 2);
});

test('a shift closed and opened after a lost answer does not hide the receipt: it is found, never printed twice', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const sale = await f.sale('hidden');
  const id = sale.body.receipt_id;
  const fd = sale.body.fiscal_doc.fiscal_doc_number;
  // The KKT printed it but the station never heard back (as after a lost answer and a KKT that went quiet).
  f.station.db.prepare(`UPDATE receipts SET status = 'printing', fd_number = NULL WHERE id = ?`).run(id);
  f.station.db.prepare(`DELETE FROM meta WHERE key LIKE 'kkt_fd_high_water:%'`).run();
  // Behind the receipt, the KKT's archive gets more documents: the station must look past them.
  await f.station.kkt.closeShift();
  await f.station.kkt.openShift();
  const replay = await f.sale('hidden');
  assert.equal(replay.status, 200, JSON.stringify(replay.body));
  assert.equal(replay.body.fiscal_doc.fiscal_doc_number, fd, 'recorded with its original document');
  assert.equal(await fiscalDocuments(f.station.kkt), 1, 'printed once');
  // Shift operations through the station settle an interrupted print first.
  f.station.db.prepare(`UPDATE receipts SET status = 'printing', fd_number = NULL WHERE id = ?`).run(id);
  f.station.db.prepare(`DELETE FROM meta WHERE key LIKE 'kkt_fd_high_water:%'`).run();
  assert.equal((await f.call('POST', '/v1/kkt/shift/close')).status, 200);
  assert.equal(f.station.store.get(id)!.status, 'printed');
  assert.equal(f.station.store.get(id)!.fiscal?.fdNumber, fd);
});

test('a receipt that turns out not printed is printed when its request comes again', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const sale = await f.sale('np');
  const id = sale.body.receipt_id;
  // A crash after `printing` was committed, before the print command went out.
  const r = f.station.store.insertAccepted(
    {
      id: 'lost-before-print',
      idempotencyKey: 'lbp',
      requestHash: f.station.store.get(id)!.requestHash,
      draft: f.station.store.get(id)!.draft,
    },
    100,
  );
  f.station.store.markPrinting(r.id);
  const replay = await f.sale('lbp');
  assert.equal(replay.status, 200, JSON.stringify(replay.body));
  assert.equal(replay.body.receipt_id, 'lost-before-print');
  assert.equal(await fiscalDocuments(f.station.kkt), 2);
});

test('health, metrics, worker and buffer status report the station as it is', async (t) => {
  const f = await startFixture(t);
  await f.sale('m1');
  await waitFor('sync', () => f.station.store.counts().synced === 1);
  const health = await f.call('GET', '/v1/health');
  assert.equal(health.status, 200);
  assert.equal(health.body.status, 'healthy');
  assert.equal(health.body.components.circuit_breaker.state, 'CLOSED');
  assert.equal(health.body.components.kkt.emulated, true);
  const buffer = await f.call('GET', '/v1/kkt/buffer/status');
  assert.equal(buffer.body.network_status, 'online');
  assert.equal(buffer.body.current_queued, 0);
  assert.equal(buffer.body.synced, 1);
  const metrics = await f.call('GET', '/metrics');
  assert.match(metrics.body, /^station_receipts\{state="synced"\} 1$/m);
  assert.match(metrics.body, /^station_breaker_state\{state="CLOSED"\} 1$/m);
  const worker = await f.call('GET', '/v1/kkt/worker/status');
  assert.equal(worker.body.running, true);
  assert.equal(worker.body.counters.synced, 1);
  const unknown = await f.call('GET', '/v1/kkt/receipt/nope');
  assert.equal(unknown.status, 404);
});
