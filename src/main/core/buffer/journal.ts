// The event journal: what happened to receipts, the breaker, the sync worker and the configuration,
// in clock order. Support reads it; it is written in the same transaction as the change it records.
// Each entry has a kind (the group support filters by) and a code with parameters (what exactly
// happened, in words the UI renders: src/shared/journal-codes.ts); `message` is the English line for logs.
import {
  isJournalCode,
  type JOURNAL_EVENTS,
  type JournalCode,
  type JournalKind,
  type JournalParams,
} from '../../../shared/journal-codes.ts';
import type { Db } from './database.ts';
import type { HybridClock } from './hlc.ts';

// The groups (kinds) are derived from the events (codes): src/shared/journal-codes.ts JOURNAL_EVENTS.
export { JOURNAL_KINDS, type JournalKind } from '../../../shared/journal-codes.ts';

/** The events filed under group K: append() takes only a code of its kind's group. */
type CodeOf<K extends JournalKind> = {
  [C in JournalCode]: (typeof JOURNAL_EVENTS)[C] extends K ? C : never;
}[JournalCode];

export interface JournalEntry {
  id: number;
  at: string;
  hlc: string;
  kind: JournalKind;
  receiptId: string | null;
  message: string;
  /** Null on entries written before codes existed (migration 8): the UI shows `message` then. */
  code: JournalCode | null;
  /** The code's parameters (the `data` column). */
  data: JournalParams | null;
}

interface JournalRow {
  id: number;
  at: string;
  hlc: string;
  kind: JournalKind;
  receipt_id: string | null;
  message: string;
  data: string | null;
  code: JournalCode | null;
}

function toJournalEntry(r: JournalRow): JournalEntry {
  return {
    id: r.id,
    at: r.at,
    hlc: r.hlc,
    kind: r.kind,
    receiptId: r.receipt_id,
    message: r.message,
    code: r.code ?? null,
    data: r.data ? (JSON.parse(r.data) as JournalParams) : null,
  };
}

export type JournalListener = (entry: JournalEntry) => void;

export class Journal {
  private readonly insert;
  private readonly committed;
  private readonly listeners = new Set<JournalListener>();

  constructor(
    private readonly db: Db,
    private readonly clock: HybridClock,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.insert = db.prepare(
      `INSERT INTO journal (at, hlc, kind, receipt_id, message, data, code) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.committed = db.prepare(`SELECT 1 FROM journal WHERE id = ? AND hlc = ?`);
  }

  /**
   * Appends an entry; call inside the transaction of the change it records. Listeners hear it after
   * commit. `code` defaults to the kind where one kind is one event (config_changed is several); a
   * code filed under another group does not compile.
   */
  append<K extends JournalKind>(
    kind: K,
    message: string,
    receiptId: string | null = null,
    data?: JournalParams,
    eventCode?: CodeOf<K> | null,
  ): JournalEntry {
    const code: JournalCode | null =
      eventCode === undefined ? (isJournalCode(kind) ? kind : null) : eventCode;
    const entry: JournalEntry = {
      id: 0,
      at: this.now().toISOString(),
      hlc: this.clock.tick(),
      kind,
      receiptId,
      message,
      code,
      data: data ?? null,
    };
    const info = this.insert.run(
      entry.at,
      entry.hlc,
      kind,
      receiptId,
      message,
      data === undefined ? null : JSON.stringify(data),
      code,
    );
    entry.id = Number(info.lastInsertRowid);
    if (this.listeners.size) queueMicrotask(() => this.notify(entry));
    return entry;
  }

  /** Called after commit: a rolled-back append is never announced because the microtask checks the row. */
  private notify(entry: JournalEntry): void {
    if (!this.committed.get(entry.id, entry.hlc)) return;
    for (const l of this.listeners) l(entry);
  }

  onEntry(listener: JournalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  recent(limit = 100, receiptId?: string): JournalEntry[] {
    const rows = (
      receiptId
        ? this.db
            .prepare(`SELECT * FROM journal WHERE receipt_id = ? ORDER BY id DESC LIMIT ?`)
            .all(receiptId, limit)
        : this.db.prepare(`SELECT * FROM journal ORDER BY id DESC LIMIT ?`).all(limit)
    ) as JournalRow[];
    return rows.map(toJournalEntry);
  }
}
