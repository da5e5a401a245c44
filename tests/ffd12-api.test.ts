// Issue 10 parts 2, 3 and 5 through the REST API on the byte-level emulator: per-item unit (2108),
// payment subject and method, a refund inheriting them from its sale, the cashier (1021/1203) from the
// request or the shift on every document, and correction receipts (POST /v1/kkt/correction): stored,
// printed, synced, in the X/Z totals, and refused with a 422 naming the field when invalid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openEmulatedKkt } from '../src/main/app/open-kkt.ts';
import type { KktEmulator } from '../src/kkt-emulator/emulator.ts';
import { startFixture, type Fixture } from './helpers/fixture.ts';
import { waitFor } from './helpers/wait.ts';

const INN = '500100732259';

async function station(t: Parameters<typeof startFixture>[0], startWorker = false) {
  let emulator!: KktEmulator;
  const f = await startFixture(t, {
    startWorker,
    kkt: async (dataDir) => ({ emulator } = await openEmulatedKkt({ dataDir })).kkt,
  });
  return { f, emulator };
}

const correctionBody = (over: Record<string, unknown> = {}) => ({
  pos_id: 'POS-1',
  operation: 'sale',
  correction_type: 'self',
  reason_document: { date: '2026-01-27', number: 'Акт 12' },
  items: [{ name: 'Сахар', price: 120, quantity: 1.5, total: 180, vat_rate: 10, measure: 'кг' }],
  payments: [{ type: 'cash', amount: 180 }],
  ...over,
});

const correct = (f: Fixture, key: string, body: unknown) =>
  f.call('POST', '/v1/kkt/correction', body, { 'idempotency-key': key });

test('a weighed sale: unit, subject and method per line; the shift cashier signs it; GET shows them', async (t) => {
  const { f, emulator } = await station(t);
  const opened = await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Иванова А.', cashier_inn: INN });
  assert.equal(opened.status, 200, JSON.stringify(opened.body));
  const res = await f.sale('weighed', {
    pos_id: 'POS-1',
    type: 'sale',
    items: [
      { name: 'Яблоки', price: 199.9, quantity: 0.255, total: 50.97, vat_rate: 10, measure: 'кг' },
      {
        name: 'Квас',
        price: 89,
        quantity: 2,
        total: 178,
        vat_rate: 22,
        measure: 41,
        payment_subject: 'excise',
      },
      { name: 'Пакет', price: 5, quantity: 1, total: 5, vat_rate: 22, payment_method: 'full_prepayment' },
    ],
    payments: [
      { type: 'cash', amount: 200 },
      { type: 'other', amount: 33.97 },
    ],
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const doc = emulator.archive.find((d) => d.fd === res.body.fiscal_doc.fiscal_doc_number)!;
  assert.deepEqual(
    doc.items!.map((i) => [i.quantity, i.tags?.['2108'], i.paymentSubject, i.paymentMethod]),
    [
      ['0.255', '11', 1, 4],
      ['2', '41', 2, 4],
      ['1', '0', 1, 1],
    ],
  );
  assert.deepEqual(doc.tags, { '1021': 'Иванова А.', '1203': INN });
  assert.equal(doc.payments?.prepaymentKop, 3_397, '"other" is the prepayment sum (1215), not electronic');
  assert.equal(doc.payments?.type2Kop, 0);

  const got = await f.call('GET', `/v1/kkt/receipt/${res.body.receipt_id}`);
  assert.equal(got.body.cashier_name, 'Иванова А.');
  assert.equal(got.body.cashier_inn, INN);
  assert.deepEqual(
    got.body.items.map((i: Record<string, unknown>) => [
      i.measure,
      i.measure_name,
      i.payment_subject,
      i.payment_method,
    ]),
    [
      [11, 'кг', 1, 4],
      [41, 'л', 2, 4],
      [0, 'шт', 1, 1],
    ],
  );
  // A cashier named in the request signs instead; the shift cashier's INN is not lent to them.
  const other = await f.sale('named', {
    pos_id: 'POS-1',
    type: 'sale',
    items: [{ name: 'Хлеб', price: 45, quantity: 1, total: 45, vat_rate: 10 }],
    payments: [{ type: 'cash', amount: 45 }],
    cashier_name: 'Петров Б.',
  });
  const otherDoc = emulator.archive.find((d) => d.fd === other.body.fiscal_doc.fiscal_doc_number)!;
  assert.deepEqual(otherDoc.tags, { '1021': 'Петров Б.' });
  // The Z report without a cashier is signed by the one who opened the shift.
  assert.equal((await f.call('POST', '/v1/kkt/shift/close', {})).status, 200);
  assert.deepEqual(emulator.archive.at(-1)!.tags, { '1021': 'Иванова А.', '1203': INN });
});

test('a refund takes unit, subject and method from its sale; naming other ones is a 422', async (t) => {
  const { f, emulator } = await station(t, true);
  const sale = await f.sale('sale', {
    pos_id: 'POS-1',
    type: 'sale',
    items: [
      {
        name: 'Квас',
        price: 89,
        quantity: 1.5,
        total: 133.5,
        vat_rate: 22,
        measure: 'л',
        payment_subject: 2,
      },
    ],
    payments: [{ type: 'card', amount: 133.5 }],
  });
  assert.equal(sale.status, 200);
  await waitFor(
    'the sale synced',
    async () => (await f.call('GET', `/v1/kkt/receipt/${sale.body.receipt_id}`)).body.status === 'synced',
  );
  const refund = (key: string, item: Record<string, unknown>) =>
    f.sale(key, {
      pos_id: 'POS-1',
      type: 'refund',
      original_receipt_id: sale.body.receipt_id,
      items: [{ name: 'Квас', price: 89, quantity: 0.5, total: 44.5, vat_rate: 22, ...item }],
      payments: [{ type: 'card', amount: 44.5 }],
    });
  const wrong = await refund('wrong', { measure: 'кг', payment_subject: 1 });
  assert.equal(wrong.status, 422);
  assert.deepEqual(
    wrong.body.details.map((d: { field: string }) => d.field),
    ['items[0].measure', 'items[0].payment_subject'],
  );
  const fdBefore = emulator.archive.length;
  assert.equal((await f.call('GET', '/v1/kkt/receipts')).body.receipts.length, 1, 'nothing stored');
  assert.equal(emulator.archive.length, fdBefore, 'nothing printed');

  const ok = await refund('ok', {});
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const doc = emulator.archive.find((d) => d.fd === ok.body.fiscal_doc.fiscal_doc_number)!;
  assert.equal(doc.operation, 2);
  assert.deepEqual(
    doc.items!.map((i) => [i.quantity, i.tags?.['2108'], i.paymentSubject, i.paymentMethod]),
    [['0.500', '41', 2, 4]],
  );
});

test('correction receipt: printed with 1173/1174, stored as type correction, synced, in the X/Z totals', async (t) => {
  const { f, emulator } = await station(t, true);
  await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Смирнова В.' });
  assert.equal((await f.sale('s1')).status, 200);
  const res = await correct(
    f,
    'c1',
    correctionBody({ correction_type: 'order', reason_document: { date: '2026-01-27', number: 'ПР-5' } }),
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.match(res.body.fiscal_doc.qr_code_data, /&s=180\.00&.*&n=1$/);
  const doc = emulator.archive.find((d) => d.fd === res.body.fiscal_doc.fiscal_doc_number)!;
  assert.equal(doc.type, 31);
  assert.deepEqual(doc.tags, {
    '1173': '1',
    '1174': 'STLV',
    '1174/1178': '2026-01-27',
    '1174/1179': 'ПР-5',
    '1021': 'Смирнова В.',
  });
  assert.equal(doc.items![0]!.tags?.['2108'], '11');

  const again = await correct(
    f,
    'c1',
    correctionBody({ correction_type: 'order', reason_document: { date: '2026-01-27', number: 'ПР-5' } }),
  );
  assert.equal(again.status, 200);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(emulator.archive.filter((d) => d.type === 31).length, 1, 'a replay prints nothing');

  const got = await f.call('GET', `/v1/kkt/receipt/${res.body.receipt_id}`);
  assert.equal(got.body.type, 'correction');
  assert.deepEqual(got.body.correction, {
    operation: 'sale',
    correction_type: 'order',
    reason_document: { date: '2026-01-27', number: 'ПР-5' },
  });
  await waitFor(
    'the correction synced',
    async () => (await f.call('GET', `/v1/kkt/receipt/${res.body.receipt_id}`)).body.status === 'synced',
  );
  assert.equal(
    f.ofd.received().find((r) => r.idempotency_key === res.body.receipt_id)?.body.type,
    'correction',
  );

  const refundCorrection = await correct(
    f,
    'c2',
    correctionBody({
      operation: 'refund',
      items: [{ name: 'Хлеб', price: 45, quantity: 1, total: 45, vat_rate: 10 }],
      payments: [{ type: 'cash', amount: 45 }],
    }),
  );
  assert.equal(refundCorrection.status, 200, JSON.stringify(refundCorrection.body));

  const x = await f.call('POST', '/v1/kkt/report/x');
  assert.equal(x.status, 200);
  assert.deepEqual(x.body.station.corrections, { count: 2, sale: 180, refund: 45 });
  for (const side of [x.body.station, x.body.device]) {
    assert.equal(side.sales.total, 180.99 + 180, 'a correction of a sale counts with the sales');
    assert.equal(side.refunds.total, 45, 'a correction of a refund counts with the refunds');
  }
  const status = await f.call('GET', '/v1/kkt/buffer/status');
  assert.equal(status.body.total_receipts, 3);
});

test('an invalid correction is a 422 naming the field; nothing stored, nothing printed', async (t) => {
  const { f, emulator } = await station(t);
  await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Смирнова В.' });
  const { reason_document: _r, ...noReason } = correctionBody();
  const cases: [string, unknown, RegExp][] = [
    ['no reason document', noReason, /reason_document: reason_document is required/],
    [
      'no number',
      correctionBody({ reason_document: { date: '2026-01-27' } }),
      /reason_document\.number: .*required/,
    ],
    [
      'not a date',
      correctionBody({ reason_document: { date: '2026-02-30', number: '1' } }),
      /reason_document\.date: 2026-02-30 is not a calendar date/,
    ],
    [
      'future date',
      correctionBody({ reason_document: { date: '2999-01-01', number: '1' } }),
      /reason_document\.date: .*future/,
    ],
    ['bad type', correctionBody({ correction_type: 'maybe' }), /correction_type/],
    ['bad operation', correctionBody({ operation: 'purchase' }), /operation/],
    ['bad INN', correctionBody({ cashier_inn: '500100732250' }), /cashier_inn has wrong check digits/],
    [
      'bad unit',
      correctionBody({
        items: [{ name: 'Сахар', price: 120, quantity: 1, total: 120, vat_rate: 10, measure: 'пуд' }],
      }),
      /items\[0\]\.measure/,
    ],
  ];
  const before = emulator.archive.length;
  for (const [i, [name, body, message]] of cases.entries()) {
    const res = await correct(f, `bad-${i}`, body);
    assert.equal(res.status, 422, `${name}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error, 'validation_error', name);
    assert.match(res.body.message, message, name);
  }
  assert.equal((await f.call('GET', '/v1/kkt/receipts')).body.receipts.length, 0);
  assert.equal(emulator.archive.length, before);
  assert.equal(
    (await f.call('POST', '/v1/kkt/correction', correctionBody())).status,
    400,
    'Idempotency-Key required',
  );
});

test('the OpenAPI description has the correction endpoint and every new field', async (t) => {
  const { f } = await station(t);
  const doc = (await f.call('GET', '/openapi.json')).body;
  assert.ok(doc.paths['/v1/kkt/correction']?.post);
  const schemas = doc.components.schemas;
  for (const field of ['operation', 'correction_type', 'reason_document', 'cashier_inn'])
    assert.ok(schemas.CorrectionRequest.properties[field], field);
  assert.ok(schemas.ReceiptRequest.properties.cashier_inn);
  assert.ok(schemas.ReceiptRequest.properties.items.items.properties.measure);
  for (const field of ['cashier_name', 'cashier_inn', 'correction'])
    assert.ok(schemas.Receipt.properties[field], field);
});
