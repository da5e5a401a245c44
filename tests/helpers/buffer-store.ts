// The receipt store on a real SQLite file without the station around it, for the buffer's own tests:
// open it (the HLC's wall clock and the journal's clock injectable), new receipts of one sale draft,
// and the fiscal attributes a print answers with.
import { openDatabase } from '../../src/main/core/buffer/database.ts';
import { HybridClock } from '../../src/main/core/buffer/hlc.ts';
import { Journal } from '../../src/main/core/buffer/journal.ts';
import { ReceiptStore } from '../../src/main/core/buffer/receipt-store.ts';
import { parseReceiptRequest } from '../../src/main/core/fiscal/receipt-request.ts';
import type { FiscalAttributes } from '../../src/main/core/kkt/kkt.ts';
import { saleBody } from './fixture.ts';

export function openStore(file: string, clocks: { wall?: () => number; now?: () => Date } = {}) {
  const db = openDatabase(file);
  const clock = new HybridClock(db, clocks.wall);
  const journal = new Journal(db, clock, clocks.now);
  return { db, clock, journal, store: new ReceiptStore(db, clock, journal, clocks.now) };
}

export const saleDraft = parseReceiptRequest(saleBody());

let n = 0;
/** A new receipt of the sale draft, with an id and key no other receipt of this process has. */
export const newReceipt = () => ({
  id: `r${++n}`,
  idempotencyKey: `k${n}`,
  requestHash: 'h',
  draft: saleDraft,
});

/** What the KKT answers for the sale draft printed as FD `fd`. */
export const fiscalAttrs = (fd: number): FiscalAttributes => ({
  fdNumber: fd,
  fiscalSign: 1000 + fd,
  fnNumber: '9999078900000001',
  kktRegNumber: '0000000001012345',
  shiftNumber: 1,
  receiptNumber: fd,
  fiscalDatetime: '2026-11-28T10:00:00',
  totalKop: saleDraft.totalKop,
  changeKop: 0,
  qr: 'qr',
});
