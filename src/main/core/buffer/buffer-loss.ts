// A lost buffer: the file was deleted or emptied (or moved aside as damaged), so the station starts on a
// new, empty one: pending receipts, refund history and the FD high-water mark are gone. database.ts
// marks a buffer it creates (`buffer_loss_check = pending`, in the schema's own transaction); the first
// time the KKT answers, compare() looks at its last FD. A KKT that holds documents the new buffer never
// recorded (last FD above the high-water mark, which is 0 in a new buffer) means the station lost its
// memory of them: sales are refused (409 buffer_lost) until a manager acknowledges it; the
// acknowledgement raises the high-water mark to the KKT's last FD and journals who and when. A new
// buffer next to a KKT with no documents yet (a first installation) is simply marked checked.
//
// A first installation next to a KKT that already issued documents (used before with other software) is
// indistinguishable from a loss and is treated as one: the manager acknowledges it once.
//
// Both facts live in the buffer's meta table, so a restart neither forgets the refusal nor repeats the
// check; a KKT that cannot be asked leaves the check pending (it runs again before the next sale).
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.ts';
import { LOSS_CHECK_KEY } from './database.ts';
import type { Journal } from './journal.ts';
import { BufferLostError, ConflictError } from '../../../shared/errors.ts';
import type { ByCode } from '../../../shared/journal-by.ts';

const LOST_KEY = 'buffer_lost';

export interface BufferLossState {
  detectedAt: string;
  fnNumber: string;
  kktLastFd: number;
}

export interface BufferLossAck extends BufferLossState {
  acknowledgedAt: string;
  acknowledgedBy: string;
}

export class BufferLoss {
  constructor(
    private readonly db: Db,
    private readonly journal: Journal,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** True while a new buffer has not been compared with the KKT yet. */
  pending(): boolean {
    return this.meta(LOSS_CHECK_KEY) !== null;
  }

  /** The unacknowledged loss, or null. */
  state(): BufferLossState | null {
    const raw = this.meta(LOST_KEY);
    return raw ? (JSON.parse(raw) as BufferLossState) : null;
  }

  /** Compares a new buffer with the KKT's status, once; records a loss when the KKT knows more. */
  compare(kkt: { fnNumber: string; lastFdNumber: number }): void {
    if (!this.pending()) return;
    this.db
      .transaction(() => {
        if (!this.pending()) return;
        const known = this.highWater(kkt.fnNumber);
        if (kkt.lastFdNumber > known) {
          const state: BufferLossState = {
            detectedAt: this.now().toISOString(),
            fnNumber: kkt.fnNumber,
            kktLastFd: kkt.lastFdNumber,
          };
          this.setMeta(LOST_KEY, JSON.stringify(state));
          this.journal.append(
            'buffer_lost',
            `The buffer is new but the KKT (FN ${kkt.fnNumber}) holds documents up to FD ${kkt.lastFdNumber}: the buffer was lost. Sales are blocked until a manager acknowledges it.`,
            null,
            { fn_number: kkt.fnNumber, kkt_last_fd: kkt.lastFdNumber },
          );
        }
        this.db.prepare(`DELETE FROM meta WHERE key = ?`).run(LOSS_CHECK_KEY);
      })
      .immediate();
  }

  /** Throws buffer_lost (409) while a loss waits for the manager. */
  assertUsable(): void {
    const s = this.state();
    if (s) throw new BufferLostError(s.kktLastFd, s.detectedAt);
  }

  /**
   * The manager acknowledges the loss: sales resume; the journal keeps who (`by`, a name), how (`via`, a
   * code of shared/journal-by.ts) and when.
   */
  acknowledge(by: string, via: ByCode): BufferLossAck {
    return this.db
      .transaction(() => {
        const s = this.state();
        if (!s)
          throw new ConflictError(
            'conflict',
            'There is no lost buffer to acknowledge: the station sells normally.',
          );
        const ack: BufferLossAck = { ...s, acknowledgedAt: this.now().toISOString(), acknowledgedBy: by };
        this.db
          .prepare(
            `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), excluded.value)`,
          )
          .run(`kkt_fd_high_water:${s.fnNumber}`, s.kktLastFd);
        this.db.prepare(`DELETE FROM meta WHERE key = ?`).run(LOST_KEY);
        this.journal.append(
          'buffer_loss_acknowledged',
          `Lost buffer acknowledged by ${by} (${via}): documents up to FD ${s.kktLastFd} on the KKT are not in this buffer; sales resume`,
          null,
          { by, via, at: ack.acknowledgedAt, kkt_last_fd: s.kktLastFd, detected_at: s.detectedAt },
        );
        return ack;
      })
      .immediate();
  }

  private highWater(fnNumber: string): number {
    const v = this.meta(`kkt_fd_high_water:${fnNumber}`);
    return v === null ? 0 : Number(v);
  }

  /** Read before every sale (pending, assertUsable): prepared once, not per call. */
  private metaQuery: Statement | null = null;

  private meta(key: string): string | null {
    this.metaQuery ??= this.db.prepare(`SELECT value FROM meta WHERE key = ?`);
    return (this.metaQuery.get(key) as { value: string } | undefined)?.value ?? null;
  }

  private setMeta(key: string, value: string): void {
    this.db
      .prepare(
        `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(key, value);
  }
}
