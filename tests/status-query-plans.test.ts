// GET /v1/kkt/buffer/status and GET /v1/health must cost the same however long the buffer's history
// (issue 9; `npm run bench` times it with 1k vs 1M synced receipts). This test pins the reason instead of
// a timing: it records every SQL statement the two endpoints run, against a buffer with synced, printed
// and dead receipts, and asks SQLite for each one's plan: no scan of a table that grows with history and
// no sort (a temp B-tree grows with the rows it sorts). Scans allowed: receipt_counts (a row per state)
// and the open dead letters through their partial index (each waits for a person, so they stay few).
// The receipts list (refund picking, «Копия чека») reads only the newest rows: its plan has no sort.
// A refund's lookups by FD number (a sale by the QR, the refunds of a purged sale) search an index.
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

/**
 * The statements `run` reads rows with (Statement#all), each with its parameters, and SQLite's plan
 * for each: what the code really runs, whatever it was prepared as.
 */
function plansOf(db: Database.Database, run: () => void): { sql: string; plan: string[] }[] {
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as { all: (...a: unknown[]) => unknown };
  const all = proto.all;
  const ran = new Map<string, unknown[]>();
  proto.all = function (this: { source: string }, ...a: unknown[]) {
    ran.set(this.source, a);
    return all.apply(this, a);
  };
  try {
    run();
  } finally {
    proto.all = all;
  }
  return [...ran].map(([sql, params]) => ({
    sql,
    plan: (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
      (p) => p.detail,
    ),
  }));
}

test('the receipts list (refund picking, «Копия чека») reads the newest rows without sorting the history', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await f.sale(`recent-${i}`, saleBody());
    assert.equal(r.status, 200);
    ids.push(r.body.receipt_id);
  }
  const list = await f.call('GET', '/v1/kkt/receipts?limit=3');
  assert.deepEqual(
    list.body.receipts.map((r: { receipt_id: string }) => r.receipt_id),
    ids.slice(1).reverse(),
    'the three newest, newest first',
  );
  const byClock = f.station.db.prepare(`SELECT id FROM receipts ORDER BY hlc DESC LIMIT 3`).all() as {
    id: string;
  }[];
  assert.deepEqual(
    f.station.store.recent(3).map((r) => r.id),
    byClock.map((r) => r.id),
    'the same as clock order',
  );
  const ran = plansOf(f.station.db, () => f.station.store.recent(3));
  assert.equal(ran.length, 1);
  assert.ok(!ran[0]!.plan.some((d) => d.includes('TEMP B-TREE')), JSON.stringify(ran[0])); // no sort of every row
});

test("a refund's lookups by FD number search an index: the sale by its QR, the refunds of a purged sale", async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const sale = await f.sale('fd-lookup', saleBody());
  assert.equal(sale.status, 200);
  const fd = sale.body.fiscal_doc.fiscal_doc_number as number;
  const ran = plansOf(f.station.db, () => {
    assert.equal(f.station.store.saleByFd(fd)?.id, sale.body.receipt_id);
    assert.equal(f.station.store.salesByFd(fd).length, 1);
    assert.deepEqual(f.station.store.refundsOfFiscal(fd), []);
  });
  assert.equal(ran.length, 3);
  for (const { sql, plan } of ran)
    assert.ok(
      plan.some((d) => /^SEARCH receipts USING INDEX/.test(d)) && !plan.some((d) => /^SCAN/.test(d)),
      `${sql}: ${JSON.stringify(plan)}`,
    );
});

test("a shift's totals (X and Z reports, the cash balance) read that shift's receipts through its index", async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const sale = await f.sale('shift-totals', saleBody());
  assert.equal(sale.status, 200);
  const r = f.station.store.get(sale.body.receipt_id)!;
  const ran = plansOf(f.station.db, () =>
    assert.equal(f.station.shifts.totals(r.fiscal!.fnNumber, r.fiscal!.shiftNumber).sales.count, 1),
  ).filter(({ sql }) => /FROM receipts\b/.test(sql));
  assert.equal(ran.length, 1);
  assert.ok(
    ran[0]!.plan.some((d) => /^SEARCH receipts USING INDEX receipts_by_shift/.test(d)),
    JSON.stringify(ran[0]),
  );
});
