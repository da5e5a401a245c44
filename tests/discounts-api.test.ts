// Discounts through the real REST API and the byte-level KKT emulator (issue 11.5): a discounted sale
// prints with every line's sum exactly the device's round(price × quantity) and the FN's total equal to
// the discounted total; bad discounts are 422 with nothing stored; a cashier's discount above the limit
// needs the manager's PIN; a refund of a discounted sale returns the discounted amounts, also of a line the
// KKT registered in two parts (the lookup shows both, an over-refund names the part).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDurableState } from '../src/kkt-emulator/state.ts';
import { join } from 'node:path';
import { startFixture, type Fixture } from './helpers/fixture.ts';
import { ManagerPin } from '../src/main/app/manager-pin.ts';

const PIN = '2468';

async function station(t: Parameters<typeof startFixture>[0], limit = '10'): Promise<Fixture> {
  const f = await startFixture(t, {
    startWorker: false,
    env: { STATION_CASHIER_DISCOUNT_LIMIT_PERCENT: limit },
  });
  await new ManagerPin(f.station.cashiers).set(PIN);
  return f;
}

interface ArchivedItem {
  name: string;
  quantity: string;
  priceKop: number;
  sumKop: number;
}

/** The FN document the emulator archived for an FD number (its snapshot and journal in the data directory). */
function fnDocument(f: Fixture, fd: number): { amountKop: number; items: ArchivedItem[] } {
  const state = readDurableState(join(f.dataDir, 'kkt-emulator.json')) as unknown as {
    archive: { fd: number; amountKop: number; items?: ArchivedItem[] }[];
  };
  const doc = state.archive.find((d) => d.fd === fd);
  assert.ok(doc, `FD ${fd} is in the emulator's archive`);
  return { amountKop: doc.amountKop, items: doc.items ?? [] };
}

const tea = { name: 'Чай', price: 33.34, quantity: 3, total: 100.02, vat_rate: 20 };
const coffee = { name: 'Кофе', price: 250, quantity: 1, total: 250, vat_rate: 20 };

const sale = (items: unknown[], extra: Record<string, unknown> = {}, pay = 400) => ({
  pos_id: 'POS-1',
  type: 'sale',
  items,
  payments: [{ type: 'cash', amount: pay }],
  ...extra,
});

const post = (f: Fixture, key: string, body: unknown, pin?: string) =>
  f.call('POST', '/v1/kkt/receipt', body, {
    'idempotency-key': key,
    ...(pin ? { 'x-manager-pin': pin } : {}),
  });

test('a discounted sale prints exact lines: the FN total is the discounted total', async (t) => {
  const f = await station(t, '50');
  // Чай 100.02 − 0.02 = 100.00; Кофе 250 − 10 % = 225.00; then 5 % of 325.00 = 16.25 over both:
  // 5.00 and 11.25 → Чай 95.00 for 3 (no exact price: 2 × 31.67 + 31.66), Кофе 213.75.
  const body = sale(
    [
      { ...tea, discount_amount: 0.02 },
      { ...coffee, discount_percent: 10, discounted_total: 213.75 },
    ],
    { discount_percent: 5 },
    310,
  );
  const res = await post(f, 'd-1', body);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.fiscal_doc.total, 308.75);
  assert.equal(res.body.fiscal_doc.change, 1.25);
  const view = await f.call('GET', `/v1/kkt/receipt/${res.body.receipt_id}`);
  assert.deepEqual(
    view.body.items.map((i: Record<string, unknown>) => [
      i.name,
      i.price,
      i.quantity,
      i.total,
      i.price_before_discount,
      i.discount,
    ]),
    [
      ['Чай', 31.67, 2, 63.34, 33.34, 3.34],
      ['Чай', 31.66, 1, 31.66, 33.34, 1.68],
      ['Кофе', 213.75, 1, 213.75, 250, 36.25],
    ],
  );
  assert.deepEqual(view.body.discount, { total_before: 350.02, amount: 41.27, receipt_part: 16.25 });

  const doc = fnDocument(f, res.body.fiscal_doc.fiscal_doc_number);
  assert.equal(doc.amountKop, 30_875, 'the FN registered the discounted total');
  assert.equal(doc.items.length, 3, 'the split line is two lines on the KKT');
  for (const i of doc.items) {
    const qtyMilli = Math.round(Number(i.quantity) * 1000);
    assert.equal(i.sumKop, Math.round((i.priceKop * qtyMilli) / 1000), `${i.name}: sum = price × quantity`);
  }
  assert.equal(
    doc.items.reduce((s, i) => s + i.sumKop, 0),
    30_875,
  );

  // The OFD is sent the price before and after.
  await f.station.worker.syncNow();
  const sent = f.ofd.received()[0]!.body as { items: Record<string, unknown>[] };
  assert.equal(sent.items[2]!.price_kop, 21_375);
  assert.equal(sent.items[2]!.price_before_kop, 25_000);
  assert.equal(sent.items[2]!.discount_kop, 3_625);

  // A refund returns the discounted amounts: the lines at the price they were sold for.
  const refund = await post(f, 'r-1', {
    pos_id: 'POS-1',
    type: 'refund',
    original_receipt_id: res.body.receipt_id,
    items: [{ name: 'Кофе', price: 213.75, quantity: 1, total: 213.75, vat_rate: 20 }],
    payments: [{ type: 'cash', amount: 213.75 }],
  });
  assert.equal(refund.status, 200, JSON.stringify(refund.body));
  assert.equal(refund.body.fiscal_doc.total, 213.75);
  const atOldPrice = await post(f, 'r-2', {
    pos_id: 'POS-1',
    type: 'refund',
    original_receipt_id: res.body.receipt_id,
    items: [{ name: 'Чай', price: 33.34, quantity: 1, total: 33.34, vat_rate: 20 }],
    payments: [{ type: 'cash', amount: 33.34 }],
  });
  assert.equal(atOldPrice.status, 409, 'not at the price before the discount');
  assert.equal(atOldPrice.body.details.reason, 'no_such_line');
  const withDiscount = await post(f, 'r-3', {
    pos_id: 'POS-1',
    type: 'refund',
    original_receipt_id: res.body.receipt_id,
    items: [{ ...tea, quantity: 1, total: 33.34, discount_percent: 5 }],
    payments: [{ type: 'cash', amount: 40 }],
  });
  assert.equal(withDiscount.status, 422);
});

test('bad discounts are 422 naming the field; nothing is stored or printed', async (t) => {
  const f = await station(t, '99.99');
  const cases: [unknown, string, RegExp][] = [
    [sale([{ ...coffee, discount_percent: 100 }]), 'items[0].discount_percent', /below 100 %/],
    [sale([{ ...coffee, discount_percent: 150 }]), 'items[0].discount_percent', /below 100 %/],
    [sale([{ ...coffee, discount_amount: 250 }]), 'items[0].discount_amount', /not less than the line's sum/],
    [sale([coffee], { discount_amount: 300 }), 'discount_amount', /not less than the receipt's sum 250.00/],
    [sale([{ ...coffee, discount_percent: 'ten' }]), 'items[0].discount_percent', /per cent/],
    [sale([{ ...coffee, discount_percent: 10, discount_amount: 5 }]), 'items[0].discount_amount', /not both/],
    [
      sale([{ ...coffee, discount_percent: 10, discounted_total: 220 }]),
      'items[0].discounted_total',
      /the station computes 225.00/,
    ],
    [sale([{ ...coffee, discount_percent: 10 }], {}, 200), 'payments', /less than the total 225.00/],
  ];
  for (const [i, [body, field, message]] of cases.entries()) {
    const res = await post(f, `bad-${i}`, body);
    assert.equal(res.status, 422, `${field}: ${JSON.stringify(res.body)}`);
    const issue = (Array.isArray(res.body.details) ? res.body.details : []).find(
      (x: { field: string }) => x.field === field,
    );
    assert.ok(issue, `${field} named in ${JSON.stringify(res.body.details)}`);
    assert.match(issue.message, message);
  }
  assert.equal(f.station.store.recent(10).length, 0, 'nothing stored');
});

test("a cashier's discount above the limit needs the manager's PIN; within it, none", async (t) => {
  const f = await station(t, '10');
  const within = await post(f, 'l-1', sale([{ ...coffee, discount_percent: 10 }]));
  assert.equal(within.status, 200, JSON.stringify(within.body));

  const over = sale([coffee], { discount_amount: 30 }); // 12 % of the receipt
  const noPin = await post(f, 'l-2', over);
  assert.equal(noPin.status, 401, JSON.stringify(noPin.body));
  assert.equal(noPin.body.error, 'pin_required');
  assert.match(noPin.body.message, /a discount of 12 % \(30.00\), above the cashier's limit of 10 %/);
  const wrong = await post(f, 'l-2', over, '0000');
  assert.equal(wrong.status, 403);
  assert.equal(wrong.body.error, 'pin_wrong');
  assert.equal(f.station.store.recent(10).length, 1, 'nothing stored without the PIN');

  const approved = await post(f, 'l-2', over, PIN);
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.fiscal_doc.total, 220);

  // The manager lowers the limit to 0: every discount needs the PIN from the next sale on.
  f.station.settings.update({ cashierDiscountLimitPercent: 0 });
  const any = await post(f, 'l-3', sale([{ ...coffee, discount_amount: 1 }]));
  assert.equal(any.body.error, 'pin_required');
});

test('a discounted line split in two parts: the lookup, a partial refund and an over-refund', async (t) => {
  const f = await station(t);
  // Чай 100.02 − 5.02 = 95.00 for 3: no exact price, so the KKT registers 2 × 31.67 + 1 × 31.66.
  const res = await post(f, 'd-split', sale([{ ...tea, discount_amount: 5.02 }], {}, 95));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  await f.station.worker.syncNow(); // a refund needs its sale accepted by the OFD
  const fd = res.body.fiscal_doc.fiscal_doc_number as number;
  assert.deepEqual(
    fnDocument(f, fd).items.map((i) => [i.priceKop, Number(i.quantity), i.sumKop]),
    [
      [3167, 2, 6334],
      [3166, 1, 3166],
    ],
  );
  const left = async () => {
    const r = await f.call('GET', `/v1/kkt/receipts/lookup?fd=${fd}&total_kop=9500`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return {
      lines: r.body.lines.map((l: Record<string, unknown>) => [
        l.line,
        l.name,
        l.sold,
        l.refunded,
        l.refundable,
      ]),
      refundable: r.body.refundable_total,
    };
  };
  assert.deepEqual(await left(), {
    lines: [
      [1, 'Чай', 2, 0, 2],
      [2, 'Чай', 1, 0, 1],
    ],
    refundable: 95,
  });

  const teaAt = (price: number, quantity: number) => ({
    name: 'Чай',
    price,
    quantity,
    total: Math.round(price * quantity * 100) / 100,
    vat_rate: 20,
  });
  const refund = (key: string, items: ReturnType<typeof teaAt>[]) =>
    post(f, key, {
      pos_id: 'POS-1',
      type: 'refund',
      original_receipt_id: res.body.receipt_id,
      items,
      payments: [{ type: 'cash', amount: items.reduce((s, i) => s + i.total, 0) }],
    });
  const partial = await refund('r-split-1', [teaAt(31.67, 1)]);
  assert.equal(partial.status, 200, JSON.stringify(partial.body));
  assert.equal(partial.body.fiscal_doc.total, 31.67);
  assert.deepEqual(await left(), {
    lines: [
      [1, 'Чай', 2, 1, 1],
      [2, 'Чай', 1, 0, 1],
    ],
    refundable: 63.33,
  });

  const fdBefore = (await f.station.kkt.status()).lastFdNumber;
  // Two at 31.66 (63.32) fit in what is left of the sale, but its second part sold one at that price.
  const over = await refund('r-split-2', [teaAt(31.66, 2)]);
  assert.equal(over.status, 409, JSON.stringify(over.body));
  assert.equal(over.body.details.reason, 'exceeds_line');
  assert.equal(over.body.details.line, 2);
  assert.equal(over.body.details.name, 'Чай');
  assert.equal(over.body.details.left_milli, 1000);
  assert.match(over.body.message, /line 2 "Чай".*at most 1 шт/);
  assert.equal((await f.station.kkt.status()).lastFdNumber, fdBefore, 'nothing printed');
  assert.equal(f.station.store.refundsOf(res.body.receipt_id).length, 1, 'nothing stored');

  const rest = await refund('r-split-3', [teaAt(31.67, 1), teaAt(31.66, 1)]);
  assert.equal(rest.status, 200, JSON.stringify(rest.body));
  assert.equal(rest.body.fiscal_doc.total, 63.33);
  assert.equal(fnDocument(f, rest.body.fiscal_doc.fiscal_doc_number).amountKop, 6333);
  assert.deepEqual((await left()).refundable, 0);
});
