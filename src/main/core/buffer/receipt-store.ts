// The receipt buffer and its state machine. Every state change is one SQLite transaction that checks
// the current state (an illegal or stale transition changes nothing and throws), stamps the clock and
// writes its journal entry, so a power cut leaves each receipt in exactly one well-defined state.
// Rows cross into TypeScript through one typed mapper per table (receipt-rows.ts); a change names what it
// sets as a typed ReceiptPatch, which receiptColumns() turns into column values in one place.
// Never-printed receipts (`accepted`, `print_failed`: stored, surely not fiscalised) are not waiting for
// the OFD: they do not count against the capacity or in the oldest-pending age, and unprinted() lists
// them apart. A receipt being printed right now is still `accepted` for a moment: the fiscal service
// knows which (its in-flight set) and passes how many to insertAccepted, so they do count against the
// capacity while their request is alive; an orphan (its request died with the station) does not.
// The per-state numbers (counts(), queued(), unprintedCount()) read receipt_counts, which triggers keep
// in the same transaction as every insert, state change and purge (migration 4 says why triggers): O(1)
// however long the retention, where a count(*) over the table grew with the history.
// Longer than 400 lines on purpose: every transition shares one state-checked UPDATE and one journal
// write, and the queries beside them read the same rows; splitting the class would split that one place.
import type { Statement } from 'better-sqlite3';
import { commitWithoutDiskWait, type Db } from './database.ts';
import type { HybridClock } from './hlc.ts';
import type { Journal, JournalKind } from './journal.ts';
import type { JournalCode, JournalParams } from '../../../shared/journal-codes.ts';
import type { DlqReason } from '../../../shared/dlq-reasons.ts';
import type { OfdFailureWhy } from '../../../shared/ofd-failure.ts';
import type { FiscalAttributes } from '../kkt/kkt.ts';
import {
  receiptColumns,
  toDlqEntry,
  toReceipt,
  type DlqEntry,
  type DlqRow,
  type InsertedColumns,
  type NewReceipt,
  type ReceiptColumns,
  type ReceiptPatch,
  type ReceiptRow,
  type StoredReceipt,
} from './receipt-rows.ts';
import { BufferFullError, IllegalTransitionError } from '../../../shared/errors.ts';
import { formatKopecks } from '../../../shared/money.ts';
import { RECEIPT_STATES, type ReceiptState } from '../../../shared/receipt-states.ts';

/** Every legal transition, in one place. */
const TRANSITIONS: Record<ReceiptState, readonly ReceiptState[]> = {
  accepted: ['printing', 'voided'],
  printing: ['printed', 'print_failed', 'accepted'], // accepted: recovery found it was not printed
  printed: ['synced', 'dead'],
  print_failed: ['printing', 'voided'],
  dead: ['printed'], // a manager's retry puts it back in the sync queue
  synced: [],
  voided: [],
};

export type StatusCounts = Record<ReceiptState, number>;

/** The OFD accepted a receipt (`duplicate`: it had it already), with the OFD's id for it when it gave one. */
export interface SyncedMark {
  id: string;
  ofdId: string | null;
  duplicate: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const PRINTING_MESSAGE = 'Sent to the KKT';

/** SQL condition on `receipts r`: not a refund whose sale is in the buffer and not yet synced. */
const WAITS_FOR_SALE = `NOT EXISTS (SELECT 1 FROM receipts o WHERE o.id = r.original_receipt_id AND o.status <> 'synced')`;

export class ReceiptStore {
  private readonly byId;
  private readonly statusById;
  private readonly byKey;
  private readonly pendingCount;
  private readonly countsByState;
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    private readonly clock: HybridClock,
    private readonly journal: Journal,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.byId = db.prepare(`SELECT * FROM receipts WHERE id = ?`);
    this.statusById = db.prepare(`SELECT status FROM receipts WHERE id = ?`).pluck();
    this.byKey = db.prepare(`SELECT * FROM receipts WHERE idempotency_key = ?`);
    this.pendingCount = db.prepare(
      `SELECT coalesce(sum(n), 0) AS n FROM receipt_counts WHERE state IN ('printing', 'printed')`,
    );
    this.countsByState = db.prepare(`SELECT state, n FROM receipt_counts`);
  }

  /** The statement for `text`, prepared once: preparing costs more than most of these queries run. */
  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Runs a `SELECT * FROM receipts …` and maps every row. */
  private select(sql: string, ...params: unknown[]): StoredReceipt[] {
    return (this.sql(sql).all(...params) as ReceiptRow[]).map(toReceipt);
  }

  get(id: string): StoredReceipt | null {
    const row = this.byId.get(id) as ReceiptRow | undefined;
    return row ? toReceipt(row) : null;
  }

  /** The receipt's state alone (no row to map, no draft to parse), or null when there is no such receipt. */
  statusOf(id: string): ReceiptState | null {
    return (this.statusById.get(id) as ReceiptState | undefined) ?? null;
  }

  findByIdempotencyKey(key: string): StoredReceipt | null {
    const row = this.byKey.get(key) as ReceiptRow | undefined;
    return row ? toReceipt(row) : null;
  }

  /**
   * Stores a new receipt as `accepted`, refusing it when the buffer is at capacity (checked in the same
   * transaction). `alsoQueued`: receipts not yet printing whose requests are alive (being printed now).
   */
  insertAccepted(r: NewReceipt, capacity: number, check?: () => void, alsoQueued = 0): StoredReceipt {
    return this.insert(r, 'accepted', capacity, check, alsoQueued);
  }

  /**
   * Stores a new receipt directly as `printing`, with both journal entries, in ONE durable commit: the
   * fiscal service calls it inside the print queue, right before the KKT hears of the receipt, when the
   * KKT is free. It saves the separate `accepted` commit (an fsync) and changes no guarantee: a crash
   * after it leaves a `printing` receipt, which reconciliation settles with the KKT archive (printed, or
   * back to `accepted`), exactly as after a crash between the two commits it replaces.
   */
  insertPrinting(r: NewReceipt, capacity: number, check?: () => void, alsoQueued = 0): StoredReceipt {
    return this.insert(r, 'printing', capacity, check, alsoQueued);
  }

  private insert(
    r: NewReceipt,
    status: 'accepted' | 'printing',
    capacity: number,
    check: (() => void) | undefined,
    alsoQueued: number,
  ): StoredReceipt {
    return this.db
      .transaction(() => {
        const queued = (this.pendingCount.get() as { n: number }).n + alsoQueued;
        if (queued >= capacity) throw new BufferFullError(queued, capacity);
        check?.();
        const at = this.now().toISOString();
        const row: InsertedColumns = {
          id: r.id,
          idempotency_key: r.idempotencyKey,
          request_hash: r.requestHash,
          pos_id: r.draft.posId,
          type: r.draft.type,
          status,
          hlc: this.clock.tick(),
          total_kop: r.draft.totalKop,
          draft: JSON.stringify(r.draft),
          original_receipt_id: r.draft.originalReceiptId ?? null,
          created_at: at,
          updated_at: at,
          ...(status === 'printing' ? { print_started_at: at } : {}),
        };
        const names = Object.keys(row);
        this.sql(
          `INSERT INTO receipts (${names.join(', ')}) VALUES (${names.map((c) => `@${c}`).join(', ')})`,
        ).run(row);
        this.journal.append(
          'receipt_added',
          `${r.draft.type === 'sale' ? 'Sale' : 'Refund'} ${formatKopecks(r.draft.totalKop)} accepted`,
          r.id,
          { total_kop: r.draft.totalKop, pos_id: r.draft.posId, type: r.draft.type },
        );
        if (status === 'printing') this.journal.append('receipt_printing', PRINTING_MESSAGE, r.id);
        return this.get(r.id)!;
      })
      .immediate();
  }

  /**
   * The one place a receipt changes state: checks the transition is legal from the state the caller
   * saw, applies the patch, the new state and the journal entry atomically.
   */
  private transition(
    id: string,
    to: ReceiptState,
    patch: ReceiptPatch,
    event: { kind: JournalKind; message: string; data?: JournalParams; code?: JournalCode },
    also?: () => void,
  ): StoredReceipt {
    return this.db
      .transaction(() => {
        const status = this.statusOf(id);
        if (!status || !TRANSITIONS[status].includes(to))
          throw new IllegalTransitionError(id, status ?? 'missing', to);
        if (
          !this.update(id, status, {
            ...receiptColumns(patch),
            status: to,
            updated_at: this.now().toISOString(),
          })
        ) {
          throw new IllegalTransitionError(id, status, to);
        }
        also?.();
        this.journal.append(event.kind, event.message, id, event.data, event.code);
        return this.get(id)!;
      })
      .immediate();
  }

  /** A state-checked UPDATE: false (and nothing written) unless the receipt is still in `expected`. */
  private update(id: string, expected: ReceiptState, columns: ReceiptColumns): boolean {
    const assignments = Object.keys(columns)
      .map((c) => `${c} = @${c}`)
      .join(', ');
    return (
      this.sql(`UPDATE receipts SET ${assignments} WHERE id = @where_id AND status = @where_status`).run({
        ...columns,
        where_id: id,
        where_status: expected,
      }).changes === 1
    );
  }

  markPrinting(id: string): StoredReceipt {
    return this.transition(
      id,
      'printing',
      { printStartedAt: this.now().toISOString(), lastError: null },
      { kind: 'receipt_printing', message: PRINTING_MESSAGE },
    );
  }

  /**
   * Records the fiscal attributes, without waiting for the disk (database.ts commitWithoutDiskWait):
   * the caller answers at once. A power cut that loses this commit leaves the receipt `printing` with
   * the FD high-water mark below its FD (both are in this commit), and start-up reconciliation finds it
   * in the KKT archive and records it again, the same receipt with the same FD. A later sale's intake
   * commit (FULL) makes this one durable before the KKT hears of that sale, so at most the last print
   * is ever left to reconciliation.
   */
  markPrinted(id: string, f: FiscalAttributes, how: 'printed' | 'recovered' = 'printed'): StoredReceipt {
    const raiseHighWater = () =>
      this.sql(
        `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), excluded.value)`,
      ).run(`kkt_fd_high_water:${f.fnNumber}`, f.fdNumber);
    return commitWithoutDiskWait(this.db, () =>
      this.transition(
        id,
        'printed',
        { printedAt: this.now().toISOString(), fiscal: f, lastError: null, nextAttemptAt: null },
        how === 'printed'
          ? {
              kind: 'receipt_printed',
              message: `Printed: FD ${f.fdNumber}, FP ${f.fiscalSign}`,
              data: { fd_number: f.fdNumber, fiscal_sign: f.fiscalSign },
            }
          : {
              kind: 'receipt_recovered',
              message: `Found in the KKT archive after a restart: FD ${f.fdNumber}; recorded as printed`,
              data: { fd_number: f.fdNumber },
              code: 'receipt_found_in_kkt',
            },
        raiseHighWater,
      ),
    );
  }

  markPrintFailed(id: string, error: string): StoredReceipt {
    return this.transition(
      id,
      'print_failed',
      { lastError: error },
      { kind: 'receipt_print_failed', message: `Not printed: ${error}`, data: { detail: error } },
    );
  }

  /** Recovery decided the KKT never fiscalised it: it may be printed again. */
  returnToAccepted(id: string, reason: string): StoredReceipt {
    return this.transition(
      id,
      'accepted',
      { printStartedAt: null },
      {
        kind: 'receipt_recovered',
        message: `Not in the KKT archive after a restart (${reason}); it will be printed again`,
        data: { detail: reason },
        code: 'receipt_not_in_kkt',
      },
    );
  }

  /**
   * Without waiting for the disk either (database.ts commitWithoutDiskWait): a power cut that loses it
   * leaves the receipt `printed`, the sync worker sends it again, and the OFD answers that it already
   * has that FN's FD (a duplicate), which records it as synced. It runs beside the sales, on the same
   * thread: a durable one would cost every sale a second fsync on the way.
   */
  markSynced(id: string, ofdId: string | null, duplicate: boolean): StoredReceipt {
    return commitWithoutDiskWait(this.db, () => this.syncedTransition(id, ofdId, duplicate));
  }

  /**
   * The OFD's acceptances of a sync run, in one commit that does not wait for the disk (as markSynced):
   * one commit and its WAL pages for the run instead of one per receipt, most of them shared (the
   * journal's, the counts', the status index's). Each receipt's change is still all-or-nothing (a
   * savepoint each); one the state machine refuses is left out, in `refused`. A commit that fails loses
   * the lot to the next run, which sends them again and hears "duplicate" from the OFD.
   */
  markSyncedMany(accepted: readonly SyncedMark[]): {
    synced: StoredReceipt[];
    refused: { id: string; error: IllegalTransitionError }[];
  } {
    const out = {
      synced: [] as StoredReceipt[],
      refused: [] as { id: string; error: IllegalTransitionError }[],
    };
    if (accepted.length === 0) return out;
    commitWithoutDiskWait(this.db, () =>
      this.db
        .transaction(() => {
          for (const a of accepted) {
            try {
              out.synced.push(this.syncedTransition(a.id, a.ofdId, a.duplicate));
            } catch (e) {
              if (!(e instanceof IllegalTransitionError)) throw e;
              out.refused.push({ id: a.id, error: e });
            }
          }
        })
        .immediate(),
    );
    return out;
  }

  private syncedTransition(id: string, ofdId: string | null, duplicate: boolean): StoredReceipt {
    return this.transition(
      id,
      'synced',
      { syncedAt: this.now().toISOString(), ofdId, lastError: null, nextAttemptAt: null },
      {
        kind: 'receipt_synced',
        message: duplicate
          ? 'The OFD already had it (duplicate): synced'
          : `Accepted by the OFD${ofdId ? ` as ${ofdId}` : ''}`,
        data: { ofd_id: ofdId },
        code: duplicate ? 'receipt_synced_duplicate' : 'receipt_synced',
      },
    );
  }

  /** A failed OFD call: counts the attempt and schedules the next one. Not a state change. */
  recordSendFailure(
    id: string,
    error: string,
    nextAttemptAt: number,
    why: OfdFailureWhy | null = null,
  ): StoredReceipt {
    return this.db
      .transaction(() => {
        const current = this.get(id);
        const counted =
          current !== null &&
          this.update(id, 'printed', {
            ...receiptColumns({ attempts: current.attempts + 1, lastError: error, nextAttemptAt }),
            updated_at: this.now().toISOString(),
          });
        if (!counted) throw new IllegalTransitionError(id, current?.status ?? 'missing', 'printed');
        const r = this.get(id)!;
        // `why` is the failure as a code the UI words (ofd-failure.ts); `detail` the OFD's English, for support.
        this.journal.append('receipt_send_failed', `OFD send failed (attempt ${r.attempts}): ${error}`, id, {
          attempts: r.attempts,
          detail: error,
          ...(why ? { why } : {}),
        });
        return r;
      })
      .immediate();
  }

  /** Postpones a receipt without counting an attempt (rate limiting); a receipt no longer `printed` is left alone. */
  postpone(id: string, nextAttemptAt: number, reason: string): void {
    this.update(id, 'printed', receiptColumns({ nextAttemptAt, lastError: reason }));
  }

  /** `reason` is the English line for logs; `why` the same as a code the UI words (null: text only). */
  moveToDlq(
    id: string,
    reason: string,
    lastError: string,
    countAttempt: boolean,
    why: DlqReason | null = null,
  ): StoredReceipt {
    const current = this.get(id);
    const attempts = (current?.attempts ?? 0) + (countAttempt ? 1 : 0);
    const { code, ...params } = why ?? { code: null };
    return this.transition(
      id,
      'dead',
      { attempts, lastError },
      {
        kind: 'receipt_dead',
        message: `Moved to the dead-letter queue: ${reason}`,
        data: { attempts, reason_code: code, ...params },
      },
      () => {
        this.sql(
          `INSERT INTO dlq (receipt_id, reason, attempts, last_error, moved_at, reason_code, reason_params)
                       VALUES (?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (receipt_id) DO UPDATE SET reason = excluded.reason, attempts = excluded.attempts, last_error = excluded.last_error,
                       moved_at = excluded.moved_at, resolved_at = NULL, resolved_by = NULL, resolution_note = NULL,
                       reason_code = excluded.reason_code, reason_params = excluded.reason_params`,
        ).run(
          id,
          reason,
          attempts,
          lastError,
          this.now().toISOString(),
          code,
          code ? JSON.stringify(params) : null,
        );
      },
    );
  }

  /** A manager sends a dead receipt again: back to the sync queue with a fresh attempt budget. */
  retryFromDlq(id: string, by: string): StoredReceipt {
    return this.transition(
      id,
      'printed',
      { attempts: 0, nextAttemptAt: null },
      { kind: 'receipt_retried', message: `Retried from the dead-letter queue by ${by}`, data: { by } },
      () => {
        this.sql(`DELETE FROM dlq WHERE receipt_id = ?`).run(id);
      },
    );
  }

  /** A manager settled a dead receipt outside the station (for example through the KKT's own link). */
  resolveDlq(id: string, by: string, note: string): DlqEntry {
    return this.db
      .transaction(() => {
        const info = this.sql(
          `UPDATE dlq SET resolved_at = ?, resolved_by = ?, resolution_note = ? WHERE receipt_id = ? AND resolved_at IS NULL`,
        ).run(this.now().toISOString(), by, note, id);
        if (info.changes !== 1)
          throw new IllegalTransitionError(
            id,
            this.get(id)?.status ?? 'missing',
            'resolved (it is not an open dead-letter entry)',
          );
        this.journal.append('dlq_resolved', `Resolved by ${by}: ${note}`, id, { by, note });
        return this.dlq({ includeResolved: true }).find((e) => e.receiptId === id)!;
      })
      .immediate();
  }

  voidReceipt(id: string, reason: string): StoredReceipt {
    return this.transition(
      id,
      'voided',
      { nextAttemptAt: null },
      { kind: 'receipt_voided', message: `Voided: ${reason}`, data: { detail: reason } },
    );
  }

  /**
   * Printed receipts due for an OFD attempt, oldest first by the clock. A refund whose sale is in the
   * buffer and not yet synced is held back (WAITS_FOR_SALE): the OFD must never get a refund before
   * its sale, even when a manager let the refund print first or the sale is backing off.
   */
  dueForSync(limit: number, nowMs: number): StoredReceipt[] {
    return this.select(
      `SELECT * FROM receipts r WHERE status = 'printed' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) AND ${WAITS_FOR_SALE} ORDER BY hlc LIMIT ?`,
      nowMs,
      limit,
    );
  }

  /** Printed receipts after a clock position, whatever their backoff: a manual sync walks the queue with it. */
  printedAfter(hlc: string, limit: number): StoredReceipt[] {
    return this.select(
      `SELECT * FROM receipts r WHERE status = 'printed' AND hlc > ? AND ${WAITS_FOR_SALE} ORDER BY hlc LIMIT ?`,
      hlc,
      limit,
    );
  }

  /** Refunds (not failed or voided) of a sale no longer in the buffer, by its FD number (original_fiscal). */
  refundsOfFiscal(fdNumber: number): StoredReceipt[] {
    return this.select(
      `SELECT * FROM receipts WHERE type = 'refund' AND json_extract(draft, '$.originalFiscal.fdNumber') = ? AND status NOT IN ('print_failed', 'voided') ORDER BY hlc`,
      fdNumber,
    );
  }

  /** The fiscalised sale with this FD number, if the buffer still holds it. */
  saleByFd(fdNumber: number): StoredReceipt | null {
    return (
      this.select(
        `SELECT * FROM receipts WHERE type = 'sale' AND fd_number = ? ORDER BY hlc DESC LIMIT 1`,
        fdNumber,
      )[0] ?? null
    );
  }

  /** Every sale with this FD number, newest first (another FN restarts the numbers). */
  salesByFd(fdNumber: number): StoredReceipt[] {
    return this.select(
      `SELECT * FROM receipts WHERE type = 'sale' AND fd_number = ? ORDER BY hlc DESC`,
      fdNumber,
    );
  }

  /** Receipts left mid-print by a crash (the print queue keeps it to one at a time). */
  inState(state: ReceiptState): StoredReceipt[] {
    return this.select(`SELECT * FROM receipts WHERE status = ? ORDER BY hlc`, state);
  }

  /**
   * The highest FD number the station ever recorded for an FN: a receipt document above it is news from
   * the KKT. Kept in meta, not derived from the receipts, so retention deleting old rows cannot lower it.
   */
  highestRecordedFd(fnNumber: string): number {
    const row = this.sql(`SELECT value FROM meta WHERE key = ?`).get(`kkt_fd_high_water:${fnNumber}`) as
      { value: string } | undefined;
    return row ? Number(row.value) : 0;
  }

  refundsOf(originalId: string): StoredReceipt[] {
    return this.select(
      `SELECT * FROM receipts WHERE original_receipt_id = ? AND status NOT IN ('print_failed', 'voided') ORDER BY hlc`,
      originalId,
    );
  }

  counts(): StatusCounts {
    const counts = Object.fromEntries(RECEIPT_STATES.map((s) => [s, 0])) as StatusCounts;
    for (const row of this.countsByState.all() as { state: ReceiptState; n: number }[]) {
      counts[row.state] = row.n;
    }
    return counts;
  }

  /** Receipts waiting for the OFD (printing or printed): what the capacity is about. */
  queued(): number {
    return (this.pendingCount.get() as { n: number }).n;
  }

  /** Stored and surely not fiscalised (`accepted`, `print_failed`), oldest first: print or void them. */
  unprinted(): StoredReceipt[] {
    return this.select(`SELECT * FROM receipts WHERE status IN ('accepted', 'print_failed') ORDER BY hlc`);
  }

  unprintedCount(): number {
    return (
      this.sql(
        `SELECT coalesce(sum(n), 0) AS n FROM receipt_counts WHERE state IN ('accepted', 'print_failed')`,
      ).get() as { n: number }
    ).n;
  }

  /**
   * The oldest receipt waiting for the OFD: one index-ordered probe per waiting state, then the older of
   * the two. `status IN ('printing', 'printed') ORDER BY hlc` made SQLite sort every waiting receipt (a
   * temp B-tree) on each status call, a cost that grew with an outage's backlog.
   */
  oldestPending(): { id: string; createdAt: string } | null {
    const first = this.sql(`SELECT id, created_at, hlc FROM receipts WHERE status = ? ORDER BY hlc LIMIT 1`);
    const rows = (['printing', 'printed'] as const)
      .map((state) => first.get(state) as Pick<ReceiptRow, 'id' | 'created_at' | 'hlc'> | undefined)
      .filter((r) => r !== undefined);
    const oldest = rows.sort((a, b) => (a.hlc < b.hlc ? -1 : 1))[0];
    return oldest ? { id: oldest.id, createdAt: oldest.created_at } : null;
  }

  dlq(opts: { includeResolved?: boolean; limit?: number } = {}): DlqEntry[] {
    const rows = this.sql(
      `SELECT d.*, r.total_kop, r.fd_number FROM dlq d JOIN receipts r ON r.id = d.receipt_id
       ${opts.includeResolved ? '' : 'WHERE d.resolved_at IS NULL'} ORDER BY d.moved_at DESC LIMIT ?`,
    ).all(opts.limit ?? 500) as DlqRow[];
    return rows.map(toDlqEntry);
  }

  dlqSize(): number {
    return (this.sql(`SELECT count(*) AS n FROM dlq WHERE resolved_at IS NULL`).get() as { n: number }).n;
  }

  /**
   * Retention: synced receipts older than `syncedDays` and resolved DLQ entries older than `dlqDays`.
   * A receipt the OFD has not accepted is never deleted. A sale and its refunds go together, and only
   * when all of them are old enough: the refund limit is computed from them, so deleting one early
   * would let a later refund return more than was sold.
   */
  purge(syncedDays = 7, dlqDays = 90): { receipts: number; dlq: number } {
    const nowMs = this.now().getTime();
    const syncedBefore = new Date(nowMs - syncedDays * DAY_MS).toISOString();
    const dlqBefore = new Date(nowMs - dlqDays * DAY_MS).toISOString();
    return this.db
      .transaction(() => {
        const oldEnough = (
          alias: string,
        ) => `(${alias}.status = 'synced' AND ${alias}.synced_at < @syncedBefore
        OR ${alias}.status = 'dead' AND EXISTS (SELECT 1 FROM dlq d WHERE d.receipt_id = ${alias}.id AND d.resolved_at < @dlqBefore))`;
        const groups = this.sql(
          `SELECT s.id FROM receipts s WHERE s.original_receipt_id IS NULL AND ${oldEnough('s')}
           AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.original_receipt_id = s.id AND NOT ${oldEnough('r')})`,
        ).all({ syncedBefore, dlqBefore }) as Pick<ReceiptRow, 'id'>[];
        let receipts = 0;
        let dlqPurged = 0;
        for (const { id } of groups) {
          for (const member of this.sql(
            `SELECT id, status FROM receipts WHERE original_receipt_id = ? UNION ALL SELECT id, status FROM receipts WHERE id = ?`,
          ).all(id, id) as Pick<ReceiptRow, 'id' | 'status'>[]) {
            this.sql(`DELETE FROM dlq WHERE receipt_id = ?`).run(member.id);
            if (member.id !== id) this.sql(`DELETE FROM receipts WHERE id = ?`).run(member.id);
            if (member.status === 'dead') dlqPurged++;
            else receipts++;
          }
          this.sql(`DELETE FROM receipts WHERE id = ?`).run(id);
        }
        // The newest stamps may be among the rows deleted here: the clock must not resume below them.
        this.clock.persist();
        this.sql(`DELETE FROM journal WHERE at < ?`).run(dlqBefore);
        if (receipts || dlqPurged)
          this.journal.append(
            'retention_purged',
            `Retention removed ${receipts} synced receipts and ${dlqPurged} resolved dead-letter receipts`,
            null,
            { receipts, dlq: dlqPurged },
          );
        return { receipts, dlq: dlqPurged };
      })
      .immediate();
  }

  /**
   * Recent receipts, newest first, for the cashier's list (refund picking, «Копия чека», support). In
   * rowid order, which is clock order: one process inserts receipts, each stamped by the clock in its
   * insert, and a new rowid is above every one left. `ORDER BY hlc` had no index to read and sorted the
   * whole history at each call (about a second at 1,000,000 receipts, on the thread that serves sales).
   */
  recent(limit = 50): StoredReceipt[] {
    return this.select(`SELECT * FROM receipts ORDER BY rowid DESC LIMIT ?`, limit);
  }
}
