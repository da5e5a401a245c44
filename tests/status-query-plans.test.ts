// GET /v1/kkt/buffer/status and GET /v1/health must cost the same however long the buffer's history
// (issue 9; `npm run bench` times it with 1k vs 1M synced receipts). This test pins the reason instead of
// a timing: it records every SQL statement the two endpoints run, against a buffer with synced, printed
// and dead receipts, and asks SQLite for each one's plan: no scan of a table that grows with history and
// no sort (a temp B-tree grows with the rows it sorts). Scans allowed: receipt_counts (a row per state)
// and the open dead letters through their partial index (each waits for a person, so they stay few).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { saleBody, startFixture } from './helpers/fixture.ts';

const ALLOWED_SCANS = [/^SCAN receipt_counts$/, /^SCAN dlq USING INDEX dlq_open$/];

test('buffer status and health run no query that scans the history or sorts it', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  for (let i = 0; i < 3; i++) assert.equal((await f.sale(`plan-${i}`, saleBody())).status, 200);
  await f.station.worker.syncNow(); // synced rows
  for (let i = 3; i < 5; i++) assert.equal((await f.sale(`plan-${i}`, saleBody())).status, 200);
  const dead = f.station.store.inState('printed')[0]!;
  f.station.store.moveToDlq(dead.id, 'test', 'rejected', true);

  // Every statement the endpoints run, whenever it was prepared: the store prepares some up front.
  const ran = new Set<string>();
  const proto = Database.prototype as unknown as { prepare: (sql: string) => Database.Statement };
  const prepare = proto.prepare;
  t.after(() => {
    proto.prepare = prepare;
  });
  const statementProto = Object.getPrototypeOf(prepare.call(f.station.db, 'SELECT 1')) as Record<
    string,
    (...a: unknown[]) => unknown
  >;
  const originals = Object.fromEntries(['get', 'all', 'run', 'iterate'].map((m) => [m, statementProto[m]!]));
  for (const m of Object.keys(originals))
    statementProto[m] = function (this: Database.Statement, ...a: unknown[]) {
      ran.add(this.source);
      return originals[m]!.apply(this, a);
    };
  t.after(() => Object.assign(statementProto, originals));

  assert.equal((await f.call('GET', '/v1/kkt/buffer/status')).status, 200);
  await f.call('GET', '/v1/health');
  Object.assign(statementProto, originals);

  assert.ok(
    [...ran].some((sql) => /FROM receipts\b/.test(sql)),
    'the endpoints read receipts (the recorder works)',
  );
  const problems: string[] = [];
  for (const sql of ran) {
    if (/^\s*PRAGMA/i.test(sql) || /^SELECT 1$/.test(sql)) continue;
    const params = new Array((sql.match(/\?/g) ?? []).length).fill(null);
    const plan = f.station.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
    for (const { detail } of plan) {
      const scan = detail.startsWith('SCAN ') && !ALLOWED_SCANS.some((ok) => ok.test(detail));
      if (scan || detail.includes('TEMP B-TREE')) problems.push(`${detail}  ←  ${sql.replace(/\s+/g, ' ')}`);
    }
  }
  assert.deepEqual(problems, []);
});
