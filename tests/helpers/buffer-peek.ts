// Diagnostics only: which recovery paths a run went through, read straight from a stopped station's
// buffer file (journal entries). It depends on the buffer's schema and messages, so it never fails a
// test: it answers null when it cannot read the file.
import Database from 'better-sqlite3';
import { join } from 'node:path';

export interface RecoveryStats {
  /** `printing` at start-up, found in the KKT archive: recorded as printed. */
  foundInKktArchive: number;
  /** `printing` at start-up, not in the archive: returned to `accepted`. */
  returnedToAccepted: number;
  printed: number;
}

export function recoveryStats(dataDir: string): RecoveryStats | null {
  try {
    const db = new Database(join(dataDir, 'buffer.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      return {
        foundInKktArchive: n(
          `SELECT count(*) AS n FROM journal WHERE kind = 'receipt_recovered' AND message LIKE 'Found%'`,
        ),
        returnedToAccepted: n(
          `SELECT count(*) AS n FROM journal WHERE kind = 'receipt_recovered' AND message LIKE 'Not in%'`,
        ),
        printed: n(`SELECT count(*) AS n FROM journal WHERE kind = 'receipt_printed'`),
      };
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}
