// A second process for tests/buffer-counts.test.ts: opens the buffer, starts one transaction that
// inserts a receipt and moves another through printing and printed, says "mid-transaction" on stdout
// and blocks inside the transaction until the test kills it with SIGKILL (a power cut before COMMIT).
import { openDatabase } from '../../src/main/core/buffer/database.ts';
import { HybridClock } from '../../src/main/core/buffer/hlc.ts';
import { Journal } from '../../src/main/core/buffer/journal.ts';
import { ReceiptStore } from '../../src/main/core/buffer/receipt-store.ts';
import { parseReceiptRequest } from '../../src/main/core/fiscal/receipt-request.ts';
import { saleBody } from './fixture.ts';

const [file, movingId] = process.argv.slice(2) as [string, string];
const db = openDatabase(file);
const clock = new HybridClock(db);
const store = new ReceiptStore(db, clock, new Journal(db, clock));
db.transaction(() => {
  store.insertAccepted(
    {
      id: 'crash-new',
      idempotencyKey: 'crash-new',
      requestHash: 'h',
      draft: parseReceiptRequest(saleBody()),
    },
    1000,
  );
  store.markPrinting(movingId);
  store.markPrintFailed(movingId, 'the child is about to be killed');
  process.stdout.write('mid-transaction\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // blocks until SIGKILL
})();
