// The emulator's snapshot + journal (src/kkt-emulator/state-journal.ts): every commit is found again by
// a fresh load, a torn last record is dropped (its command was never answered), records the snapshot
// already holds are never applied twice, and a full journal turns into a snapshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateStore, readDurableState, type DurableState } from '../../src/kkt-emulator/state.ts';
import { JOURNAL_BYTES, journalPath } from '../../src/kkt-emulator/state-journal.ts';
import { tempDir } from './helpers.ts';

const NOW = '2026-01-15T10:00:00';

/** What a receipt does to the durable state: the next FD in the archive and the OFD queue. */
function addReceipt(state: DurableState, amountKop: number, note = ''): void {
  const fd = state.lastFd + 1;
  state.lastFd = fd;
  state.documentNumber += 1;
  state.shift.receiptNumber += 1;
  state.archive.push({
    fd,
    type: 3,
    datetime: NOW,
    fp: 1000 + fd,
    shiftNumber: 1,
    amountKop,
    ...(note ? { tags: { '1192': note } } : {}),
  });
  state.unsent.push(fd);
}

function withStore(fn: (path: string) => void): void {
  const t = tempDir();
  try {
    fn(join(t.dir, 'kkt-emulator.json'));
  } finally {
    t.cleanup();
  }
}

test('every commit is in a fresh load without a close; the next open folds the journal into the snapshot', () =>
  withStore((path) => {
    const store = StateStore.open(path, {}, NOW);
    for (let i = 1; i <= 5; i++) {
      addReceipt(store.state, i * 100);
      store.commit();
    }
    store.state.cashInDrawerKop = 777;
    store.commit(); // a commit without a document: the head alone
    // No close(), as after kill -9: the snapshot alone is stale, snapshot + journal is all of it.
    assert.equal((JSON.parse(readFileSync(path, 'utf8')) as DurableState).lastFd, 0);
    const loaded = readDurableState(path);
    assert.deepEqual(loaded, store.state);
    assert.equal(statSync(journalPath(path)).size, JOURNAL_BYTES, 'the journal keeps its preallocated size');

    const reopened = StateStore.open(path, {}, NOW);
    assert.deepEqual(reopened.state, store.state);
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as DurableState;
    assert.equal(snapshot.lastFd, 5, 'open writes what it applied into the snapshot');
    assert.equal(snapshot.cashInDrawerKop, 777);
    assert.ok(
      readFileSync(journalPath(path)).every((b) => b === 0),
      'and empties the journal',
    );
    addReceipt(reopened.state, 600);
    reopened.commit();
    assert.deepEqual(
      readDurableState(path).archive.map((d) => d.fd),
      [1, 2, 3, 4, 5, 6],
    );
  }));

test('a torn last record is dropped: the state is the one before that command', () =>
  withStore((path) => {
    const store = StateStore.open(path, {}, NOW);
    addReceipt(store.state, 100);
    store.commit();
    const beforeLast = structuredClone(store.state);
    addReceipt(store.state, 200);
    store.commit();
    // The power went while the second record was being written: its last bytes never reached the disk.
    const journal = readFileSync(journalPath(path));
    const second = journal.indexOf('"amountKop":200');
    assert.ok(second > 0);
    journal.fill(0, second);
    writeFileSync(journalPath(path), journal);
    assert.deepEqual(readDurableState(path), beforeLast);
    // A fresh emulator continues after the first: FD 2 is issued again, once.
    const reopened = StateStore.open(path, {}, NOW);
    assert.equal(reopened.state.lastFd, 1);
  }));

test('records the snapshot already holds are not applied twice (a crash before the journal was emptied)', () =>
  withStore((path) => {
    const store = StateStore.open(path, {}, NOW);
    for (let i = 1; i <= 3; i++) {
      addReceipt(store.state, i);
      store.commit();
    }
    const oldJournal = `${journalPath(path)}.old`;
    copyFileSync(journalPath(path), oldJournal);
    store.close(); // the snapshot now holds FD 1–3 and the journal is empty…
    copyFileSync(oldJournal, journalPath(path)); // …but the crash came before the emptying reached the disk
    const loaded = readDurableState(path);
    assert.deepEqual(
      loaded.archive.map((d) => d.fd),
      [1, 2, 3],
    );
    assert.equal(loaded.lastFd, 3);
  }));

test('a full journal becomes a snapshot, and the state stays whole across it', () =>
  withStore((path) => {
    const store = StateStore.open(path, {}, NOW);
    const note = 'x'.repeat(20_000); // about 50 records fill the journal
    for (let i = 1; i <= 120; i++) {
      addReceipt(store.state, i, note);
      store.commit();
    }
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as DurableState & { journalSeq: number };
    assert.ok(
      snapshot.lastFd > 0 && snapshot.lastFd < 120,
      `snapshots were written (last at FD ${snapshot.lastFd})`,
    );
    const loaded = readDurableState(path);
    assert.equal(loaded.lastFd, 120);
    assert.deepEqual(
      loaded.archive.map((d) => d.fd),
      Array.from({ length: 120 }, (_, i) => i + 1),
    );
  }));

test('a record stays the same size however long the OFD queue grows; a gap in the queue survives a crash', () =>
  withStore((path) => {
    const store = StateStore.open(path, {}, NOW);
    /** The size of the newest record: the records are walked from the start up to the zeroed rest. */
    const newestRecordSize = () => {
      const journal = readFileSync(journalPath(path));
      let size = 0;
      for (let pos = 0; pos + 12 <= journal.length && journal.readUInt32LE(pos) > 0;)
        pos += 12 + (size = journal.readUInt32LE(pos));
      return size;
    };
    const sizes: number[] = [];
    for (let i = 1; i <= 3_000; i++) {
      addReceipt(store.state, 100);
      store.commit();
      if (i === 10 || i === 3_000) sizes.push(newestRecordSize());
    }
    assert.equal(store.state.unsent.length, 3_000);
    // Listed number by number, 3,000 unsent FDs made each record about 15 KB more than the first ones.
    assert.ok(sizes[1]! - sizes[0]! < 16, `record sizes ${sizes.join(' → ')} bytes`);

    // The FN delivered the first 100 and one from the middle: two runs with a gap.
    store.state.unsent.splice(0, 100);
    store.state.unsent.splice(store.state.unsent.indexOf(1_500), 1);
    store.commit();
    const expected = structuredClone(store.state.unsent);
    assert.deepEqual(readDurableState(path).unsent, expected, 'replayed as a crash leaves it');
  }));
