// Phase 2 against a real mock OFD on loopback: the breaker, attempts, backoff, DLQ, rate limiting and
// the single-flight manual sync, with sales going on whatever the OFD does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFixture, type Fixture } from './helpers/fixture.ts';
import { waitFor } from './helpers/wait.ts';
import { nextBackoffMs } from '../src/main/core/util/backoff.ts';
import { KICK_GAP_MS } from '../src/main/core/sync/sync-worker.ts';

/** Fast timings so outages play out in a second; the logic is the production one. */
const FAST = {
  STATION_SYNC_INTERVAL_MS: '100',
  STATION_BACKOFF_BASE_MS: '20',
  STATION_BACKOFF_MAX_MS: '100',
  STATION_SYNC_CONCURRENCY: '1',
};

async function sell(f: Fixture, n: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await f.sale(`${prefix}-${i}`);
    assert.equal(
      res.status,
      200,
      `sale ${i} while the OFD is ${f.ofd.health().mode}: ${JSON.stringify(res.body)}`,
    );
    ids.push(res.body.receipt_id);
  }
  return ids;
}

const attemptsOf = (f: Fixture, ids: string[]) =>
  ids.reduce((sum, id) => sum + f.station.store.get(id)!.attempts, 0);

test('OFD down: sales go on, the breaker opens after 5 failures in a row, no attempt is counted while it is open', async (t) => {
  const f = await startFixture(t, {
    env: { ...FAST, STATION_BREAKER_THRESHOLD: '5', STATION_BREAKER_RESET_MS: '60000' },
  });
  f.ofd.setMode({ mode: 'down' });
  const ids = await sell(f, 8, 'down');
  await waitFor('the breaker to open', () => f.station.breaker.state === 'OPEN');
  assert.equal(f.ofd.health().call_count, 5, 'exactly the 5 failures that opened it reached the OFD');
  assert.equal(attemptsOf(f, ids), 5);
  const more = await sell(f, 3, 'while-open'); // the sale path does not care
  // Not a fixed sleep: wait until the worker has really run several times (each run takes the due
  // receipts to the breaker), so a slow machine cannot pass this by not running the worker at all.
  const runsBefore = f.station.worker.snapshot().totals.runs;
  await waitFor('five more worker runs', () => f.station.worker.snapshot().totals.runs >= runsBefore + 5);
  assert.equal(f.ofd.health().call_count, 5, 'an open breaker sends nothing');
  assert.equal(attemptsOf(f, [...ids, ...more]), 5, 'and charges no attempt');
  const status = await f.call('GET', '/v1/kkt/buffer/status');
  assert.equal(status.body.network_status, 'offline');
  assert.equal(status.body.current_queued, 11);
  const health = await f.call('GET', '/v1/health');
  assert.equal(health.body.status, 'degraded');
  assert.equal(health.body.components.circuit_breaker.state, 'OPEN');
  const journal = f.station.journal.recent(200).map((e) => e.kind);
  assert.ok(journal.includes('breaker_opened'));
});

test('OFD back: the half-open trial closes the breaker and every receipt is synced exactly once', async (t) => {
  const f = await startFixture(t, {
    env: {
      ...FAST,
      STATION_BREAKER_THRESHOLD: '3',
      STATION_BREAKER_RESET_MS: '300',
      STATION_SYNC_CONCURRENCY: '4',
    },
  });
  f.ofd.setMode({ mode: 'down' });
  const ids = await sell(f, 12, 'outage');
  await waitFor('the breaker to open', () => f.station.breaker.state === 'OPEN');
  f.ofd.setMode({ mode: 'up' });
  await waitFor('every receipt to be synced', () => f.station.store.counts().synced === ids.length, 15_000);
  assert.equal(f.station.breaker.state, 'CLOSED');
  const received = f.ofd.received().map((r) => r.idempotency_key);
  assert.deepEqual([...received].sort(), [...ids].sort(), 'each receipt arrived once, keyed by its id');
  assert.equal(f.ofd.health().duplicates, 0);
  const body = f.ofd.received()[0]!.body as {
    receipt_id: string;
    pos_id: string;
    fiscal: { fd_number: number };
  };
  assert.equal(body.pos_id, 'POS-1');
  assert.ok(body.fiscal.fd_number > 0, 'the OFD gets the fiscal attributes');
  const kinds = f.station.journal.recent(500).map((e) => e.kind);
  assert.ok(kinds.includes('breaker_half_open') && kinds.includes('breaker_closed'));
});

test('fail_next 3: the receipt is synced with 3 attempts recorded', async (t) => {
  const f = await startFixture(t, { env: { ...FAST } });
  f.ofd.setMode({ mode: 'fail_next', count: 3 });
  const [id] = await sell(f, 1, 'flaky');
  await waitFor('the receipt to be synced', () => f.station.store.get(id!)!.status === 'synced');
  const r = await f.call('GET', `/v1/kkt/receipt/${id}`);
  assert.equal(r.body.attempts, 3);
  assert.equal(r.body.status, 'synced');
  assert.equal(f.ofd.health().call_count, 4);
  assert.equal(f.station.journal.recent(50, id).filter((e) => e.kind === 'receipt_send_failed').length, 3);
});

test('a permanent rejection (422) goes to the dead-letter queue at once', async (t) => {
  const f = await startFixture(t, { env: { ...FAST } });
  f.ofd.setMode({ mode: 'fail_next', count: 1, status: 422 });
  const [bad, good] = await sell(f, 2, 'perm');
  await waitFor(
    'both settled',
    () => f.station.store.get(bad!)!.status === 'dead' && f.station.store.get(good!)!.status === 'synced',
  );
  assert.equal(f.ofd.health().call_count, 2, 'no retry of a permanent rejection');
  const dlq = f.station.store.dlq();
  assert.equal(dlq.length, 1);
  assert.equal(dlq[0]!.receiptId, bad);
  assert.equal(dlq[0]!.attempts, 1);
  assert.match(dlq[0]!.reason, /rejected it \(422\)/);
  assert.equal(f.station.breaker.snapshot().totalFailures, 0, 'a 4xx does not count toward the breaker');
  const buffer = await f.call('GET', '/v1/kkt/buffer/status');
  assert.equal(buffer.body.dlq_size, 1);
  assert.equal(buffer.body.failed, 1);
  // A dead letter needs a person: health says so, with the count, even though the OFD answers.
  const health = await f.call('GET', '/v1/health');
  assert.equal(health.status, 200);
  assert.equal(health.body.status, 'degraded');
  assert.equal(health.body.components.buffer.dlq_size, 1);
  assert.equal(health.body.components.circuit_breaker.state, 'CLOSED');
});

test('a continuous outage moves receipts to the DLQ once their attempts run out, through breaker cycles', async (t) => {
  const f = await startFixture(t, {
    env: {
      ...FAST,
      STATION_MAX_ATTEMPTS: '4',
      STATION_BREAKER_THRESHOLD: '2',
      STATION_BREAKER_RESET_MS: '150',
    },
  });
  f.ofd.setMode({ mode: 'down' });
  const ids = await sell(f, 3, 'long-outage');
  await waitFor(
    'all receipts in the DLQ',
    () => ids.every((id) => f.station.store.get(id)!.status === 'dead'),
    20_000,
  );
  for (const entry of f.station.store.dlq()) {
    assert.equal(entry.attempts, 4);
    assert.match(entry.reason, /4 attempts failed/);
    assert.match(entry.lastError ?? '', /503/);
    // The last failure's code rides along, so the DLQ hint is worded in Russian.
    assert.deepEqual(entry.why?.code === 'attempts_exhausted' ? entry.why.failure : null, {
      code: 'http_status',
      params: { status: 503 },
    });
  }
  assert.deepEqual(f.station.worker.snapshot().lastErrorWhy, {
    code: 'http_status',
    params: { status: 503 },
  });
  assert.equal(
    f.ofd.health().call_count,
    12,
    'every counted attempt was a real call, and no call went uncounted',
  );
  assert.ok(
    f.station.journal.recent(500).filter((e) => e.kind === 'breaker_opened').length >= 2,
    'the breaker opened more than once',
  );
});

test('429 with Retry-After: nothing is sent before the delay and no attempt is charged', async (t) => {
  const f = await startFixture(t, { env: { ...FAST } });
  f.ofd.setMode({ mode: 'fail_next', count: 1, status: 429, retry_after_s: 1 });
  const [id] = await sell(f, 1, 'limited');
  await waitFor('the rate-limited call', () => f.ofd.health().call_count === 1);
  const limitedAt = Date.now();
  await waitFor('the receipt to be synced', () => f.station.store.get(id!)!.status === 'synced', 5_000);
  // The worker waits as asked: the one call after the 429 is the accepted one, and it came after Retry-After
  // (measured on the OFD's side, so no fixed sleep has to guess when to look).
  assert.equal(f.ofd.health().call_count, 2, 'the worker waits as asked');
  assert.ok(
    Date.parse(f.ofd.received()[0]!.received_at) - limitedAt >= 900,
    'the resend came after Retry-After',
  );
  assert.ok(Date.now() - limitedAt >= 900, 'not before Retry-After');
  assert.equal(f.station.store.get(id!)!.attempts, 0, 'being asked to wait is not a failed attempt');
  assert.equal(f.station.breaker.snapshot().totalFailures, 0);
});

test('a refused OFD token (401) charges no attempt and never dead-letters; the station shows it as degraded', async (t) => {
  const f = await startFixture(t, { env: { ...FAST, STATION_MAX_ATTEMPTS: '2' } });
  f.ofd.setMode({ mode: 'fail_next', count: 4, status: 401 });
  const [id] = await sell(f, 1, 'auth');
  // The mock counts the call before the station has read the answer: wait for the station's own state.
  await waitFor('the station to note the refusal', () => f.station.worker.snapshot().ofdAuthFailure !== null);
  assert.ok(f.ofd.health().call_count >= 1);
  assert.equal(f.station.networkStatus(), 'degraded');
  assert.match(f.station.worker.snapshot().ofdAuthFailure ?? '', /401/);
  assert.deepEqual(f.station.worker.snapshot().lastErrorWhy, { code: 'auth', params: { status: 401 } });
  await waitFor(
    'the receipt to be synced once the token is accepted',
    () => f.station.store.get(id!)!.status === 'synced',
    10_000,
  );
  assert.equal(
    f.station.store.get(id!)!.attempts,
    0,
    "a settings problem is not the receipt's failed attempt",
  );
  assert.equal(f.station.breaker.snapshot().totalFailures, 0);
  assert.equal(f.station.worker.snapshot().ofdAuthFailure, null);
  assert.equal(f.station.worker.snapshot().lastErrorWhy, null, 'a delivery clears the last failure');
  assert.equal(f.station.networkStatus(), 'online');
});

test('a 503 with Retry-After holds the next send for that long and counts the attempt', async (t) => {
  const f = await startFixture(t, { env: { ...FAST } });
  f.ofd.setMode({ mode: 'fail_next', count: 1, status: 503, retry_after_s: 1 });
  const [id] = await sell(f, 1, 'maint');
  await waitFor('the first call', () => f.ofd.health().call_count === 1);
  const failedAt = Date.now();
  await waitFor('the receipt to be synced', () => f.station.store.get(id!)!.status === 'synced', 5_000);
  assert.ok(Date.now() - failedAt >= 900, 'not before Retry-After');
  assert.equal(f.station.store.get(id!)!.attempts, 1);
});

test('concurrent manual syncs: one runs, the other gets 409; the manual sync drains everything', async (t) => {
  const f = await startFixture(t, { startWorker: false, env: { STATION_SYNC_BATCH_SIZE: '5' } });
  const ids = await sell(f, 12, 'manual');
  f.ofd.setMode({ mode: 'up', latency_ms: 100 });
  const progress: number[] = [];
  f.station.worker.onProgress((p) => progress.push(p.done));
  const [a, b] = await Promise.all([
    f.call('POST', '/v1/kkt/buffer/sync'),
    f.call('POST', '/v1/kkt/buffer/sync'),
  ]);
  const statuses = [a.status, b.status].sort();
  assert.deepEqual(statuses, [200, 409]);
  const ok = a.status === 200 ? a : b;
  const conflict = a.status === 409 ? a : b;
  assert.equal(conflict.body.error, 'sync_in_progress');
  assert.equal(ok.body.synced, ids.length, 'batches of 5, drained to the end');
  assert.equal(ok.body.failed, 0);
  assert.equal(ok.body.skipped, 0);
  assert.ok(ok.body.duration_seconds > 0);
  assert.equal(progress.at(-1), ids.length);
  assert.deepEqual(
    progress,
    [...progress].sort((x, y) => x - y),
    'progress only grows',
  );
  assert.equal(f.ofd.health().receipts_received, ids.length);
});

test('one manual sync after an outage drains everything: the batch waits for the half-open trial', async (t) => {
  const f = await startFixture(t, {
    startWorker: false,
    env: { STATION_SYNC_CONCURRENCY: '4', STATION_BREAKER_THRESHOLD: '1', STATION_BREAKER_RESET_MS: '200' },
  });
  const ids = await sell(f, 6, 'trial');
  f.ofd.setMode({ mode: 'down' });
  await f.call('POST', '/v1/kkt/buffer/sync');
  assert.equal(f.station.breaker.state, 'OPEN');
  f.ofd.setMode({ mode: 'up', latency_ms: 50 });
  await waitFor('half-open', () => f.station.breaker.state === 'HALF_OPEN');
  const res = await f.call('POST', '/v1/kkt/buffer/sync');
  assert.equal(res.body.synced, ids.length, JSON.stringify(res.body));
  assert.equal(res.body.skipped, 0);
  assert.equal(f.station.breaker.state, 'CLOSED');
});

test('a manual sync whose every send fails says why and when the next try is, breaker still closed', async (t) => {
  const f = await startFixture(t, {
    startWorker: false,
    env: { STATION_SYNC_CONCURRENCY: '1', STATION_BREAKER_THRESHOLD: '5' },
  });
  const ids = await sell(f, 2, 'manual-closed');
  f.ofd.setMode({ mode: 'down' });
  const res = await f.call('POST', '/v1/kkt/buffer/sync');
  assert.equal(f.station.breaker.state, 'CLOSED', 'fewer failures than open the breaker');
  assert.equal(res.body.synced, 0);
  assert.ok(res.body.failed >= 1, JSON.stringify(res.body));
  assert.equal(res.body.skipped, ids.length);
  assert.match(res.body.held_back?.reason ?? '', /503/, `the answer says why: ${JSON.stringify(res.body)}`);
  assert.equal(res.body.held_back.next_attempt_at, null, 'the worker is stopped: no automatic try');
  const fromTill = await f.station.worker.syncNow();
  assert.deepEqual(fromTill.heldBack?.why, { code: 'http_status', params: { status: 503 } });
  // The worker running: its next run is the next try.
  f.station.start();
  const later = await f.station.worker.syncNow();
  assert.ok(later.heldBack, JSON.stringify(later));
  assert.ok(Date.parse(later.heldBack.nextAttemptAt ?? '') >= Date.now() - 1000, JSON.stringify(later));

  // A sync that sends something is a plain result, with nothing held back.
  f.ofd.setMode({ mode: 'up' });
  const up = await f.call('POST', '/v1/kkt/buffer/sync');
  assert.equal(up.body.held_back, undefined, JSON.stringify(up.body));
});

test('a manual sync while the breaker is open makes one trial call at once, never more', async (t) => {
  const f = await startFixture(t, {
    startWorker: false,
    env: { STATION_SYNC_CONCURRENCY: '1', STATION_BREAKER_THRESHOLD: '2', STATION_BREAKER_RESET_MS: '60000' },
  });
  const ids = await sell(f, 4, 'manual-open');
  f.ofd.setMode({ mode: 'down' });
  const first = await f.call('POST', '/v1/kkt/buffer/sync');
  assert.equal(first.body.failed, 2);
  assert.equal(f.station.breaker.state, 'OPEN');
  assert.equal(first.body.skipped, ids.length, 'all four still wait');
  assert.match(first.body.held_back.reason, /OFD/, 'the answer says why nothing more was sent');
  assert.ok(Date.parse(first.body.held_back.next_attempt_at) > Date.now(), 'and when the next try is');

  // Still down: the manager's press costs exactly one call (the trial), not a bypass of the breaker.
  const second = await f.call('POST', '/v1/kkt/buffer/sync');
  assert.equal(second.body.synced, 0);
  assert.equal(second.body.failed, 1);
  assert.equal(f.ofd.health().call_count, 3, 'one trial call, not one per receipt');
  assert.equal(f.station.breaker.state, 'OPEN');
  assert.equal(second.body.skipped, ids.length);
  assert.ok(second.body.held_back, JSON.stringify(second.body));
  // The till's own call (not REST) carries the code too, for the Russian words in the sync panel.
  const fromTill = await f.station.worker.syncNow();
  assert.deepEqual(fromTill.heldBack?.why, { code: 'http_status', params: { status: 503 } });
  assert.equal(f.ofd.health().call_count, 4, 'one more trial call');

  // Back up: one press tries at once (the breaker's own timer is a minute away) and drains everything.
  f.ofd.setMode({ mode: 'up' });
  const third = await f.call('POST', '/v1/kkt/buffer/sync');
  assert.equal(third.body.synced, ids.length, JSON.stringify(third.body));
  assert.equal(third.body.skipped, 0);
  assert.equal(third.body.held_back, undefined);
  assert.equal(f.station.breaker.state, 'CLOSED');
  assert.equal(f.ofd.health().receipts_received, ids.length);
  assert.equal(f.ofd.health().duplicates, 0);
});

test('a print after a quiet spell is sent at once; kicked runs keep KICK_GAP_MS between their starts', async (t) => {
  // Only kicks drive the runs here: the interval is a minute.
  const f = await startFixture(t, { env: { STATION_SYNC_INTERVAL_MS: '60000' } });
  const worker = f.station.worker;
  await waitFor('the start-up run', () => worker.snapshot().totals.runs >= 1);
  // A run ends after it starts, so this is a quiet spell of more than the gap since the last start.
  await waitFor(
    'a quiet spell',
    () => Date.now() - Date.parse(worker.snapshot().lastRunAt!) > KICK_GAP_MS + 10,
  );
  const runs = worker.snapshot().totals.runs;
  const quietKick = Date.now();
  worker.kick();
  const first = Date.parse(worker.snapshot().nextRunAt!);
  assert.ok(
    first - quietKick <= 5,
    `after a quiet spell the run is due now, not ${first - quietKick} ms later`,
  );
  await waitFor('the kicked run', () => worker.snapshot().totals.runs === runs + 1);
  const secondKick = Date.now();
  worker.kick();
  const second = Date.parse(worker.snapshot().nextRunAt!);
  // That run started no sooner than it was due, so the next one is due a gap after `first` at least,
  // and a kick never waits longer than the gap.
  assert.ok(second - first >= KICK_GAP_MS, `the next kicked run is due ${second - first} ms after the last`);
  assert.ok(second - secondKick <= KICK_GAP_MS, `a kick waited ${second - secondKick} ms`);
});

test('a rush of sales is delivered in batches: far fewer runs than receipts, each receipt once', async (t) => {
  const f = await startFixture(t, { env: { STATION_SYNC_INTERVAL_MS: '60000' } });
  const worker = f.station.worker;
  await waitFor('the start-up run', () => worker.snapshot().totals.runs >= 1);
  const runsBefore = worker.snapshot().totals.runs;
  const started = Date.now();
  const ids = await sell(f, 30, 'rush');
  await waitFor('every receipt to be synced', () => f.station.store.counts().synced === ids.length);
  const elapsed = Date.now() - started;
  const runs = worker.snapshot().totals.runs - runsBefore;
  // One run at once, then at most one per gap while the sales go on (plus the one that takes the last).
  assert.ok(
    runs <= Math.ceil(elapsed / KICK_GAP_MS) + 2,
    `${runs} runs for ${ids.length} sales in ${elapsed} ms: kicked runs must keep ${KICK_GAP_MS} ms apart`,
  );
  assert.deepEqual(
    f.ofd
      .received()
      .map((r) => r.idempotency_key)
      .sort(),
    [...ids].sort(),
  );
});

test('a batch of acceptances is recorded in one commit: every receipt synced with its journal entry, once', async (t) => {
  // Sales with the worker stopped (nothing sent yet), then one manual sync. With the worker running and
  // the OFD down, a run on its backoff timer could send some of them between the OFD coming back and
  // the manual sync, in a commit of its own.
  const f = await startFixture(t, {
    startWorker: false,
    env: { ...FAST, STATION_SYNC_CONCURRENCY: '4' },
  });
  const store = f.station.store;
  const commits: number[] = [];
  const many = store.markSyncedMany.bind(store);
  store.markSyncedMany = (marks) => {
    commits.push(marks.length);
    return many(marks);
  };
  const markOne = store.markSynced.bind(store);
  let singles = 0;
  store.markSynced = (...a) => {
    singles++;
    return markOne(...a);
  };
  const ids = await sell(f, 12, 'batch');
  const before = commits.length;
  const r = await f.station.worker.syncNow();
  assert.equal(r.synced, ids.length);
  assert.equal(store.counts().synced, ids.length);
  assert.deepEqual(commits.slice(before), [ids.length], 'the 12 acceptances of the batch went in one commit');
  assert.equal(singles, 0, 'no receipt was recorded on its own');
  for (const id of ids) {
    const entries = f.station.journal.recent(10, id).filter((e) => e.code === 'receipt_synced');
    assert.equal(entries.length, 1, `receipt ${id} has its «synced» journal entry`);
  }
});

test('acceptances whose commit fails stay printed, are not counted, and the next run sends them again (duplicate)', async (t) => {
  const f = await startFixture(t, {
    env: { ...FAST, STATION_SYNC_INTERVAL_MS: '60000', STATION_BREAKER_THRESHOLD: '1000' },
  });
  const store = f.station.store;
  const many = store.markSyncedMany.bind(store);
  let fail = true;
  store.markSyncedMany = (marks) => {
    if (fail) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    return many(marks);
  };
  f.ofd.setMode({ mode: 'down' });
  const ids = await sell(f, 3, 'lost');
  f.ofd.setMode({ mode: 'up' });
  const first = await f.station.worker.syncNow();
  assert.equal(first.synced, 0, 'nothing is reported synced that the buffer did not record');
  assert.equal(store.counts().printed, ids.length);
  assert.equal(f.station.worker.snapshot().inFlight, 0, 'none is left looking "sending"');
  fail = false;
  const second = await f.station.worker.syncNow();
  assert.equal(second.synced, ids.length);
  assert.equal(store.counts().synced, ids.length);
  assert.equal(f.ofd.health().duplicates, ids.length, 'the OFD had them already: sent again, not lost');
});

test('a run without progress waits base, then twice as long each time, never over the maximum (the FN relay too)', () => {
  const limits = { baseMs: 1_000, maxMs: 5_000 };
  const delays: number[] = [];
  let d = 0;
  for (let i = 0; i < 5; i++) delays.push((d = nextBackoffMs(d, limits)));
  assert.deepEqual(delays, [1_000, 2_000, 4_000, 5_000, 5_000]);
  assert.equal(
    nextBackoffMs(0, { baseMs: 10_000, maxMs: 3_000 }),
    3_000,
    'a base over the maximum is capped',
  );
});
