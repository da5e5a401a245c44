// Migration 10 (below): the FD lookups' indexes on a buffer of version 9.
//
// Migration 6 (correction receipts): a buffer an earlier build wrote — receipts in several states, a
// refund referencing its sale, a dead letter, an open shift — is rebuilt with the wider receipts.type
// CHECK. Nothing is lost, the keys still hold, the per-state counts and their triggers still work,
// the indexes are back, and a correction can be stored where an unknown type still cannot. From
// version 4 (migrations 5 and 6 in one upgrade) and from version 5 (a catalogue with items, barcodes
// and its name index, which the rebuild must leave working).
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

const catalogSearch = (db: Database.Database, query: string) =>
  (
    db
      .prepare(
        `SELECT i.code FROM catalog_names JOIN catalog_items i ON i.rowid = catalog_names.rowid WHERE catalog_names MATCH ? ORDER BY i.code`,
      )
      .all(query) as { code: string }[]
  ).map((r) => r.code);

for (const from of [4, 5]) {
  test(`migration 6 from version ${from} widens receipts.type without losing a row, a key, an index, a trigger or a count`, (t) => {
    const file = join(tempDir(t), `v${from}.sqlite`);
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.pragma('foreign_keys = ON');
    for (const sql of MIGRATIONS.slice(0, from)) old.exec(sql as string);
    old.pragma(`user_version = ${from}`);
    if (from >= 5) {
      old
        .prepare(
          `INSERT INTO catalog_items (code, name, price_kop, vat, updated_at) VALUES ('M1', 'Молоко 3,2%', 8990, 'vat10', 'x')`,
        )
        .run();
      old.prepare(`INSERT INTO catalog_barcodes (barcode, code) VALUES ('4600000000017', 'M1')`).run();
    }
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
    // Every index is back; migration 10 (in the same upgrade) adds refunds_by_original_fd.
    assert.deepEqual(
      schemaOf(db, 'index').filter((name) => name !== 'refunds_by_original_fd'),
      indexes,
    );
    assert.deepEqual(schemaOf(db, 'trigger'), triggers);
    const counts = () =>
      Object.fromEntries(
        (
          db.prepare(`SELECT state, n FROM receipt_counts WHERE n > 0`).all() as {
            state: string;
            n: number;
          }[]
        ).map((r) => [r.state, r.n]),
      );
    assert.deepEqual(counts(), { synced: 1, printed: 1, dead: 1, accepted: 1 });

    db.prepare(insert).run('c1', 'k5', 'correction', 'accepted', '0005', null);
    assert.deepEqual(
      counts(),
      { synced: 1, printed: 1, dead: 1, accepted: 2 },
      'the insert trigger counts it',
    );
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

    // The catalogue (migration 5) is untouched by the rebuild and its name index still follows the items.
    if (from >= 5) {
      assert.deepEqual(catalogSearch(db, 'мол*'), ['M1']);
      assert.deepEqual(db.prepare(`SELECT code FROM catalog_barcodes`).all(), [{ code: 'M1' }]);
    }
    db.prepare(
      `INSERT INTO catalog_items (code, name, price_kop, vat, updated_at) VALUES ('K2', 'Кефир', 7990, 'vat10', 'x')`,
    ).run();
    db.prepare(`UPDATE catalog_items SET name = 'Молоко топлёное' WHERE code = 'M1'`).run();
    assert.deepEqual(catalogSearch(db, 'кеф*'), ['K2']);
    assert.deepEqual(catalogSearch(db, 'топл*'), from >= 5 ? ['M1'] : []);
    db.prepare(`DELETE FROM catalog_items WHERE code = 'K2'`).run();
    assert.deepEqual(catalogSearch(db, 'кеф*'), []);
  });
}

test('migration 10: the FD index leads with the FD and keeps one document per FN and FD; refunds of a purged sale have theirs', (t) => {
  const file = join(tempDir(t), 'v9.sqlite');
  const old = new Database(file);
  old.pragma('journal_mode = WAL');
  // A step is SQL or a function (6 rebuilds receipts), as migrate() runs them.
  for (const step of MIGRATIONS.slice(0, 9))
    if (typeof step === 'string') old.exec(step);
    else step(old);
  old.pragma('user_version = 9');
  const printed = old.prepare(
    `INSERT INTO receipts (id, idempotency_key, request_hash, pos_id, type, status, hlc, total_kop, draft, created_at, updated_at, fn_number, fd_number)
     VALUES (?, ?, 'h', 'POS-1', ?, 'printed', ?, 100, ?, 'x', 'x', ?, ?)`,
  );
  printed.run('s1', 'k1', 'sale', '0001', '{}', 'FN-A', 7);
  printed.run('s2', 'k2', 'sale', '0002', '{}', 'FN-B', 7); // a new FN restarts the numbers
  printed.run('r1', 'k3', 'refund', '0003', JSON.stringify({ originalFiscal: { fdNumber: 5 } }), 'FN-B', 8);
  old.close();

  const db = openDatabase(file);
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  const columns = db.prepare(`SELECT name FROM pragma_index_info('receipts_by_fd') ORDER BY seqno`).all();
  assert.deepEqual(columns, [{ name: 'fd_number' }, { name: 'fn_number' }]);
  assert.throws(
    () => db.prepare(printed.source).run('s3', 'k4', 'sale', '0004', '{}', 'FN-A', 7),
    /UNIQUE/,
    'still one document per FN and FD',
  );
  db.prepare(printed.source).run('s4', 'k5', 'sale', '0005', '{}', 'FN-C', 7);
  const plan = (sql: string, ...a: unknown[]) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...a) as { detail: string }[])
      .map((r) => r.detail)
      .join(' | ');
  assert.match(plan(`SELECT id FROM receipts WHERE fd_number = ?`, 7), /USING INDEX receipts_by_fd/);
  assert.match(
    plan(
      `SELECT id FROM receipts WHERE type = 'refund' AND json_extract(draft, '$.originalFiscal.fdNumber') = ?`,
      5,
    ),
    /USING INDEX refunds_by_original_fd/,
  );
});
