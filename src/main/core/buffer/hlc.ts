// Hybrid logical clock: orders receipts and journal entries even when the wall clock jumps back
// (NTP, a dead CMOS battery, a cashier fixing the date). Its last value lives in the database and is
// written in the same transaction as the row it stamps, so a restart never reuses or goes below it.
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

export class HybridClock {
  private last: HlcTimestamp;
  private readonly save;

  constructor(
    db: Db,
    private readonly wallClock: () => number = Date.now,
  ) {
    const row = db.prepare(`SELECT value FROM meta WHERE key = 'hlc'`).get() as { value: string } | undefined;
    this.last = row ? parseHlc(row.value) : { wallMs: 0, counter: 0 };
    this.save = db.prepare(
      `INSERT INTO meta (key, value) VALUES ('hlc', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    );
  }

  /** The next timestamp, strictly greater than every one before. Call inside the transaction that uses it. */
  tick(): string {
    const wall = this.wallClock();
    if (wall > this.last.wallMs) this.last = { wallMs: wall, counter: 0 };
    // A wall clock stuck in the past would overflow the counter's 6 digits: borrow a millisecond.
    else if (this.last.counter >= MAX_COUNTER) this.last = { wallMs: this.last.wallMs + 1, counter: 0 };
    else this.last = { wallMs: this.last.wallMs, counter: this.last.counter + 1 };
    const text = formatHlc(this.last);
    this.save.run(text);
    return text;
  }

  peek(): string {
    return formatHlc(this.last);
  }
}
