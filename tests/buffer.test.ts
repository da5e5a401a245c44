import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from '../src/main/core/buffer/migrations.ts';
import { openDatabase, type Db } from '../src/main/core/buffer/database.ts';
import { parseHlc } from '../src/main/core/buffer/hlc.ts';
import { BufferFullError, IllegalTransitionError } from '../src/shared/errors.ts';
import { fiscalAttrs, newReceipt, openStore, saleDraft } from './helpers/buffer-store.ts';
import { tempDir } from './helpers/fixture.ts';

test('the database is WAL with synchronous=FULL and at the latest schema version', (t) => {
  const db: Db = openDatabase(join(tempDir(t), 'b.sqlite'));
  t.after(() => db.close());
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('synchronous', { simple: true }), 2);
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
});

test('a receipt walks accepted → printing → printed → synced, each step journaled', (t) => {
  const { db, store, journal } = openStore(join(tempDir(t), 'b.sqlite'));
  t.after(() => db.close());
  const r = store.insertAccepted(newReceipt(), 10);
  assert.equal(r.status, 'accepted');
  assert.equal(r.totalKop, 18099);
  assert.equal(store.markPrinting(r.id).status, 'printing');
  const printed = store.markPrinted(r.id, fiscalAttrs(7));
  assert.equal(printed.status, 'printed');
  assert.equal(printed.fiscal?.fdNumber, 7);
  assert.equal(store.markSynced(r.id, 'ofd-1', false).status, 'synced');
  assert.deepEqual(
    journal
      .recent(10, r.id)
      .map((e) => e.kind)
      .reverse(),
    ['receipt_added', 'receipt_printing', 'receipt_printed', 'receipt_synced'],
  );
});

test('illegal transitions are refused and change nothing', (t) => {
  const { db, store } = openStore(join(tempDir(t), 'b.sqlite'));
  t.after(() => db.close());
  const r = store.insertAccepted(newReceipt(), 10);
  assert.throws(() => store.markSynced(r.id, null, false), IllegalTransitionError); // accepted → synced
  assert.throws(() => store.markPrinted(r.id, fiscalAttrs(1)), IllegalTransitionError); // never printed blindly
  store.markPrinting(r.id);
  store.markPrinted(r.id, fiscalAttrs(1));
  assert.throws(() => store.voidReceipt(r.id, 'x'), IllegalTransitionError); // a fiscal document cannot be voided
  assert.throws(() => store.markPrinting(r.id), IllegalTransitionError); // never printed twice
  assert.throws(() => store.markPrinting('missing'), /missing/);
  assert.equal(store.get(r.id)!.status, 'printed');
});

test('a change writes what its patch names and keeps the rest; a send failure or postponement of a receipt not printed changes nothing', (t) => {
  const { db, store } = openStore(join(tempDir(t), 'b.sqlite'));
  t.after(() => db.close());
  const r = store.insertAccepted(newReceipt(), 10);
  assert.deepEqual(
    store.get(r.id)!.draft,
    JSON.parse(JSON.stringify(saleDraft)),
    'the draft round-trips through its JSON column',
  );
  const printing = store.markPrinting(r.id);
  assert.throws(() => store.recordSendFailure(r.id, 'OFD error 503', 1), IllegalTransitionError);
  store.postpone(r.id, 1, 'rate limited');
  assert.deepEqual(store.get(r.id), printing, 'a printing receipt is neither counted nor postponed');
  const printed = store.markPrinted(r.id, { ...fiscalAttrs(3), changeKop: 1901 });
  assert.deepEqual(
    printed.fiscal,
    { ...fiscalAttrs(3), changeKop: 1901 },
    'the fiscal attributes round-trip through their columns',
  );
  assert.equal(printed.printStartedAt, printing.printStartedAt, 'a field the patch leaves out is kept');
  assert.equal(printed.lastError, null);
  store.postpone(r.id, 42, 'rate limited');
  assert.deepEqual(
    [store.get(r.id)!.nextAttemptAt, store.get(r.id)!.lastError, store.get(r.id)!.attempts],
    [42, 'rate limited', 0],
  );
});

test('a failed send counts the attempt; the DLQ keeps reason and attempts; retry and resolve work', (t) => {
  const { db, store } = openStore(join(tempDir(t), 'b.sqlite'));
  t.after(() => db.close());
  const r = store.insertAccepted(newReceipt(), 10);
  store.markPrinting(r.id);
  store.markPrinted(r.id, fiscalAttrs(2));
  assert.equal(store.recordSendFailure(r.id, 'OFD error 503', Date.now() + 1000).attempts, 1);
  assert.equal(store.dueForSync(10, Date.now()).length, 0, 'backoff hides it until next_attempt_at');
  const dead = store.moveToDlq(r.id, '20 attempts failed', 'OFD error 503', true);
  assert.equal(dead.status, 'dead');
  assert.equal(dead.attempts, 2);
  assert.deepEqual(
    store.dlq().map((d) => [d.receiptId, d.reason, d.attempts]),
    [[r.id, '20 attempts failed', 2]],
  );
  assert.equal(store.retryFromDlq(r.id, 'manager').status, 'printed');
  assert.equal(store.dlqSize(), 0);
  store.moveToDlq(r.id, 'the OFD rejected it (422)', 'bad', true);
  const resolved = store.resolveDlq(r.id, 'manager', 'sent through the FN directly');
  assert.equal(resolved.resolutionNote, 'sent through the FN directly');
  assert.equal(store.dlqSize(), 0);
  assert.throws(() => store.resolveDlq(r.id, 'manager', 'again'), IllegalTransitionError);
});

test('capacity is checked in the insert transaction: the receipt over capacity is not stored', (t) => {
  const { db, store } = openStore(join(tempDir(t), 'b.sqlite'));
  t.after(() => db.close());
  // Never-printed receipts do not count (unprinted.test.ts): these two went to the KKT.
  store.markPrinting(store.insertAccepted(newReceipt(), 2).id);
  store.markPrinting(store.insertAccepted(newReceipt(), 2).id);
  const before = store.counts();
  assert.throws(
    () => store.insertAccepted(newReceipt(), 2),
    (e: unknown) =>
      e instanceof BufferFullError && e.message === 'Buffer full: 2/2. Cannot accept new receipts.',
  );
  assert.deepEqual(store.counts(), before);
});

test('the hybrid clock never goes backwards, even when the wall clock does, and survives a restart', (t) => {
  const file = join(tempDir(t), 'b.sqlite');
  let wall = 1_800_000_000_000;
  const a = openStore(file, { wall: () => wall });
  // The stamps of stored rows: receipts and their journal entries, as a sale writes them.
  const stampsOf = (s: ReturnType<typeof openStore>) =>
    (s.db.prepare(`SELECT hlc FROM journal ORDER BY id`).all() as { hlc: string }[]).map((r) => r.hlc);
  for (let i = 0; i < 5; i++) a.store.insertAccepted(newReceipt(), 100);
  wall -= 3_600_000; // NTP or a cashier sets the clock an hour back
  for (let i = 0; i < 5; i++) a.store.insertAccepted(newReceipt(), 100);
  a.db.close();
  const b = openStore(file, { wall: () => wall }); // restart with the wall clock still behind
  b.store.insertAccepted(newReceipt(), 100);
  const stamps = stampsOf(b);
  const receiptStamps = (
    b.db.prepare(`SELECT hlc FROM receipts ORDER BY rowid`).all() as { hlc: string }[]
  ).map((r) => r.hlc);
  b.db.close();
  assert.equal(stamps.length, 11);
  for (const list of [stamps, receiptStamps]) {
    assert.deepEqual(list, [...list].sort(), 'text order is clock order');
    assert.equal(new Set(list).size, list.length, 'every stamp is unique');
  }
  assert.ok(parseHlc(stamps.at(-1)!).wallMs >= 1_800_000_000_000, 'the restart did not forget the clock');
  assert.ok(receiptStamps.at(-1)! > stamps.at(-2)!, 'the new receipt is stamped after every earlier entry');
});

test("the clock survives retention deleting every stamped row, and resumes from an old buffer's meta", (t) => {
  const file = join(tempDir(t), 'b.sqlite');
  let wall = 1_800_000_000_000;
  let now = new Date(wall);
  const a = openStore(file, { wall: () => wall, now: () => now });
  const r = newReceipt();
  a.store.insertAccepted(r, 100);
  a.store.markPrinting(r.id);
  a.store.markPrinted(r.id, fiscalAttrs(1));
  a.store.markSynced(r.id, 'ofd-1', false);
  const newest = a.clock.peek();
  now = new Date(wall + 400 * 86_400_000); // a year later (the wall clock of the HLC stays behind)
  assert.deepEqual(a.store.purge(7, 90), { receipts: 1, dlq: 0 });
  a.db.prepare(`DELETE FROM journal`).run(); // nothing stamped is left at all
  a.db.close();
  wall -= 86_400_000;
  const b = openStore(file, { wall: () => wall });
  assert.ok(b.db.transaction(() => b.clock.tick())() > newest, 'resumed above the purged stamps');
  b.db.close();
});

test('receipts are synced in clock order even when the wall clock jumped back between them', (t) => {
  const file = join(tempDir(t), 'b.sqlite');
  let wall = 1_800_000_000_000;
  const { db, store } = openStore(file, { wall: () => wall });
  t.after(() => db.close());
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = store.insertAccepted(newReceipt(), 10);
    store.markPrinting(r.id);
    store.markPrinted(r.id, fiscalAttrs(100 + i));
    ids.push(r.id);
    wall -= 60_000;
  }
  assert.deepEqual(
    store.dueForSync(10, Date.now()).map((r) => r.id),
    ids,
  );
});

test('retention keeps a sale and its refunds together until all of them are old, so refund limits hold', (t) => {
  let now = new Date('2026-01-01T00:00:00Z');
  const { db, store } = openStore(join(tempDir(t), 'b.sqlite'), { now: () => now });
  t.after(() => db.close());
  const printedSynced = (d: typeof saleDraft, fd: number) => {
    const r = store.insertAccepted(
      { id: `g${fd}`, idempotencyKey: `g${fd}`, requestHash: 'h', draft: d },
      100,
    );
    store.markPrinting(r.id);
    store.markPrinted(r.id, fiscalAttrs(fd));
    return store.markSynced(r.id, 'o', false);
  };
  const sale = printedSynced(saleDraft, 400);
  const refundDraft = { ...saleDraft, type: 'refund' as const, originalReceiptId: sale.id };
  printedSynced(refundDraft, 401);
  now = new Date('2026-01-06T00:00:00Z');
  const late = printedSynced(refundDraft, 402);
  now = new Date('2026-01-10T00:00:00Z'); // the sale and the first refund are 9 days old, the second 4
  assert.deepEqual(
    store.purge(7, 90),
    { receipts: 0, dlq: 0 },
    'nothing of the group goes while one member is young',
  );
  assert.equal(store.refundsOf(sale.id).length, 2);
  now = new Date('2026-01-20T00:00:00Z');
  assert.deepEqual(store.purge(7, 90), { receipts: 3, dlq: 0 });
  assert.equal(store.get(late.id), null);
});

test('retention removes old synced receipts and old resolved DLQ entries, never unsynced ones', (t) => {
  const file = join(tempDir(t), 'b.sqlite');
  let now = new Date('2026-01-01T00:00:00Z');
  const { db, store } = openStore(file, { now: () => now });
  t.after(() => db.close());
  const make = (fd: number) => {
    const r = store.insertAccepted(newReceipt(), 100);
    store.markPrinting(r.id);
    return store.markPrinted(r.id, fiscalAttrs(fd));
  };
  const synced = make(300);
  store.markSynced(synced.id, 'o', false);
  const unsynced = make(301);
  const resolved = make(302);
  store.moveToDlq(resolved.id, 'rejected', 'bad', true);
  store.resolveDlq(resolved.id, 'manager', 'done');
  const unresolved = make(303);
  store.moveToDlq(unresolved.id, 'rejected', 'bad', true);
  const accepted = store.insertAccepted(newReceipt(), 100);

  now = new Date('2026-01-05T00:00:00Z'); // 4 days: nothing is old enough
  assert.deepEqual(store.purge(7, 90), { receipts: 0, dlq: 0 });
  now = new Date('2026-06-01T00:00:00Z'); // five months later
  assert.deepEqual(store.purge(7, 90), { receipts: 1, dlq: 1 });
  assert.equal(store.get(synced.id), null);
  assert.equal(store.get(resolved.id), null);
  assert.equal(store.get(unsynced.id)?.status, 'printed');
  assert.equal(store.get(unresolved.id)?.status, 'dead');
  assert.equal(store.get(accepted.id)?.status, 'accepted');
  assert.equal(
    store.highestRecordedFd('9999078900000001'),
    303,
    'retention never lowers the FD high-water mark recovery relies on',
  );
});

test('the WAL stays bounded: checkpoints every 256 pages and journal_size_limit keep it near 1 MB (it grew to ~4 MB)', (t) => {
  const file = join(tempDir(t), 'b.sqlite');
  const { db, store } = openStore(file);
  t.after(() => db.close());
  let largest = 0;
  for (let i = 0; i < 120; i++) {
    const r = store.insertAccepted(newReceipt(), 1000);
    store.markPrinting(r.id);
    store.markPrinted(r.id, fiscalAttrs(10_000 + i));
    store.markSynced(r.id, `ofd-${i}`, false);
    largest = Math.max(largest, statSync(`${file}-wal`).size);
  }
  assert.ok(largest <= 1.25 * 1024 * 1024, `the WAL reached ${largest} bytes`);
  assert.equal(db.pragma('journal_size_limit', { simple: true }), 1024 * 1024);
});

test('markSyncedMany: one commit for the lot; a receipt the state machine refuses is left out, the others are recorded', (t) => {
  const { db, store, journal } = openStore(join(tempDir(t), 'b.sqlite'));
  t.after(() => db.close());
  const ids: string[] = [];
  for (let fd = 1; fd <= 3; fd++) {
    const r = newReceipt();
    store.insertPrinting(r, 100);
    store.markPrinted(r.id, fiscalAttrs(fd));
    ids.push(r.id);
  }
  store.markSynced(ids[1]!, 'ofd-early', false); // synced meanwhile: a second «synced» is illegal
  const { synced, refused } = store.markSyncedMany(
    ids.map((id, i) => ({ id, ofdId: `ofd-${i}`, duplicate: i === 2 })),
  );
  assert.deepEqual(
    synced.map((r) => [r.id, r.status, r.ofdId]),
    [
      [ids[0], 'synced', 'ofd-0'],
      [ids[2], 'synced', 'ofd-2'],
    ],
  );
  assert.deepEqual(
    refused.map((r) => r.id),
    [ids[1]],
  );
  assert.equal(store.get(ids[1]!)!.ofdId, 'ofd-early', 'the refused one is untouched');
  assert.equal(store.counts().synced, 3);
  assert.deepEqual(
    journal.recent(1, ids[2]).map((e) => e.code),
    ['receipt_synced_duplicate'],
  );
  assert.equal(db.pragma('synchronous', { simple: true }), 2, 'the connection is back at FULL');
});
