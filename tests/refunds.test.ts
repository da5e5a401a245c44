// Refunds a shop can live with (issue 10.8), through the real REST API: the manager's overrides behind
// the PIN (a refund before the OFD accepted the sale, a card sale paid out in cash, an old sale by its
// FD number and total), the defaults that stay (refused until synced, card back to card), and the sync
// worker never sending a refund before its sale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFixture, type Fixture } from './helpers/fixture.ts';
import { ManagerPin } from '../src/main/app/manager-pin.ts';
import { loadConfig } from '../src/main/core/config.ts';

const PIN = '2468';
const tea = (quantity: number) => ({
  name: 'Чай',
  price: 100,
  quantity,
  total: 100 * quantity,
  vat_rate: 20,
});

async function station(t: Parameters<typeof startFixture>[0]): Promise<Fixture> {
  const f = await startFixture(t, { startWorker: false });
  await new ManagerPin(f.station.cashiers).set(PIN);
  return f;
}

function refundBody(extra: Record<string, unknown>, quantity = 1, pay: 'cash' | 'card' = 'card') {
  return {
    pos_id: 'POS-1',
    type: 'refund',
    items: [tea(quantity)],
    payments: [{ type: pay, amount: 100 * quantity }],
    ...extra,
  };
}

const refund = (f: Fixture, key: string, body: unknown, pin?: string) =>
  f.call('POST', '/v1/kkt/receipt', body, {
    'idempotency-key': key,
    ...(pin ? { 'x-manager-pin': pin } : {}),
  });

async function cardSale(f: Fixture, key = 'sale-1', pay: 'card' | 'cash' = 'card') {
  const sale = await f.sale(key, {
    pos_id: 'POS-1',
    type: 'sale',
    items: [tea(3)],
    payments: [{ type: pay, amount: 300 }],
  });
  assert.equal(sale.status, 200, JSON.stringify(sale.body));
  return sale.body as { receipt_id: string; fiscal_doc: { fiscal_doc_number: number } };
}

test('synced receipts are kept 30 days by default (returns are legal for 14)', () => {
  assert.equal(loadConfig({ STATION_DATA_DIR: '/tmp/x' }).retentionSyncedDays, 30);
  assert.equal(
    loadConfig({ STATION_DATA_DIR: '/tmp/x', STATION_RETENTION_SYNCED_DAYS: '45' }).retentionSyncedDays,
    45,
  );
});

test('before the OFD accepted the sale: refused by default; a manager (PIN) may refund it, and it is sent after the sale', async (t) => {
  const f = await station(t);
  const sale = await cardSale(f);
  const plain = await refund(f, 'r-1', refundBody({ original_receipt_id: sale.receipt_id }));
  assert.equal(plain.status, 409);
  assert.equal(plain.body.details.reason, 'not_synced');
  assert.match(plain.body.message, /a manager may refund it now \(manager PIN\)/);

  const body = refundBody({ original_receipt_id: sale.receipt_id, refund_before_sync: true });
  const noPin = await refund(f, 'r-2', body);
  assert.equal(noPin.status, 401, JSON.stringify(noPin.body));
  assert.equal(noPin.body.error, 'pin_required');
  assert.match(noPin.body.message, /before the OFD accepted its sale/);
  const wrong = await refund(f, 'r-2', body, '0000');
  assert.equal(wrong.status, 403);
  assert.equal(wrong.body.error, 'pin_wrong');
  assert.equal(f.station.store.refundsOf(sale.receipt_id).length, 0, 'nothing stored without the PIN');

  const ok = await refund(f, 'r-2', body, PIN);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const replay = await refund(f, 'r-2', body);
  assert.equal(replay.body.receipt_id, ok.body.receipt_id, 'a replay of the approved request needs no PIN');

  // The OFD fails the sale once: it backs off, and the refund must wait behind it, not overtake it.
  f.ofd.setMode({ mode: 'fail_next', count: 1 });
  const first = await f.station.worker.syncNow();
  assert.equal(first.synced, 0, JSON.stringify(first));
  assert.deepEqual(f.ofd.received(), [], 'the refund was not sent while its sale was not accepted');
  for (let i = 0; i < 3 && f.ofd.received().length < 2; i++) await f.station.worker.syncNow();
  assert.deepEqual(
    f.ofd.received().map((r) => r.idempotency_key),
    [sale.receipt_id, ok.body.receipt_id],
    'the sale first, then its refund',
  );
});

test('a card sale goes back to card; cash only when the manager chooses it (PIN)', async (t) => {
  const f = await station(t);
  const sale = await cardSale(f);
  await f.station.worker.syncNow();
  const cash = await refund(f, 'c-1', refundBody({ original_receipt_id: sale.receipt_id }, 1, 'cash'));
  assert.equal(cash.status, 409);
  assert.equal(cash.body.details.reason, 'card_sale');
  assert.match(cash.body.message, /refund it to card/);
  assert.equal((await f.call('POST', '/v1/kkt/cash/in', { amount: 500 })).status, 200); // cash to pay out
  const override = refundBody({ original_receipt_id: sale.receipt_id, payout_override: true }, 1, 'cash');
  assert.equal((await refund(f, 'c-2', override)).body.error, 'pin_required');
  const paidOut = await refund(f, 'c-2', override, PIN);
  assert.equal(paidOut.status, 200, JSON.stringify(paidOut.body));
  const toCard = await refund(f, 'c-3', refundBody({ original_receipt_id: sale.receipt_id }, 1, 'card'));
  assert.equal(toCard.status, 200, 'to card needs nobody');
});

test('a cash sale is refunded in cash as before, no PIN', async (t) => {
  const f = await station(t);
  const sale = await cardSale(f, 'cash-sale', 'cash');
  await f.station.worker.syncNow();
  const r = await refund(f, 'k-1', refundBody({ original_receipt_id: sale.receipt_id }, 2, 'cash'));
  assert.equal(r.status, 200, JSON.stringify(r.body));
});

test('a sale older than the buffer: refunded by its FD number and total with the manager PIN, never above it', async (t) => {
  const f = await station(t);
  // A sale the buffer no longer holds: printed on this KKT, its row long gone with the retention.
  const old = await f.station.kkt.printReceipt({
    operation: 'sale',
    lines: [
      {
        name: 'Чайник',
        priceKop: 150_000,
        quantityMilli: 1000,
        totalKop: 150_000,
        vat: 'vat20',
        paymentMethod: 4,
        paymentSubject: 1,
      },
    ],
    cashKop: 150_000,
    cardKop: 0,
    otherKop: 0,
  });
  const body = (total: number, amount: number) => ({
    pos_id: 'POS-1',
    type: 'refund',
    original_fiscal: { fd_number: old.fdNumber, total },
    items: [{ name: 'Чайник', price: amount, quantity: 1, total: amount, vat_rate: 20 }],
    payments: [{ type: 'cash', amount }],
  });
  const noPin = await refund(f, 'o-1', body(1500, 1000));
  assert.equal(noPin.status, 401);
  assert.equal(noPin.body.error, 'pin_required');
  assert.match(noPin.body.message, new RegExp(`FD ${old.fdNumber}`));

  const wrongTotal = await refund(f, 'o-2', body(1400, 1000), PIN);
  assert.equal(wrongTotal.status, 409, JSON.stringify(wrongTotal.body));
  assert.equal(wrongTotal.body.details.reason, 'fd_mismatch', 'the KKT archive knows the total');

  const first = await refund(f, 'o-3', body(1500, 1000), PIN);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const more = await refund(f, 'o-4', body(1500, 600), PIN);
  assert.equal(more.status, 409);
  assert.equal(more.body.details.reason, 'exceeds_sale');
  assert.match(more.body.message, /already refunded 1000\.00/);
  const rest = await refund(f, 'o-5', body(1500, 500), PIN);
  assert.equal(rest.status, 200, JSON.stringify(rest.body));

  const inBuffer = await cardSale(f, 'young');
  const young = await refund(
    f,
    'o-6',
    {
      ...body(300, 100),
      original_fiscal: { fd_number: inBuffer.fiscal_doc.fiscal_doc_number, total: 300 },
      items: [tea(1)],
      payments: [{ type: 'card', amount: 100 }],
    },
    PIN,
  );
  assert.equal(young.status, 409);
  assert.equal(young.body.details.reason, 'in_buffer');
});

test('the request fields are validated: 422 naming the field, nothing stored', async (t) => {
  const f = await station(t);
  const bad = await refund(
    f,
    'v-1',
    refundBody({ original_receipt_id: 'x', original_fiscal: { fd_number: 0, total: 'abc' } }),
    PIN,
  );
  assert.equal(bad.status, 422, JSON.stringify(bad.body));
  const fields = (bad.body.details as { field: string }[]).map((d) => d.field);
  assert.ok(fields.includes('original_fiscal.fd_number'), fields.join());
  assert.ok(fields.includes('original_fiscal.total'), fields.join());
  const onSale = await f.sale('v-2', { ...refundBody({ refund_before_sync: true }), type: 'sale' });
  assert.equal(onSale.status, 422);
  assert.equal(f.station.bufferStatus().total, 0);
});
