// The sync worker records a batch's OFD acceptances in one commit (sync-worker.ts recordAccepted), on a
// real buffer with a breaker stand-in that answers each receipt when the test says so. What must hold
// whatever else goes wrong in the batch: nothing the OFD accepted is left looking "sending" or lost
// without a word, stop() records what was accepted before it gave up on a hanging send, and a manual
// sync's progress never steps back when the buffer refuses an acceptance at the commit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SyncWorker } from '../src/main/core/sync/sync-worker.ts';
import type { OfdBreaker } from '../src/main/core/sync/ofd-breaker.ts';
import type { OfdOutcome, OfdReceiptPayload } from '../src/main/core/ofd/ofd-client.ts';
import { silentLogger } from '../src/main/core/logger.ts';
import { fiscalAttrs, newReceipt, openStore } from './helpers/buffer-store.ts';
import { tempDir } from './helpers/fixture.ts';

/** A breaker whose sends wait until the test answers them, by receipt id. */
function scriptedBreaker() {
  const waiting = new Map<string, (o: OfdOutcome) => void>();
  const asked: string[] = [];
  const breaker = {
    refusing: false,
    state: 'CLOSED',
    send(p: OfdReceiptPayload): Promise<OfdOutcome> {
      asked.push(p.receipt_id);
      return new Promise((resolve) => waiting.set(p.receipt_id, resolve));
    },
  };
  const answer = async (id: string, o: OfdOutcome) => {
    for (let i = 0; i < 200 && !waiting.has(id); i++) await new Promise((r) => setTimeout(r, 5));
    waiting.get(id)!(o);
    waiting.delete(id);
    await new Promise((r) => setTimeout(r, 10));
  };
  return { breaker: breaker as unknown as OfdBreaker, asked, answer };
}

function setup(t: import('node:test').TestContext, printed: number, batchSize = 50) {
  const s = openStore(join(tempDir(t), 'b.sqlite'));
  t.after(() => s.db.close());
  const ids: string[] = [];
  for (let fd = 1; fd <= printed; fd++) {
    const r = newReceipt();
    s.store.insertPrinting(r, 100);
    s.store.markPrinted(r.id, fiscalAttrs(fd));
    ids.push(r.id);
  }
  const b = scriptedBreaker();
  const worker = new SyncWorker({
    store: s.store,
    journal: s.journal,
    breaker: b.breaker,
    log: silentLogger,
    intervalMs: 60_000,
    batchSize,
    concurrency: 4,
    maxAttempts: 10,
    backoffBaseMs: 1_000,
    backoffMaxMs: 60_000,
  });
  return { ...s, ids, worker, ...b };
}

const ACCEPTED: OfdOutcome = { kind: 'accepted', ofdId: 'ofd-1' };

test('a send that throws in the batch: the others still finish, and every acceptance is recorded', async (t) => {
  const s = setup(t, 2);
  const [a, b] = s.ids as [string, string];
  const record = s.store.recordSendFailure.bind(s.store);
  s.store.recordSendFailure = () => {
    throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  };
  const run = s.worker.syncNow().then(
    () => null,
    (e: Error) => e,
  );
  await s.answer(a, {
    kind: 'retryable',
    status: 503,
    message: 'HTTP 503',
    why: { code: 'http_status', params: { status: 503 } },
  });
  await s.answer(b, ACCEPTED); // answered after the other send failed
  s.store.recordSendFailure = record;
  assert.match(
    (await run)?.message ?? 'no error',
    /database is locked/,
    'the run still fails with the error',
  );
  assert.equal(s.store.get(b)!.status, 'synced', 'the acceptance that came later was recorded');
  assert.equal(s.worker.snapshot().inFlight, 0, 'nothing is left looking "sending"');
});

test('a failed commit of the acceptances is counted failed and said, and they are sent again', async (t) => {
  const s = setup(t, 2);
  const many = s.store.markSyncedMany.bind(s.store);
  s.store.markSyncedMany = () => {
    throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  };
  const run = s.worker.syncNow();
  for (const id of s.ids) await s.answer(id, ACCEPTED);
  const r = await run;
  assert.deepEqual([r.synced, r.failed], [0, 2]);
  assert.match(s.worker.snapshot().lastError ?? '', /could not record 2 receipt\(s\).*disk is full/);
  assert.equal(s.store.counts().printed, 2);
  s.store.markSyncedMany = many;
  const again = s.worker.syncNow();
  for (const id of s.ids) await s.answer(id, { kind: 'duplicate', ofdId: 'ofd-1' });
  assert.equal((await again).synced, 2);
  assert.equal(s.store.counts().synced, 2);
  assert.equal(s.asked.length, 4, 'each sent twice, no more');
});

test('stop() records what the OFD accepted before it gives up on a send that hangs', async (t) => {
  const s = setup(t, 2);
  const [a, b] = s.ids as [string, string];
  const run = s.worker.syncNow();
  await s.answer(a, ACCEPTED);
  for (let i = 0; i < 200 && !s.asked.includes(b); i++) await new Promise((r) => setTimeout(r, 5));
  await s.worker.stop(100); // b never answers
  assert.equal(s.store.get(a)!.status, 'synced', 'accepted before the stop: recorded');
  assert.equal(s.store.get(b)!.status, 'printed', 'the hanging one is sent again after the restart');
  await s.answer(b, ACCEPTED); // a late answer of the old generation is dropped
  await run;
  assert.equal(s.store.get(b)!.status, 'printed');
});

test("a manual sync's progress never steps back when the buffer refuses an acceptance at the commit", async (t) => {
  const s = setup(t, 4, 2); // two batches of two
  const [a, b, c, d] = s.ids as [string, string, string, string];
  const seen: { done: number; total: number; synced: number; failed: number }[] = [];
  s.worker.onProgress((p) => seen.push(p));
  const run = s.worker.syncNow();
  await s.answer(a, ACCEPTED);
  // Recorded by another path while its acceptance waits for the batch's commit: the commit refuses it.
  s.store.markSynced(a, 'ofd-0', false);
  await s.answer(b, ACCEPTED);
  await s.answer(c, ACCEPTED);
  await s.answer(d, ACCEPTED);
  const r = await run;
  assert.equal(r.synced, 3, 'the refused acceptance is not counted synced');
  assert.deepEqual(
    seen.map((p) => p.done),
    [1, 2, 3, 4, 4],
    'one step per answered receipt, then complete',
  );
  for (const key of ['done', 'synced', 'failed', 'total'] as const)
    for (let i = 1; i < seen.length; i++)
      assert.ok(seen[i]![key] >= seen[i - 1]![key], `${key} went down: ${JSON.stringify(seen)}`);
  assert.deepEqual(seen.at(-1), { done: 4, total: 4, synced: 3, failed: 0 });
  assert.equal(s.store.counts().synced, 4);
});
