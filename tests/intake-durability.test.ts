// The one commit the station's crash safety rests on is the receipt stored `printing` before the KKT
// fiscalises it: lost in a power cut, a receipt the KKT printed would look never printed and could be
// printed twice. The kill -9 tests cannot see this (a killed process loses nothing the OS has), so this
// one watches the system calls: a real station selling under strace (bench/strace.ts), where every
// write to the buffer's WAL must be fsynced before the emulated KKT commits the receipt's document.
// The later `printed` commit may stay unsynced (receipt-store.ts markPrinted says why), but the next
// sale's intake syncs it before that sale reaches the KKT, so the rule holds for every sale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { straceAvailable, traceSales } from '../bench/strace.ts';
import { openDatabase } from '../src/main/core/buffer/database.ts';
import { HybridClock } from '../src/main/core/buffer/hlc.ts';
import { Journal } from '../src/main/core/buffer/journal.ts';
import { ReceiptStore } from '../src/main/core/buffer/receipt-store.ts';
import { parseReceiptRequest } from '../src/main/core/fiscal/receipt-request.ts';
import { join } from 'node:path';
import { saleBody, tempDir } from './helpers/fixture.ts';

const SALES = 4;

test(
  'every write to the buffer is on the disk (fsynced) before the KKT commits the receipt it prints',
  { skip: !straceAvailable() && 'strace is not installed (apt-get install strace)' },
  () => {
    const events = traceSales(SALES, ['write', 'pwrite64', 'fsync', 'fdatasync', 'rename', 'renameat2']);
    let unsynced = 0;
    let documents = 0;
    for (const e of events) {
      if (e.kind === 'station' && e.path.endsWith('-wal')) {
        if (/^p?write/.test(e.call)) unsynced++;
        else if (/^f(data)?sync$/.test(e.call)) unsynced = 0;
      }
      if (e.kind !== 'device') continue;
      // The KKT's document may reach the disk from its first write on: the journal record's write
      // (src/kkt-emulator/state-journal.ts), or the rename of a snapshot when the journal was full.
      const journalWrite = /^p?write/.test(e.call) && e.path.endsWith('.journal');
      if (journalWrite || e.call.startsWith('rename')) {
        assert.equal(
          unsynced,
          0,
          `sale ${documents + 1}: ${unsynced} WAL writes were not synced when the KKT wrote its document`,
        );
      }
      if (e.call === 'fdatasync' || e.call.startsWith('rename')) documents++; // one durable write per document
    }
    assert.equal(documents, SALES, 'the emulated KKT makes its state durable once per sale');
  },
);

test('a commit that does not wait for the disk leaves the connection at synchronous=FULL', (t) => {
  const dir = tempDir(t);
  const db = openDatabase(join(dir, 'buffer.sqlite'));
  t.after(() => db.close());
  const clock = new HybridClock(db);
  const store = new ReceiptStore(db, clock, new Journal(db, clock));
  const draft = parseReceiptRequest(saleBody());
  store.insertPrinting({ id: 'r1', idempotencyKey: 'k1', requestHash: 'h', draft }, 10);
  assert.equal(store.get('r1')!.status, 'printing');
  assert.ok(store.get('r1')!.printStartedAt, 'stored printing, with the time the print started');
  const fiscal = {
    fdNumber: 7,
    fiscalSign: 123,
    fnNumber: '9999078900000001',
    kktRegNumber: '0000000001012345',
    shiftNumber: 1,
    receiptNumber: 1,
    fiscalDatetime: '2025-01-15T12:00:00',
    totalKop: draft.totalKop,
    changeKop: 0,
    qr: 'qr',
  };
  store.markPrinted('r1', fiscal);
  assert.equal(db.pragma('synchronous', { simple: true }), 2);
  store.markSynced('r1', 'ofd-1', false);
  assert.equal(db.pragma('synchronous', { simple: true }), 2);
  assert.equal(store.highestRecordedFd(fiscal.fnNumber), 7);
});
