// Printed but not recorded: the KKT printed a receipt, then its `printed` commit failed (SQLITE_FULL, a
// UNIQUE clash on the FD, an I/O error). The fiscal attributes wait here, in memory, and the commit is
// retried: at once after freeing the disk reserve on SQLITE_FULL, then with a backoff up to 2 s, before
// every print (assertNoneWaiting) and on a same-key retry (recordNow). The caller gets the receipt as it
// is stored (`printing`: a 202, never "failed"). A crash while one waits leaves it `printing` in the
// buffer, and start-up reconciliation finds it in the KKT's archive. fiscal-service.ts says why nothing
// else may be printed meanwhile.
import type { FiscalAttributes } from '../kkt/kkt.ts';
import type { ReceiptStore } from '../buffer/receipt-store.ts';
import type { StoredReceipt } from '../buffer/receipt-rows.ts';
import { BufferWriteError, DiskFullError, StationError } from '../../../shared/errors.ts';
import type { Logger } from '../logger.ts';

/** A receipt the KKT printed whose `printed` commit failed: its attributes wait here for the next try. */
interface Unrecorded {
  attrs: FiscalAttributes;
  how: 'printed' | 'recovered';
  error: unknown;
}

const RECORD_RETRY_FIRST_MS = 250;
const RECORD_RETRY_MAX_MS = 2_000;

export interface PendingRecordsOptions {
  store: ReceiptStore;
  log: Logger;
  /** Told after a receipt reached `printed`, whether at once or on a retry. */
  onRecorded?: (receipt: StoredReceipt) => void;
  /** Frees the disk space kept for printed records (disk-guard.ts); true when some was freed. */
  releaseReserve?: () => boolean;
}

export class PendingRecords {
  private readonly waiting = new Map<string, Unrecorded>();
  private timer: NodeJS.Timeout | null = null;
  private delayMs = RECORD_RETRY_FIRST_MS;
  private stopped = false;

  constructor(private readonly o: PendingRecordsOptions) {}

  /** True while this receipt's `printed` record waits. */
  waits(id: string): boolean {
    return this.waiting.has(id);
  }

  /** The fiscal attributes of a printed receipt still waiting to be recorded, or null. */
  attrs(id: string): FiscalAttributes | null {
    return this.waiting.get(id)?.attrs ?? null;
  }

  count(): number {
    return this.waiting.size;
  }

  /** Nothing new goes to the KKT while a printed receipt waits to be recorded: one more try, else refuse. */
  assertNoneWaiting(): void {
    if (this.flush()) return;
    const [id, u] = this.waiting.entries().next().value!;
    throw isDiskFull(u.error)
      ? new DiskFullError(`receipt ${id}, printed as FD ${u.attrs.fdNumber}, waits to be recorded`, {
          receipt_id: id,
        })
      : new BufferWriteError(id, errorText(u.error));
  }

  /**
   * Records a receipt the KKT printed. When the commit fails for a reason other than the state machine
   * (SQLite: disk full, a constraint, I/O), the attributes stay in memory and the commit is retried;
   * the receipt is answered as stored (`printing`), never as a failure: it was fiscalised.
   */
  record(id: string, attrs: FiscalAttributes, how: 'printed' | 'recovered'): StoredReceipt {
    this.waiting.set(id, { attrs, how, error: null });
    if (this.tryRecord(id)) return this.o.store.get(id)!;
    const u = this.waiting.get(id)!;
    this.o.log.error(
      `Receipt ${id}: printed as FD ${attrs.fdNumber} but could not be recorded (${errorText(u.error)}); kept in memory and retried`,
    );
    this.schedule();
    return this.o.store.get(id)!;
  }

  /** One try at the `printed` commit of an unrecorded receipt; true when it is no longer waiting. */
  private tryRecord(id: string): boolean {
    const u = this.waiting.get(id);
    if (!u) return true;
    const commit = () => {
      const printed = this.o.store.markPrinted(id, u.attrs, u.how);
      this.waiting.delete(id);
      this.o.onRecorded?.(printed);
    };
    try {
      commit();
      return true;
    } catch (e) {
      if (e instanceof StationError) {
        // The state machine refused: something else settled it meanwhile. Nothing is left to record.
        this.waiting.delete(id);
        this.o.log.warn(`Receipt ${id}: not recorded as printed: ${e.message}`);
        return true;
      }
      u.error = e;
      if (!isDiskFull(e) || !this.o.releaseReserve?.()) return false;
      this.o.log.warn(`Receipt ${id}: the disk is full; released the reserved space to record it`);
    }
    try {
      commit();
      return true;
    } catch (e) {
      u.error = e;
      return false;
    }
  }

  /** Tries every waiting record; true when none is left. */
  flush(): boolean {
    for (const id of [...this.waiting.keys()]) {
      if (this.tryRecord(id)) this.o.log.info(`Receipt ${id}: recorded as printed after a failed write`);
    }
    return this.waiting.size === 0;
  }

  /** A same-key retry or settle of an unrecorded receipt: one more try, then the receipt as stored. */
  async recordNow(id: string): Promise<StoredReceipt> {
    this.flush();
    return this.o.store.get(id)!;
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.flush()) {
        this.delayMs = RECORD_RETRY_FIRST_MS;
        return;
      }
      this.delayMs = Math.min(this.delayMs * 2, RECORD_RETRY_MAX_MS);
      this.schedule();
    }, this.delayMs);
    this.timer.unref();
  }

  /** At stop: no more timers, one last try, and a log line for what is left to the KKT archive. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.flush()) return;
    for (const [id, u] of this.waiting)
      this.o.log.error(
        `Receipt ${id}: printed as FD ${u.attrs.fdNumber} but still not recorded at stop (${errorText(u.error)}); the next start finds it in the KKT archive`,
      );
  }
}

function isDiskFull(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === 'SQLITE_FULL';
}

function errorText(e: unknown): string {
  if (isDiskFull(e)) return 'the disk is full';
  const code = (e as { code?: string } | null)?.code;
  return `${code ? `${code}: ` : ''}${(e as Error | null)?.message ?? String(e)}`;
}
