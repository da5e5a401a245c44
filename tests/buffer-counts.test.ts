// The per-state receipt counts (receipt_counts, migration 4) that buffer status, /v1/health, /metrics and
// the status panel read instead of counting the whole receipts table: they must equal a real count of
// the rows after every transition, a purge, a rolled-back transaction, a process killed mid-transaction
// and a restart, and the migration must back-fill them from a buffer written by an older build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../src/main/core/buffer/database.ts';
import type { ReceiptStore } from '../src/main/core/buffer/receipt-store.ts';
import { MIGRATIONS } from '../src/main/core/buffer/migrations.ts';
import { RECEIPT_STATES } from '../src/shared/receipt-states.ts';
import { fiscalAttrs, newReceipt, openStore } from './helpers/buffer-store.ts';
import { tempDir } from './helpers/fixture.ts';
import { waitFor } from './helpers/wait.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The truth: a full count of the rows, by state. */
function counted(db: Db): Record<string, number> {
  const out = Object.fromEntries(RECEIPT_STATES.map((s) => [s, 0]));
  for (const r of db.prepare(`SELECT status, count(*) AS n FROM receipts GROUP BY status`).all() as {
    status: string;
    n: number;
  }[])
    out[r.status] = r.n;
  return out;
}

/** What the counts table holds (no full count involved). */
function kept(db: Db): Record<string, number> {
  return Object.fromEntries(
    (db.prepare(`SELECT state, n FROM receipt_counts`).all() as { state: string; n: number }[]).map((r) => [
      r.state,
      r.n,
    ]),
  );
}

function assertExact(db: Db, store: ReceiptStore, step: string): void {
  const truth = counted(db);
  assert.deepEqual(kept(db), truth, `receipt_counts after ${step}`);
  assert.deepEqual(store.counts(), truth, `store.counts() after ${step}`);
  assert.equal(store.queued(), truth.printing! + truth.printed!, `queued() after ${step}`);
  assert.equal(
    store.unprintedCount(),
    truth.accepted! + truth.print_failed!,
    `unprintedCount() after ${step}`,
  );
}

test('the kept counts equal a real count through every transition, a rollback, a purge and a restart', (t) => {
  let nowMs = Date.parse('2026-11-01T10:00:00Z');
  const now = () => new Date(nowMs);
  const file = join(tempDir(t), 'b.sqlite');
  let { db, store } = openStore(file, { now });
  t.after(() => db.close());
  assertExact(db, store, 'creation');

  const ids = Array.from({ length: 6 }, () => store.insertAccepted(newReceipt(), 100).id);
  assertExact(db, store, 'inserts');
  const [a, b, c, d, e, f] = ids as [string, string, string, string, string, string];
  store.markPrinting(a);
  assertExact(db, store, 'accepted → printing');
  store.markPrinted(a, fiscalAttrs(1));
  assertExact(db, store, 'printing → printed');
  store.recordSendFailure(a, 'timeout', nowMs + 1000);
  assertExact(db, store, 'a send failure (no state change)');
  store.postpone(a, nowMs + 2000, 'rate limited');
  assertExact(db, store, 'a postponement (no state change)');
  store.markSynced(a, 'ofd-1', false);
  assertExact(db, store, 'printed → synced');
  store.markPrinting(b);
  store.markPrinted(b, fiscalAttrs(2));
  store.moveToDlq(b, 'rejected', 'bad', true);
  assertExact(db, store, 'printed → dead');
  store.retryFromDlq(b, 'manager');
  assertExact(db, store, 'dead → printed');
  store.moveToDlq(b, 'rejected again', 'bad', true);
  store.resolveDlq(b, 'manager', 'settled by hand');
  assertExact(db, store, 'a resolved dead letter');
  store.markPrinting(c);
  store.markPrintFailed(c, 'paper out');
  assertExact(db, store, 'printing → print_failed');
  store.markPrinting(c);
  store.returnToAccepted(c, 'not in the archive');
  assertExact(db, store, 'print_failed → printing → accepted');
  store.voidReceipt(c, 'abandoned');
  assertExact(db, store, 'accepted → voided');
  store.markPrinting(d);
  store.markPrinted(d, fiscalAttrs(3));
  store.markSynced(d, null, true);
  store.markPrinting(e);
  assertExact(db, store, 'more transitions');

  // Refused transitions change nothing.
  assert.throws(() => store.markSynced(c, null, false));
  assert.throws(() => store.markPrinting(a));
  assertExact(db, store, 'refused transitions');

  // A transaction that fails half-way (after a state change and an insert) rolls the counts back too.
  const before = kept(db);
  assert.throws(
    () =>
      db.transaction(() => {
        store.markPrinted(e, fiscalAttrs(4));
        store.insertAccepted(newReceipt(), 100);
        throw new Error('power cut before COMMIT');
      })(),
    /power cut/,
  );
  assert.deepEqual(kept(db), before, 'a rolled-back transaction leaves the counts as they were');
  assertExact(db, store, 'a rollback');

  // Retention: the synced receipts and the resolved dead letter go, and with them their counts.
  nowMs += 120 * DAY_MS;
  const purged = store.purge(7, 90);
  assert.deepEqual(purged, { receipts: 2, dlq: 1 });
  assertExact(db, store, 'a purge');
  assert.equal(store.counts().synced, 0);
  assert.equal(store.counts().dead, 0);

  // A restart reads the same numbers from the file.
  const expected = store.counts();
  db.close();
  ({ db, store } = openStore(file, { now }));
  assert.deepEqual(store.counts(), expected);
  assertExact(db, store, 'a restart');
  assert.equal(expected.accepted, 1); // f
  assert.equal(store.get(f)!.status, 'accepted');
});

test('a process killed with SIGKILL in the middle of a transaction leaves the counts exact', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'b.sqlite');
  let { db, store } = openStore(file);
  const moving = store.insertAccepted(newReceipt(), 100).id;
  store.insertAccepted(newReceipt(), 100);
  const before = kept(db);
  assertExact(db, store, 'the set-up');
  db.close();

  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'helpers', 'counts-crash-child.ts'), file, moving],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, sig) => resolve(sig)),
  );
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await waitFor(
    'the child to be inside its transaction',
    () => {
      if (child.exitCode !== null) throw new Error(`the child exited early:\n${out}`);
      return out.includes('mid-transaction');
    },
    { timeoutMs: 30_000, detail: () => out },
  );
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');

  ({ db, store } = openStore(file));
  t.after(() => db.close());
  assert.deepEqual(kept(db), before, 'nothing of the killed transaction is counted');
  assert.equal(store.get('crash-new'), null);
  assert.equal(store.get(moving)!.status, 'accepted');
  assertExact(db, store, 'the restart after SIGKILL');
  store.markPrinting(moving);
  assertExact(db, store, 'a transition after the crash');
});

test('the migration back-fills the counts of a buffer written by the previous schema version', (t) => {
  const file = join(tempDir(t), 'old.sqlite');
  // A buffer as the previous build left it: schema 3, receipts in every state, no receipt_counts.
  const old = new Database(file);
  old.pragma('journal_mode = WAL');
  for (const sql of MIGRATIONS.slice(0, 3)) old.exec(sql as string);
  old.pragma('user_version = 3');
  const insert = old.prepare(
    `INSERT INTO receipts (id, idempotency_key, request_hash, pos_id, type, status, hlc, total_kop, draft, created_at, updated_at)
     VALUES (?, ?, 'h', 'POS-1', 'sale', ?, ?, 100, '{}', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`,
  );
  const seeded: Record<string, number> = {
    accepted: 2,
    printing: 1,
    printed: 3,
    synced: 50,
    print_failed: 1,
    dead: 2,
    voided: 4,
  };
  let i = 0;
  old.transaction(() => {
    for (const [state, count] of Object.entries(seeded))
      for (let k = 0; k < count; k++, i++)
        insert.run(`o${i}`, `ok${i}`, state, `0000000000${String(i).padStart(6, '0')}`);
  })();
  old.close();

  const { db, store } = openStore(file);
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  assert.deepEqual(kept(db), seeded);
  assertExact(db, store, 'the migration');
  store.insertAccepted(newReceipt(), 100);
  store.markPrinting('o0');
  assertExact(db, store, 'new writes after the migration');
});
