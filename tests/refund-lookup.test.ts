// Refunds at the counter (issue 11.6): the sale found by the QR on the customer's receipt (its FD number
// and total, the FN too) or by FD number and total, with what is left to refund of each line; the same
// computation enforced when a refund is stored (an over-refund names the line and what is left; nothing
// stored or printed), also when two refunds of the same line race.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startFixture, tempDir, type Fixture } from './helpers/fixture.ts';
import { openEmulatedKkt } from '../src/main/app/open-kkt.ts';
import { parseFiscalQr, looksLikeFiscalQr } from '../src/shared/fiscal-qr.ts';
import { fiscalQr } from '../src/main/core/kkt/kkt.ts';
import { COMMAND_ARGS } from '../src/main/app/commands.ts';
import { tillCommands } from './helpers/commands.ts';
import { ru } from '../src/renderer/i18n/ru.ts';

const milk = (quantity: number) => ({
  name: 'Молоко',
  price: 80,
  quantity,
  total: 80 * quantity,
  vat_rate: 10,
});
const bread = { name: 'Хлеб', price: 45.5, quantity: 1, total: 45.5, vat_rate: 10 };
const cheese = { name: 'Сыр', price: 650, quantity: 0.35, total: 227.5, vat_rate: 10, measure: 11 };

interface Sold {
  receipt_id: string;
  fiscal_doc: { fiscal_doc_number: number; qr_code_data: string; fn_number: string };
}

async function syncedSale(f: Fixture): Promise<Sold> {
  const sale = await f.sale('sale-1', {
    pos_id: 'POS-1',
    type: 'sale',
    items: [bread, milk(2), cheese],
    payments: [{ type: 'cash', amount: 45.5 + 160 + 227.5 }],
  });
  assert.equal(sale.status, 200, JSON.stringify(sale.body));
  await f.station.worker.syncNow();
  return sale.body as Sold;
}

const refund = (f: Fixture, key: string, sale: Sold, items: unknown[], amount: number) =>
  f.call(
    'POST',
    '/v1/kkt/receipt',
    {
      pos_id: 'POS-1',
      type: 'refund',
      original_receipt_id: sale.receipt_id,
      items,
      payments: [{ type: 'cash', amount }],
    },
    { 'idempotency-key': key },
  );

const lookup = (f: Fixture, query: string) => f.call('GET', `/v1/kkt/receipts/lookup?${query}`);

test('the QR text: FD number, total, FN and operation; malformed ones say what is wrong', () => {
  const qr = fiscalQr({
    fiscalDatetime: '2026-11-30T10:02:00',
    totalKop: 43300,
    fnNumber: '9999078900012345',
    fdNumber: 42,
    fiscalSign: 3522609126,
    operation: 'sale',
  });
  assert.deepEqual(parseFiscalQr(qr), {
    ok: true,
    qr: {
      fdNumber: 42,
      totalKop: 43300,
      fnNumber: '9999078900012345',
      datetime: '20261130T1002',
      operation: 1,
    },
  });
  assert.equal(looksLikeFiscalQr(qr), true);
  assert.equal(looksLikeFiscalQr('4600000000015'), false);
  const s = (text: string) => parseFiscalQr(text);
  assert.deepEqual(s('i=7&s=5.5'), {
    ok: true,
    qr: { fdNumber: 7, totalKop: 550, fnNumber: null, datetime: null, operation: null },
  });
  for (const [text, problem] of [
    ['', /1–256 characters/],
    ['t=20261130T1002&fn=9999078900012345&i=42', /no total/],
    ['t=20261130T1002&s=433.00&fn=9999078900012345', /no FD number/],
    ['s=433,00&i=42', /s=433,00 is malformed/],
    ['s=433.001&i=42', /malformed/],
    ['s=433.00&i=4x2', /i=4x2 is malformed/],
    ['s=433.00&i=0', /above 0/],
    ['s=433.00&i=42&i=43', /i is given twice/],
    ['s=433.00&i=42&fn=123', /fn=123 is malformed/],
    ['s=433.00&i=42&garbage', /not a key=value pair/],
    [`s=1&i=1&x=${'9'.repeat(300)}`, /1–256 characters/],
  ] as const) {
    const r = s(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) assert.match(r.problem, problem, text);
  }
});

test('lookup by QR and by FD + total shows each line sold, refunded and left, after partial refunds', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const sale = await syncedSale(f);
  const fd = sale.fiscal_doc.fiscal_doc_number;

  const fresh = await lookup(f, `qr=${encodeURIComponent(sale.fiscal_doc.qr_code_data)}`);
  assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
  assert.equal(fresh.body.receipt.receipt_id, sale.receipt_id);
  assert.deepEqual(
    fresh.body.lines.map((l: { refundable: number }) => l.refundable),
    [1, 2, 0.35],
  );

  assert.equal((await refund(f, 'r-1', sale, [milk(1)], 80)).status, 200);
  assert.equal((await refund(f, 'r-2', sale, [{ ...cheese, quantity: 0.1, total: 65 }], 65)).status, 200);
  const after = await lookup(f, `fd=${fd}&total_kop=43300`);
  assert.equal(after.status, 200, JSON.stringify(after.body));
  assert.deepEqual(after.body.lines, [
    { line: 1, name: 'Хлеб', measure: 0, measure_name: 'шт', sold: 1, refunded: 0, refundable: 1 },
    { line: 2, name: 'Молоко', measure: 0, measure_name: 'шт', sold: 2, refunded: 1, refundable: 1 },
    { line: 3, name: 'Сыр', measure: 11, measure_name: 'кг', sold: 0.35, refunded: 0.1, refundable: 0.25 },
  ]);
  assert.equal(after.body.refunded_total, 145);
  assert.equal(after.body.refundable_total, 288);

  // The IPC command answers the same numbers (one computation).
  const handlers = tillCommands(f.station);
  const arg = COMMAND_ARGS['receipt.refundable'].parse({ qr: sale.fiscal_doc.qr_code_data });
  const view = await handlers['receipt.refundable'](arg);
  assert.deepEqual(
    view.lines.map((l) => [l.soldMilli, l.refundedMilli, l.leftMilli]),
    [
      [1000, 0, 1000],
      [2000, 1000, 1000],
      [350, 100, 250],
    ],
  );
  assert.equal(view.refundedKop, 14500);
  assert.throws(() => COMMAND_ARGS['receipt.refundable'].parse({ totalKop: 100 }), /goes with fdNumber/);
});

test('an unknown QR, another total, another FN or a refund QR is 404 sale_not_found with the reason', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const sale = await syncedSale(f);
  const qr = sale.fiscal_doc.qr_code_data;
  const fd = sale.fiscal_doc.fiscal_doc_number;
  const cases: [string, string][] = [
    [qr.replace(`i=${fd}`, `i=${fd + 100}`), 'unknown_fd'],
    [qr.replace('s=433.00', 's=433.10'), 'total_mismatch'],
    [qr.replace(/fn=\d+/, 'fn=1111222233334444'), 'fn_mismatch'],
    [qr.replace('n=1', 'n=2'), 'not_a_sale'],
  ];
  for (const [text, reason] of cases) {
    const r = await lookup(f, `qr=${encodeURIComponent(text)}`);
    assert.equal(r.status, 404, text);
    assert.equal(r.body.error, 'sale_not_found');
    assert.equal(r.body.details.reason, reason, text);
  }
  const mismatch = await lookup(f, `fd=${fd}&total_kop=100`);
  assert.equal(mismatch.body.details.reason, 'total_mismatch');
  assert.match(mismatch.body.message, /has the total 433\.00/);
  const byFdOnly = await lookup(f, `fd=${fd}`);
  assert.equal(byFdOnly.status, 200);
  assert.equal(byFdOnly.body.receipt.receipt_id, sale.receipt_id);

  for (const query of [
    'qr=s%3D1',
    'total_kop=1',
    'qr=i%3D1%26s%3D1&fd=1&total_kop=100',
    '',
    'fd=abc&total_kop=1',
  ]) {
    const bad = await lookup(f, query);
    assert.equal(bad.status, 422, query);
    assert.equal(bad.body.error, 'validation_error');
  }
  const noToken = await fetch(`${f.api.url}/v1/kkt/receipts/lookup?fd=${fd}&total_kop=43300`);
  assert.equal(noToken.status, 401);
});

test('after an FN replacement two sales share an FD number: fd alone is 409 sale_ambiguous; fn, total or the QR pick one', async (t) => {
  // The same station (one buffer) before and after its FN is replaced: the new FN numbers from 1 again.
  const dataDir = tempDir(t);
  const withFn = (fnNumber: string) =>
    startFixture(t, {
      dataDir,
      startWorker: false,
      kkt: async (dir) =>
        (
          await openEmulatedKkt({
            dataDir: dir,
            emulator: { statePath: join(dir, `kkt-${fnNumber}.json`), identity: { fnNumber } },
          })
        ).kkt,
    });
  const sell = async (f: Fixture, key: string, items: unknown[], amount: number) => {
    assert.equal((await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Иванова' })).status, 200);
    const r = await f.sale(key, {
      pos_id: 'POS-1',
      type: 'sale',
      items,
      payments: [{ type: 'cash', amount }],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body as Sold;
  };
  const oldFn = await withFn('9999078900000001');
  const first = await sell(oldFn, 'before', [milk(2)], 160);
  await oldFn.api.close();
  await oldFn.station.stop();
  const f = await withFn('9999078900000002');
  const second = await sell(f, 'after', [milk(2)], 160);
  const fd = first.fiscal_doc.fiscal_doc_number;
  assert.equal(second.fiscal_doc.fiscal_doc_number, fd, 'the new FN starts its FD numbers again');
  assert.notEqual(second.fiscal_doc.fn_number, first.fiscal_doc.fn_number);

  for (const query of [`fd=${fd}`, `fd=${fd}&total_kop=16000`]) {
    const r = await lookup(f, query);
    assert.equal(r.status, 409, query);
    assert.equal(r.body.error, 'sale_ambiguous');
    assert.match(r.body.message, /FD numbers restart with each FN/);
    assert.equal(r.body.details.fd_number, fd);
    assert.deepEqual(
      r.body.details.candidates.map((c: { receipt_id: string; fn_number: string; total_kop: number }) => [
        c.receipt_id,
        c.fn_number,
        c.total_kop,
      ]),
      [
        [second.receipt_id, '9999078900000002', 16000],
        [first.receipt_id, '9999078900000001', 16000],
      ],
      'newest first',
    );
  }
  const byFn = await lookup(f, `fd=${fd}&fn=9999078900000001`);
  assert.equal(byFn.status, 200, JSON.stringify(byFn.body));
  assert.equal(byFn.body.receipt.receipt_id, first.receipt_id);
  const byQr = await lookup(f, `qr=${encodeURIComponent(second.fiscal_doc.qr_code_data)}`);
  assert.equal(byQr.body.receipt.receipt_id, second.receipt_id);
  const otherFn = await lookup(f, `fd=${fd}&fn=1111222233334444`);
  assert.equal(otherFn.body.details.reason, 'fn_mismatch');
  for (const query of ['fn=9999078900000001', `fd=${fd}&fn=123`]) {
    const bad = await lookup(f, query);
    assert.equal(bad.status, 422, query);
  }

  // The refund screen's IPC call takes the same rule; the Russian words say what to do.
  const handlers = tillCommands(f.station);
  await assert.rejects(
    handlers['receipt.refundable'](COMMAND_ARGS['receipt.refundable'].parse({ fdNumber: fd })),
    (e: { code?: string }) => e.code === 'sale_ambiguous',
  );
  const words = ru.errorText({ code: 'sale_ambiguous', message: '', details: { fd_number: fd } });
  assert.match(words, new RegExp(`несколько чеков ФД ${fd}: после замены фискального накопителя`));
});

test('an over-refund names the line and what is left of it; nothing is stored or printed', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const sale = await syncedSale(f);
  assert.equal((await refund(f, 'r-1', sale, [milk(1)], 80)).status, 200);
  const fdBefore = (await f.station.kkt.status()).lastFdNumber;

  const over = await refund(f, 'r-2', sale, [bread, milk(2)], 205.5);
  assert.equal(over.status, 409, JSON.stringify(over.body));
  assert.equal(over.body.error, 'refund_not_allowed');
  assert.deepEqual(
    { ...over.body.details, original_receipt_id: undefined },
    {
      original_receipt_id: undefined,
      reason: 'exceeds_line',
      receipt_number: `FD ${sale.fiscal_doc.fiscal_doc_number}`,
      line: 2,
      name: 'Молоко',
      left_milli: 1000,
      measure: 0,
    },
  );
  assert.match(
    over.body.message,
    /line 2 "Молоко".*at most 1 шт can be returned \(sold 2 шт, already refunded 1 шт\)/,
  );
  assert.equal(f.station.store.refundsOf(sale.receipt_id).length, 1, 'nothing stored');
  assert.equal((await f.station.kkt.status()).lastFdNumber, fdBefore, 'nothing printed');

  const weighed = await refund(f, 'r-3', sale, [{ ...cheese, quantity: 0.4, total: 260 }], 260);
  assert.equal(weighed.body.details.reason, 'exceeds_line');
  assert.match(weighed.body.message, /line 3 "Сыр".*at most 0\.35 кг/);
});

test('two refunds of the same line at once: one passes, the other is refused with what is left', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const sale = await syncedSale(f);
  const [a, b] = await Promise.all([
    refund(f, 'race-a', sale, [milk(2)], 160),
    refund(f, 'race-b', sale, [milk(2)], 160),
  ]);
  const statuses = [a.status, b.status].sort();
  assert.deepEqual(statuses, [200, 409], JSON.stringify([a.body, b.body]));
  const refused = a.status === 409 ? a : b;
  assert.equal(refused.body.details.reason, 'exceeds_line');
  assert.equal(refused.body.details.left_milli, 0);
  assert.equal(f.station.store.refundsOf(sale.receipt_id).length, 1);
  const after = await lookup(f, `fd=${sale.fiscal_doc.fiscal_doc_number}&total_kop=43300`);
  assert.equal(after.body.lines[1].refundable, 0);
});
