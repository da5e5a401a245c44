// Never-printed receipts (issue #8 part 7): a receipt stored `accepted` whose request died with the
// station, or one the KKT refused, is not waiting for the OFD. It does not count against the capacity
// or the oldest-pending age, it is listed apart for the manager (print or void behind the PIN), the
// same request with the same key still prints it, and it is voided after unprintedTtlMs and at the Z
// report, each with a journal entry.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../src/main/core/buffer/database.ts';
import { HybridClock } from '../src/main/core/buffer/hlc.ts';
import { Journal } from '../src/main/core/buffer/journal.ts';
import { ReceiptStore } from '../src/main/core/buffer/receipt-store.ts';
import { parseReceiptRequest } from '../src/main/core/fiscal/receipt-request.ts';
import { loadConfig } from '../src/main/core/config.ts';
import { silentLogger } from '../src/main/core/logger.ts';
import { startStationApp, type StationApp } from '../src/main/app/station-app.ts';
import type { Station } from '../src/main/core/station.ts';
import { startRestApi } from '../src/main/rest/rest-api.ts';
import type { CommandName } from '../src/shared/contract.ts';
import { BufferFullError } from '../src/shared/errors.ts';
import { saleBody, startFixture, tempDir, type Fixture } from './helpers/fixture.ts';
import { waitFor } from './helpers/wait.ts';

const draft = parseReceiptRequest(saleBody());

/**
 * A receipt stored `accepted` whose request is gone, as after a kill -9 between the insert and the
 * print. Its fingerprint is copied from a real sale of the same body, so a replay with its key matches
 * whatever the fingerprint is taken over.
 */
async function orphan(f: Fixture, key = `orphan-${randomUUID()}`): Promise<{ id: string; key: string }> {
  const model = await f.sale(`model-${randomUUID()}`);
  assert.equal(model.status, 200, JSON.stringify(model.body));
  const requestHash = f.station.store.get(model.body.receipt_id)!.requestHash;
  const id = randomUUID();
  f.station.store.insertAccepted({ id, idempotencyKey: key, requestHash, draft }, 1_000);
  return { id, key };
}

test('store: never-printed receipts do not count against the capacity or the oldest pending, and are listed apart', (t) => {
  const db = openDatabase(join(tempDir(t), 'b.sqlite'));
  t.after(() => db.close());
  const clock = new HybridClock(db);
  const store = new ReceiptStore(db, clock, new Journal(db, clock));
  const r = (n: string) => ({ id: n, idempotencyKey: `k-${n}`, requestHash: 'h', draft });
  store.insertAccepted(r('orphan-1'), 2);
  store.insertAccepted(r('orphan-2'), 2);
  store.markPrintFailed(store.markPrinting(store.insertAccepted(r('refused'), 2).id).id, 'no paper');
  assert.equal(store.queued(), 0, 'orphans and refusals are not waiting for the OFD');
  assert.equal(store.oldestPending(), null);
  assert.deepEqual(
    store.unprinted().map((x) => x.id),
    ['orphan-1', 'orphan-2', 'refused'],
  );
  assert.equal(store.unprintedCount(), 3);
  // Capacity 2 still takes two receipts that go to the KKT…
  store.markPrinting(store.insertAccepted(r('a'), 2).id);
  assert.equal(store.oldestPending()?.id, 'a');
  // …and a receipt being printed right now (its request alive) counts: alsoQueued.
  assert.throws(() => store.insertAccepted(r('b'), 2, undefined, 1), BufferFullError);
  store.insertAccepted(r('b'), 2);
  assert.throws(() => store.insertAccepted(r('c'), 2, undefined, 1), /Buffer full: 2\/2/);
});

test('station: an orphan is reported apart (REST unprinted), the same key prints it once, the manager may void it', async (t) => {
  const f = await startFixture(t, { startWorker: false, env: { STATION_BUFFER_CAPACITY: '2' } });
  const o1 = await orphan(f);
  const o2 = await orphan(f);
  // Two printed models wait for the OFD (the worker is idle): the buffer is full with them alone.
  const status = await f.call('GET', '/v1/kkt/buffer/status');
  assert.equal(status.body.pending, 2);
  assert.equal(status.body.unprinted, 2, JSON.stringify(status.body));
  assert.equal(status.body.by_status.accepted, 2);
  assert.equal(f.station.bufferStatus().unprinted, 2);
  assert.deepEqual(
    f.station.fiscal.unprinted().map((r) => r.id),
    [o1.id, o2.id],
  );
  // The replay rule holds: the same request with the same key prints the orphan, once. It was stored
  // before the buffer filled up, so the capacity does not stand in its way.
  const replay = await f.sale(o1.key);
  assert.equal(replay.status, 200, JSON.stringify(replay.body));
  assert.equal(replay.body.receipt_id, o1.id);
  assert.equal(
    (await f.sale(o1.key)).body.fiscal_doc.fiscal_doc_number,
    replay.body.fiscal_doc.fiscal_doc_number,
  );
  // Voided: a later replay is refused, never printed.
  f.station.fiscal.voidReceipt(o2.id, 'the customer left');
  const late = await f.sale(o2.key);
  assert.equal(late.status, 409);
  assert.equal(late.body.error, 'receipt_voided');
  assert.equal((await f.call('GET', '/v1/kkt/buffer/status')).body.unprinted, 0);
});

test('station: never-printed receipts are voided after unprintedTtlMs, each with a journal entry; younger ones are kept', async (t) => {
  const f = await startFixture(t, { env: { STATION_UNPRINTED_TTL_MS: '1000' } });
  const old = await orphan(f);
  await waitFor('the orphan voided by the TTL', () => f.station.store.get(old.id)!.status === 'voided', {
    timeoutMs: 15_000,
  });
  const entry = f.station.journal
    .recent(50)
    .find((e) => e.receiptId === old.id && e.kind === 'receipt_voided');
  assert.ok(entry, 'a journal entry for the automatic void');
  assert.match(entry.message, /not printed within 1 s \(unprintedTtlMs\)/);
  // The sweep itself spares a receipt younger than the TTL.
  const young = await orphan(f);
  assert.equal(f.station.fiscal.voidUnprinted('test', new Date(Date.now() - 60_000)), 0);
  assert.equal(f.station.store.get(young.id)!.status, 'accepted');
});

test('station: the Z report voids the receipts never printed in the shift', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const o = await orphan(f);
  const z = await f.call('POST', '/v1/kkt/shift/close', {});
  assert.equal(z.status, 200, JSON.stringify(z.body));
  const r = f.station.store.get(o.id)!;
  assert.equal(r.status, 'voided');
  const entry = f.station.journal.recent(50).find((e) => e.receiptId === o.id && e.kind === 'receipt_voided');
  assert.match(entry?.message ?? '', /not printed by the end of shift \d+ \(Z report\)/);
});

test('config: STATION_UNPRINTED_TTL_MS defaults to 24 h and refuses nonsense with a clear message', (t) => {
  const dir = tempDir(t);
  assert.equal(loadConfig({ STATION_DATA_DIR: dir }).unprintedTtlMs, 24 * 60 * 60 * 1000);
  assert.equal(
    loadConfig({ STATION_DATA_DIR: dir, STATION_UNPRINTED_TTL_MS: '60000' }).unprintedTtlMs,
    60_000,
  );
  assert.throws(
    () => loadConfig({ STATION_DATA_DIR: dir, STATION_UNPRINTED_TTL_MS: '5' }),
    /STATION_UNPRINTED_TTL_MS="5": must be at least 1000 ms/,
  );
});

async function startApp(t: TestContext): Promise<StationApp> {
  const config = loadConfig({
    STATION_DATA_DIR: tempDir(t),
    STATION_API_PORT: '0',
    STATION_OFD_URL: 'http://127.0.0.1:9',
  });
  const app = await startStationApp(config, silentLogger, { restApi: startRestApi });
  t.after(() => app.stop());
  return app;
}

async function handle(app: StationApp, name: CommandName, arg: unknown) {
  return app.handle(name, arg);
}

test('commands: the manager lists, prints and voids never-printed receipts, only with the PIN', async (t) => {
  const app = await startApp(t);
  const station: Station = app.station;
  await handle(app, 'manager.setPin', { newPin: '2468' });
  const printed = await handle(app, 'receipt.create', { idempotencyKey: 'model', body: saleBody() });
  assert.ok(printed.ok, JSON.stringify(printed));
  const requestHash = station.store.get((printed.value as { id: string }).id)!.requestHash;
  const ids = ['u1', 'u2'].map((key) => {
    const id = randomUUID();
    station.store.insertAccepted({ id, idempotencyKey: key, requestHash, draft }, 1_000);
    return id;
  });

  for (const [name, arg] of [
    ['unprinted.list', {}],
    ['unprinted.print', { receiptId: ids[0] }],
    ['unprinted.void', { receiptId: ids[1] }],
  ] as const) {
    const wrong = await handle(app, name, { ...arg, pin: '1111' });
    assert.ok(
      !wrong.ok && wrong.error.code === 'pin_wrong',
      `${name} without the right PIN: ${JSON.stringify(wrong)}`,
    );
  }
  assert.equal(station.store.get(ids[0]!)!.status, 'accepted', 'nothing happened without the PIN');

  const list = await handle(app, 'unprinted.list', { pin: '2468' });
  assert.ok(list.ok);
  assert.deepEqual(
    (list.value as { id: string }[]).map((r) => r.id),
    ids,
  );
  const print = await handle(app, 'unprinted.print', { pin: '2468', receiptId: ids[0] });
  assert.ok(print.ok, JSON.stringify(print));
  assert.equal((print.value as { state: string }).state, 'printed');
  const voided = await handle(app, 'unprinted.void', { pin: '2468', receiptId: ids[1] });
  assert.ok(voided.ok, JSON.stringify(voided));
  assert.equal((voided.value as { state: string }).state, 'voided');
  const again = await handle(app, 'unprinted.void', { pin: '2468', receiptId: ids[0] });
  assert.ok(
    !again.ok && again.error.code === 'not_voidable',
    `a printed receipt cannot be voided: ${JSON.stringify(again)}`,
  );
  const empty = await handle(app, 'unprinted.list', { pin: '2468' });
  assert.ok(empty.ok && (empty.value as unknown[]).length === 0);
  assert.equal(app.station.bufferStatus().unprinted, 0);
});
