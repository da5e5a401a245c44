// Marked goods through the real REST API, the emulated KKT and the mock OFD's permit endpoint: a
// mark_code that is not GS1 is a 422 naming the field; a code the permit service rejects is a 409 with
// nothing stored; a code the FN rejects is a 409 with the stored receipt voided and nothing printed;
// offline mode sells and records "not done"; the OFD gets the code; a refund needs the same code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openEmulatedKkt } from '../src/main/app/open-kkt.ts';
import type { KktEmulator } from '../src/kkt-emulator/emulator.ts';
import type { Kkt } from '../src/main/core/kkt/kkt.ts';
import { GS } from '../src/shared/marking-code.ts';
import { startFixture, type FixtureOptions } from './helpers/fixture.ts';
import { startOfdMock } from '../src/ofd-mock/server.ts';
import type { TestContext } from 'node:test';
import { COMMAND_ARGS } from '../src/main/app/commands.ts';
import { tillCommands } from './helpers/commands.ts';

const SHOES = `010464007801637221_X.g!8xnpuiFV${GS}91FFD0${GS}92dGVzdIzSWNqFlCZrv+e0GSXQd6Qnar28rNj+8v2D+j0=`;
const WATER = `0104600439931256215Nf9Mgx7Vb1YU${GS}93dGVz`;

const body = (items: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
  pos_id: 'POS-1',
  type: 'sale',
  items,
  payments: [{ type: 'cash', amount: items.reduce((s, i) => s + (i.total as number), 0) }],
  ...extra,
});
const shoes = (code: unknown = SHOES, more: Record<string, unknown> = {}) => ({
  name: 'Кроссовки',
  price: 1500,
  quantity: 1,
  total: 1500,
  vat: 'vat22',
  mark_code: code,
  ...more,
});

async function receiptsInArchive(kkt: Kkt): Promise<number> {
  const last = (await kkt.status()).lastFdNumber;
  let n = 0;
  for (let fd = 1; fd <= last; fd++) if ((await kkt.document(fd))?.kind === 'receipt') n++;
  return n;
}

/** A station with the emulator in hand and the permit check pointed at the mock (unless `offline`). */
async function station(t: TestContext, offline = false, opts: FixtureOptions = {}) {
  const ofd = await startOfdMock();
  t.after(() => ofd.close());
  let emulator!: KktEmulator;
  const f = await startFixture(t, {
    startWorker: false,
    ofd,
    env: offline ? {} : { STATION_MARK_CHECK_URL: `${ofd.url}/permit/v1/codes/check` },
    kkt: async (dataDir) => ({ emulator } = await openEmulatedKkt({ dataDir })).kkt,
    ...opts,
  });
  return { ...f, emulator };
}

test('422 naming the field: not GS1, a wrong GTIN check digit, 2 pieces on one code, a code twice', async (t) => {
  const f = await station(t);
  const cases: [unknown, string, RegExp][] = [
    [body([shoes('hello')]), 'items[0].mark_code', /not a GS1 marking code/],
    [body([shoes(`0104640078016373215abc${GS}93Ab12`)]), 'items[0].mark_code', /wrong check digit/],
    [body([shoes(12345)]), 'items[0].mark_code', /as text/],
    [body([shoes(SHOES, { quantity: 2, total: 3000 })]), 'items[0].quantity', /one piece per code/],
    [body([shoes(), shoes(SHOES.replaceAll(GS, '{GS}'))]), 'items[1].mark_code', /same marking code/],
  ];
  for (const [n, [b, field, why]] of cases.entries()) {
    const res = await f.sale(`bad-${n}`, b);
    assert.equal(res.status, 422, JSON.stringify(res.body));
    const issue = res.body.details.find((d: { field: string }) => d.field === field);
    assert.ok(issue, `${field} named in ${JSON.stringify(res.body.details)}`);
    assert.match(issue.message, why);
  }
  assert.equal(f.station.store.recent(10).length, 0, 'nothing stored');
  assert.equal(f.ofd.permit().calls.length, 0, 'nothing asked');
  assert.equal(await receiptsInArchive(f.station.kkt), 0, 'nothing printed');
});

test('a marked sale: permit passed, FN checked, code bound; the receipt view and the OFD payload carry it', async (t) => {
  const f = await station(t);
  const res = await f.sale(
    'marked',
    body([
      { name: 'Хлеб', price: 50, quantity: 1, total: 50, vat: 'vat10' },
      shoes(SHOES.replaceAll(GS, '\u241d')),
    ]),
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const doc = f.emulator.archive.find((d) => d.fd === res.body.fiscal_doc.fiscal_doc_number)!;
  assert.deepEqual(doc.marks, [{ line: 1, code: SHOES, result2106: 0x0f }]);
  assert.deepEqual(f.ofd.permit().calls[0]!.codes, [SHOES], 'the permit service gets the normalised code');

  const view = await f.call('GET', `/v1/kkt/receipt/${res.body.receipt_id}`);
  assert.equal(view.body.items[1].mark_code, SHOES);
  assert.equal(view.body.items[1].mark_permit, 'passed');
  assert.equal(view.body.items[0].mark_code, undefined);

  assert.equal((await f.call('POST', '/v1/kkt/buffer/sync')).body.synced, 1);
  const sent = f.ofd.received()[0]!.body as { items: Record<string, any>[] };
  const mark = sent.items[1]!.mark;
  assert.equal(mark.code, SHOES);
  assert.equal(mark.gtin, '04640078016372');
  assert.equal(mark.planned_status, 1);
  assert.equal(mark.processing_mode, 0);
  assert.match(mark.product_code_1162, /^444D/);
  assert.equal(mark.permit.status, 'passed');
  assert.equal(mark.industry_requisite.foiv_id, '030');
  assert.match(mark.industry_requisite.value, /^UUID=[0-9a-f-]{36}&Time=\d+$/);
  assert.equal(sent.items[0]!.mark, undefined);
});

test('the permit service rejects a code → 409 mark_rejected, nothing stored, nothing printed', async (t) => {
  const f = await station(t);
  f.ofd.setPermitMode({ mode: 'reject', reason: 'sold', codes: [SHOES] });
  const res = await f.sale('sold-already', body([shoes()]));
  assert.equal(res.status, 409, JSON.stringify(res.body));
  assert.equal(res.body.error, 'mark_rejected');
  assert.deepEqual(
    [
      res.body.details.field,
      res.body.details.rejected_by,
      res.body.details.reason,
      res.body.details.receipt_id,
    ],
    ['items[0].mark_code', 'permit', 'this unit is already sold', undefined],
  );
  assert.equal(f.station.store.recent(10).length, 0);
  assert.equal(await receiptsInArchive(f.station.kkt), 0);
});

test('the FN rejects a code → 409 mark_rejected, the stored receipt voided, nothing printed; a replay says voided', async (t) => {
  const f = await station(t);
  await f.call('POST', '/v1/kkt/shift/open');
  const tape = f.emulator.tape.length;
  f.emulator.rejectMarkCode(WATER, 'status');
  const res = await f.sale('fn-no', body([shoes(), { ...shoes(WATER), name: 'Вода', price: 90, total: 90 }]));
  assert.equal(res.status, 409, JSON.stringify(res.body));
  assert.equal(res.body.error, 'mark_rejected');
  assert.equal(res.body.details.rejected_by, 'marking_server');
  assert.equal(res.body.details.line, 1);
  assert.equal(res.body.details.receipt_status, 'voided');
  assert.equal(f.station.store.get(res.body.details.receipt_id)!.status, 'voided');
  assert.equal(await receiptsInArchive(f.station.kkt), 0);
  assert.equal(f.emulator.tape.length, tape, 'nothing printed');
  assert.equal(f.emulator.receiptOpen, false);
  assert.equal(f.station.fiscal.unprinted().length, 0, 'not offered for printing again');
  const replay = await f.sale(
    'fn-no',
    body([shoes(), { ...shoes(WATER), name: 'Вода', price: 90, total: 90 }]),
  );
  assert.equal(replay.status, 409);
  assert.equal(replay.body.error, 'receipt_voided');
  // The next sale with another unit goes through: the FN's check buffer was left clean.
  assert.equal((await f.sale('next', body([shoes()]))).status, 200);
});

test('offline mode (no permit service): the sale goes on, the check recorded as not done', async (t) => {
  const f = await station(t, true);
  const res = await f.sale('offline', body([shoes()]));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const stored = f.station.store.get(res.body.receipt_id)!;
  assert.deepEqual(stored.draft.items[0]!.mark!.permit, {
    status: 'not_done',
    reason: 'no permit service configured',
  });
  assert.equal(f.ofd.permit().calls.length, 0);
  assert.equal(
    (await f.call('GET', `/v1/kkt/receipt/${res.body.receipt_id}`)).body.items[0].mark_permit,
    'not_done',
  );
});

test('a refund of a marked good needs the code it was sold with', async (t) => {
  const f = await station(t);
  const sale = await f.sale('orig', body([shoes(), { ...shoes(WATER), name: 'Вода', price: 90, total: 90 }]));
  assert.equal(sale.status, 200, JSON.stringify(sale.body));
  assert.equal((await f.call('POST', '/v1/kkt/buffer/sync')).body.synced, 1);
  const refund = (key: string, item: Record<string, unknown>) =>
    f.sale(key, body([item], { type: 'refund', original_receipt_id: sale.body.receipt_id }));
  const noCode = await refund('r-none', { ...shoes(), mark_code: undefined });
  assert.equal(noCode.status, 409);
  assert.equal(noCode.body.details.reason, 'mark_mismatch');
  assert.match(noCode.body.message, /return it with mark_code/);
  const other = await refund('r-other', shoes(WATER));
  assert.equal(other.status, 409, 'the water code on the shoes line');
  assert.equal(other.body.details.reason, 'mark_mismatch');
  const calls = f.ofd.permit().calls.length;
  const ok = await refund('r-ok', shoes());
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(f.ofd.permit().calls.length, calls, 'a refund is not a sale: no permit check');
  const doc = f.emulator.archive.find((d) => d.fd === ok.body.fiscal_doc.fiscal_doc_number)!;
  assert.equal(doc.operation, 2);
  assert.equal(doc.marks?.[0]?.code, SHOES);
  const twice = await refund('r-twice', shoes());
  assert.equal(twice.status, 409);
  assert.match(twice.body.message, /already returned|more than/);
});

test('the till refunds a marked sale: the lookup view carries each line’s code, the refund sends it back', async (t) => {
  const f = await station(t);
  // Two units of the same good (same name and price), each with its own code.
  const SHOES2 = SHOES.replace('21_X.g!8xnpuiFV', '21_Y.g!8xnpuiFV');
  const sale = await f.sale('orig', body([shoes(), shoes(SHOES2)]));
  assert.equal(sale.status, 200, JSON.stringify(sale.body));
  assert.equal((await f.call('POST', '/v1/kkt/buffer/sync')).body.synced, 1);
  const handlers = tillCommands(f.station);
  const lookup = () =>
    handlers['receipt.refundable'](COMMAND_ARGS['receipt.refundable'].parse({ id: sale.body.receipt_id }));
  const view = await lookup();
  assert.deepEqual(
    view.receipt.lines.map((l) => l.markCode),
    [SHOES, SHOES2],
  );
  // As RefundForm sends it: the second line ticked, its quantity as left, its own code.
  const line = view.receipt.lines[1]!;
  const refundBody = COMMAND_ARGS['receipt.create'].parse({
    idempotencyKey: 'till-refund-1',
    body: {
      pos_id: 'POS-1',
      type: 'refund',
      original_receipt_id: sale.body.receipt_id,
      items: [
        {
          name: line.name,
          price: (line.priceKop / 100).toFixed(2),
          quantity: String(view.lines[1]!.leftMilli / 1000),
          total: (line.totalKop / 100).toFixed(2),
          vat: line.vat,
          mark_code: line.markCode,
        },
      ],
      payments: [{ type: 'cash', amount: '1500.00' }],
    },
  });
  const refunded = await handlers['receipt.create'](refundBody);
  assert.equal(refunded.state, 'printed');
  assert.equal(refunded.lines[0]!.markCode, SHOES2);
  const doc = f.emulator.archive.find((d) => d.fd === refunded.fiscal!.fdNumber)!;
  assert.equal(doc.marks?.[0]?.code, SHOES2);
  // What is left is counted on the line that sold that code, not the first line of the same good.
  assert.deepEqual(
    (await lookup()).lines.map((l) => l.leftMilli),
    [1000, 0],
  );
});

test('the OpenAPI description documents mark_code and the new answer fields', async (t) => {
  const f = await station(t, true);
  const doc = JSON.stringify((await f.call('GET', '/openapi.json')).body);
  assert.match(doc, /"mark_code":\{[^}]*Честный ЗНАК/);
  assert.match(doc, /mark_permit/);
  assert.match(doc, /mark_rejected/);
});

test('FFD 1.2 details and marks together: 2108 per line, the code bound, 1212 up to 33 (28/29 refused)', async (t) => {
  const f = await station(t);
  const res = await f.sale(
    'marked-ffd12',
    body([
      { name: 'Яблоки', price: 200, quantity: 0.5, total: 100, vat: 'vat10', measure: 'кг' },
      shoes(SHOES),
      shoes(WATER, { name: 'Вода', price: 60, total: 60, payment_subject: 33, measure: 'шт' }),
    ]),
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const doc = f.emulator.archive.find((d) => d.fd === res.body.fiscal_doc.fiscal_doc_number)!;
  assert.deepEqual(
    doc.items!.map((i) => [i.tags?.['2108'], i.paymentSubject]),
    [
      ['11', 1],
      ['0', 33],
      ['0', 33],
    ],
    'FF4Dh 2108 on every line; a marked line defaults to 33 and 33 may be sent',
  );
  assert.deepEqual(
    doc.marks?.map((m) => [m.line, m.code]),
    [
      [1, SHOES],
      [2, WATER],
    ],
  );
  for (const subject of [28, 29, 34]) {
    const bad = await f.sale(`subject-${subject}`, body([shoes(SHOES, { payment_subject: subject })]));
    assert.equal(bad.status, 422, `payment_subject ${subject}`);
    assert.equal(bad.body.details[0].field, 'items[0].payment_subject');
  }
});
