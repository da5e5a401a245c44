// Hybrid logical clock: orders receipts and journal entries even when the wall clock jumps back
// (NTP, a dead CMOS battery, a cashier fixing the date). A restart never reuses or goes below a stamp
// that reached the disk: the stamped rows are the clock's record. It resumes from the newest of them
// (the journal's last entries: every receipt is inserted and changed together with a journal entry
// stamped after it) and from meta 'hlc', which persist() writes where stamped rows are deleted
// (retention) and which earlier versions wrote on every tick. A stamp that never reached a row
// (a rolled-back transaction) may be given again: nothing durable carries it.
//
// Why not write meta on every tick, as before: a sale ticks four times, and those writes cost a
// statement each and a page in the sale's intake commit, the one commit that waits for the disk.
import type { Db } from './database.ts';

export interface HlcTimestamp {
  wallMs: number;
  counter: number;
}

/** Fixed-width text so that SQL's ORDER BY on the text is the clock's order. */
export function formatHlc(t: HlcTimestamp): string {
  return `${String(t.wallMs).padStart(15, '0')}-${String(t.counter).padStart(6, '0')}`;
}

export function parseHlc(text: string): HlcTimestamp {
  const m = /^(\d{15})-(\d{6})$/.exec(text);
  if (!m) throw new Error(`Not a clock value: ${text}`);
  return { wallMs: Number(m[1]), counter: Number(m[2]) };
}

const MAX_COUNTER = 999_999;

/**
 * Journal entries read back at start-up: more than one, because another process on the same buffer
 * (the catalogue CLI) stamps with a clock of its own, so the last entry need not be the newest stamp.
 */
const RESUME_JOURNAL_ENTRIES = 1000;

export class HybridClock {
  private last: HlcTimestamp;
  private readonly save;

  constructor(
    db: Db,
    private readonly wallClock: () => number = Date.now,
  ) {
    const { newest } = db
      .prepare(
        `SELECT max(hlc) AS newest FROM (
           SELECT value AS hlc FROM meta WHERE key = 'hlc'
           UNION ALL SELECT hlc FROM (SELECT hlc FROM journal ORDER BY id DESC LIMIT ${RESUME_JOURNAL_ENTRIES}))`,
      )
      .get() as { newest: string | null };
    this.last = newest ? parseHlc(newest) : { wallMs: 0, counter: 0 };
    this.save = db.prepare(
      `INSERT INTO meta (key, value) VALUES ('hlc', ?) ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)`,
    );
  }

  /** Records the clock in meta: call in the transaction that deletes stamped rows, before they go. */
  persist(): void {
    this.save.run(formatHlc(this.last));
  }

  /** The next timestamp, strictly greater than every one before. Call inside the transaction that stores it. */
  tick(): string {
    const wall = this.wallClock();
    if (wall > this.last.wallMs) this.last = { wallMs: wall, counter: 0 };
    // A wall clock stuck in the past would overflow the counter's 6 digits: borrow a millisecond.
    else if (this.last.counter >= MAX_COUNTER) this.last = { wallMs: this.last.wallMs + 1, counter: 0 };
    else this.last = { wallMs: this.last.wallMs, counter: this.last.counter + 1 };
    return formatHlc(this.last);
  }

  peek(): string {
    return formatHlc(this.last);
  }
}
