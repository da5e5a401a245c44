// Migration 5 (correction receipts): a buffer the previous build wrote — receipts in several states, a
// refund referencing its sale, a dead letter, an open shift — is rebuilt with the wider receipts.type
// CHECK. Nothing is lost, the keys still hold, the per-state counts and their triggers still work,
// the indexes are back, and a correction can be stored where an unknown type still cannot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../src/main/core/buffer/database.ts';
import { MIGRATIONS } from '../src/main/core/buffer/migrations.ts';
import { tempDir } from './helpers/fixture.ts';

const insert = `INSERT INTO receipts (id, idempotency_key, request_hash, pos_id, type, status, hlc, total_kop, draft, original_receipt_id, created_at, updated_at)
  VALUES (?, ?, 'h', 'POS-1', ?, ?, ?, 100, '{}', ?, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`;

const schemaOf = (db: Database.Database, type: string) =>
  (
    db
      .prepare(`SELECT name FROM sqlite_schema WHERE tbl_name = 'receipts' AND type = ? ORDER BY name`)
      .all(type) as { name: string }[]
  ).map((r) => r.name);

test('migration 5 widens receipts.type without losing a row, a key, an index, a trigger or a count', (t) => {
  const file = join(tempDir(t), 'v4.sqlite');
  const old = new Database(file);
  old.pragma('journal_mode = WAL');
  old.pragma('foreign_keys = ON');
  for (const sql of MIGRATIONS.slice(0, 4)) old.exec(sql as string);
  old.pragma('user_version = 4');
  const add = old.prepare(insert);
  add.run('s1', 'k1', 'sale', 'synced', '0001', null);
  add.run('r1', 'k2', 'refund', 'printed', '0002', 's1');
  add.run('s2', 'k3', 'sale', 'dead', '0003', null);
  add.run('s3', 'k4', 'sale', 'accepted', '0004', null);
  old
    .prepare(`INSERT INTO dlq (receipt_id, reason, attempts, moved_at) VALUES ('s2', 'rejected', 3, 'x')`)
    .run();
  old
    .prepare(`INSERT INTO shifts (fn_number, number, opened_at, opened_by) VALUES ('F', 7, 'x', 'Иванова')`)
    .run();
  const indexes = schemaOf(old, 'index');
  const triggers = schemaOf(old, 'trigger');
  const rows = old.prepare(`SELECT * FROM receipts ORDER BY id`).all();
  old.close();

  const db = openDatabase(file);
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1, 'foreign keys are on again');
  assert.deepEqual(db.prepare(`SELECT * FROM receipts ORDER BY id`).all(), rows);
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  assert.deepEqual(schemaOf(db, 'index'), indexes);
  assert.deepEqual(schemaOf(db, 'trigger'), triggers);
  const counts = () =>
    Object.fromEntries(
      (
        db.prepare(`SELECT state, n FROM receipt_counts WHERE n > 0`).all() as { state: string; n: number }[]
      ).map((r) => [r.state, r.n]),
    );
  assert.deepEqual(counts(), { synced: 1, printed: 1, dead: 1, accepted: 1 });

  db.prepare(insert).run('c1', 'k5', 'correction', 'accepted', '0005', null);
  assert.deepEqual(counts(), { synced: 1, printed: 1, dead: 1, accepted: 2 }, 'the insert trigger counts it');
  db.prepare(`UPDATE receipts SET status = 'printing' WHERE id = 'c1'`).run();
  assert.equal(counts().printing, 1, 'the status trigger moves it');
  assert.throws(() => db.prepare(insert).run('x1', 'k6', 'purchase', 'accepted', '0006', null), /CHECK/);
  assert.throws(
    () => db.prepare(insert).run('x2', 'k7', 'refund', 'accepted', '0007', 'nope'),
    /FOREIGN KEY/,
  );
  assert.throws(() => db.prepare(insert).run('x3', 'k1', 'sale', 'accepted', '0008', null), /UNIQUE/);
  db.prepare(`UPDATE shifts SET opened_by_inn = '500100732259' WHERE number = 7`).run();
  assert.deepEqual(db.prepare(`SELECT receipt_id FROM dlq`).all(), [{ receipt_id: 's2' }]);
});
