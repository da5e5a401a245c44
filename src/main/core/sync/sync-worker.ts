// Phase 2: delivers printed receipts to the OFD in the background. One run at a time (single-flight);
// runs every interval, soon after a print, and on a manager's request (which drains the whole
// backlog and reports progress). "Soon" is at once for a lone print; while prints keep coming (a rush,
// several POS on one station) a kicked run starts at most every KICK_GAP_MS, so it takes every receipt
// printed meanwhile in one batch. Without the gap each print made a run of its own: one queue query,
// one breaker call and one log line per receipt, on the thread that serves the next sale (in a CPU
// profile of back-to-back sales, nearly as much CPU as the sale itself). Each run takes due receipts in
// clock order, sends them with bounded concurrency through the breaker, and stops early when the breaker opens. Attempts are counted only
// for calls that reached (or tried to reach) the OFD; a refusal by the open breaker costs nothing. The
// OFD's acceptances of a batch are recorded in one commit at its end (ACCEPTED_PER_COMMIT).
// Over 400 lines on purpose: the run loop, the manual sync and the outcome handling share the
// single-flight state and the backoff; the breaker and the client are apart (ofd-breaker.ts, ofd/).
import { ofdMark } from '../fiscal/marking/ofd-mark.ts';
import type { ReceiptStore, SyncedMark } from '../buffer/receipt-store.ts';
import type { StoredReceipt } from '../buffer/receipt-rows.ts';
import type { Journal } from '../buffer/journal.ts';
import type { OfdOutcome, OfdReceiptPayload } from '../ofd/ofd-client.ts';
import type { OfdBreaker } from './ofd-breaker.ts';
import type { Logger } from '../logger.ts';
import { nextBackoffMs } from '../util/backoff.ts';
import { ConflictError } from '../../../shared/errors.ts';
import type { OfdFailureWhy } from '../../../shared/ofd-failure.ts';

export interface SyncWorkerOptions {
  store: ReceiptStore;
  journal: Journal;
  breaker: OfdBreaker;
  log: Logger;
  intervalMs: number;
  batchSize: number;
  concurrency: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  now?: () => number;
}

export interface RunResult {
  synced: number;
  failed: number;
  /** Not attempted: the breaker was open or the run was stopped. */
  skipped: number;
  deadLettered: number;
  durationMs: number;
  /** Set when receipts were left waiting because the OFD still does not answer: why, and when it is tried next. */
  /** `why`: the last failure as a code for the UI's words (null when the OFD client gave none). */
  heldBack?: { reason: string; why?: OfdFailureWhy | null; nextAttemptAt: string | null };
}

/**
 * A manual sync's progress; no number ever goes down. `done`: receipts the OFD answered (a refusal of the
 * buffer at the commit does not take one back); `synced`: acceptances the buffer recorded (they are
 * committed per batch, so it moves in steps); `total` grows when receipts printed meanwhile are sent too.
 */
export interface SyncProgress {
  done: number;
  total: number;
  synced: number;
  failed: number;
}

export interface WorkerSnapshot {
  running: boolean;
  started: boolean;
  manualRunning: boolean;
  lastRunAt: string | null;
  lastRunResult: RunResult | null;
  nextRunAt: string | null;
  backoffMs: number;
  lastError: string | null;
  /** `lastError` as a code with parameters, for the UI's words (null for a crash of the run itself). */
  lastErrorWhy: OfdFailureWhy | null;
  /** The OFD refuses the token (401/403): fix the OFD token in the settings. */
  ofdAuthFailure: string | null;
  inFlight: number;
  totals: { runs: number; synced: number; failed: number; deadLettered: number };
}

const AUTH_RETRY_MS = 60_000;
/**
 * A receipt printed in a rush reaches the OFD at most this much later; a lone one at once. Short next to
 * anything the OFD or the law cares about (the FN keeps its own copy for 30 days), long next to a sale.
 */
export const KICK_GAP_MS = 200;
/**
 * The OFD's acceptances are recorded together, at the end of each batch or when this many wait: one
 * commit instead of one per receipt (receipt-store.ts markSyncedMany), on the thread that serves sales.
 */
const ACCEPTED_PER_COMMIT = 50;

export class SyncWorker {
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<RunResult> | null = null;
  private manual: Promise<RunResult> | null = null;
  private started = false;
  private stopping = false;
  /** Bumped when stop() gives up waiting: outcomes of sends from an older generation are dropped. */
  private generation = 0;
  private kickPending = false;
  private backoffMs = 0;
  /** Earliest time the OFD wants to hear from us again (429 Retry-After). */
  private notBeforeMs = 0;
  private nextRunAtMs: number | null = null;
  private lastRunAtMs: number | null = null;
  /** When the last scheduled run started: kicked runs keep KICK_GAP_MS from it. */
  private lastRunStartedMs = Number.NEGATIVE_INFINITY;
  private lastRunResult: RunResult | null = null;
  private lastError: string | null = null;
  private lastErrorWhy: OfdFailureWhy | null = null;
  /** Set while the OFD refuses our token: the manager must fix the settings. */
  private authFailure: string | null = null;
  private readonly sending = new Set<string>();
  /** The OFD accepted these; they wait for recordAccepted() (one commit per batch). */
  private readonly accepted: SyncedMark[] = [];
  private readonly totals = { runs: 0, synced: 0, failed: 0, deadLettered: 0 };
  private readonly progressListeners = new Set<(p: SyncProgress) => void>();

  constructor(private readonly o: SyncWorkerOptions) {
    this.now = o.now ?? Date.now;
  }

  start(): void {
    this.started = true;
    this.stopping = false;
    this.schedule(0);
  }

  /**
   * Stops scheduling and lets in-flight sends finish for up to `graceMs`; sends still out after that
   * are abandoned: their outcome is not recorded, so they stay `printed` and are resent (with the same
   * Idempotency-Key) after the restart. Nothing is lost either way. A stopped worker still serves a
   * manager's sync now; it just runs nothing by itself.
   */
  async stop(graceMs = 2_000): Promise<void> {
    this.stopping = true;
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextRunAtMs = null;
    const settled = Promise.all([this.current?.catch(() => undefined), this.manual?.catch(() => undefined)]);
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([settled, new Promise<void>((resolve) => (grace = setTimeout(resolve, graceMs)))]);
    clearTimeout(grace);
    // What the OFD already accepted is recorded now; a send still out is abandoned (and sent again later).
    this.recordAccepted(null);
    this.generation++;
    this.stopping = false;
  }

  /**
   * Asks for a run soon (after a print, or when the network came back): at once after a quiet spell,
   * else KICK_GAP_MS after the last run started. Coalesces with a running one and never postpones a
   * run already due sooner.
   */
  kick(): void {
    if (!this.started) return;
    if (this.current) {
      this.kickPending = true;
      return;
    }
    if (this.backoffMs !== 0) return;
    const delay = this.kickDelay();
    if (this.timer && this.nextRunAtMs !== null && this.nextRunAtMs <= this.now() + delay) return;
    this.schedule(delay);
  }

  private kickDelay(): number {
    return Math.max(0, this.lastRunStartedMs + KICK_GAP_MS - this.now());
  }

  /** Is this receipt being sent right now? */
  isSending(id: string): boolean {
    return this.sending.has(id);
  }

  onProgress(listener: (p: SyncProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /**
   * A manager's "sync now": drains every due receipt through the breaker, run after run, reporting
   * progress. A second manual sync while one runs gets 409; an automatic run in progress is waited for.
   */
  async syncNow(): Promise<RunResult> {
    if (this.manual)
      throw new ConflictError('sync_in_progress', 'A manual sync is already running; wait for it to finish.');
    this.manual = (async () => {
      await this.current?.catch(() => undefined);
      const waiting = this.o.store.counts().printed;
      let done = 0; // answered by the OFD in the batches before this one
      const progress = (batchDone: number, synced: number, failed: number) => {
        const all = done + batchDone;
        this.emitProgress({ done: all, total: Math.max(waiting, all), synced, failed });
      };
      const sum: RunResult = { synced: 0, failed: 0, skipped: 0, deadLettered: 0, durationMs: 0 };
      const started = this.now();
      const cursor = { hlc: '' }; // walks the queue once in clock order: each receipt tried at most once
      const generation = this.generation;
      this.o.journal.append('sync_started', `Manual sync started: ${waiting} receipts waiting`, null, {
        total: waiting,
      });
      // The manager asked for now: an open breaker gets its one trial call at once (the oldest receipt),
      // instead of a silent "skipped" until its timer runs out.
      const oldest = this.o.breaker.state === 'OPEN' ? this.o.store.printedAfter('', 1)[0] : undefined;
      if (oldest && this.now() >= this.notBeforeMs) {
        cursor.hlc = oldest.hlc;
        let answered = false;
        const trial = await this.exclusive(async () => {
          const r: RunResult = { synced: 0, failed: 0, skipped: 0, deadLettered: 0, durationMs: 0 };
          answered = await this.deliver(oldest, r, (p) => this.o.breaker.trialNow(p));
          this.recordAccepted(r);
          return r;
        });
        sum.synced += trial.synced;
        sum.failed += trial.failed;
        sum.deadLettered += trial.deadLettered;
        if (answered) done++;
        progress(0, sum.synced, sum.failed);
      }
      for (;;) {
        let batchDone = 0;
        const r = await this.exclusive(() =>
          this.runBatch({ manual: cursor }, (p) => {
            batchDone = p.done;
            progress(batchDone, sum.synced + p.synced, sum.failed + p.failed);
          }),
        );
        done += batchDone;
        sum.synced += r.synced;
        sum.failed += r.failed;
        sum.deadLettered += r.deadLettered;
        if (
          r.synced + r.failed === 0 ||
          this.o.breaker.refusing ||
          this.stopping ||
          generation !== this.generation
        )
          break;
      }
      sum.skipped = this.o.store.counts().printed; // what is still waiting, whatever held it back
      sum.durationMs = this.now() - started;
      // Receipts still wait and the OFD is why: the breaker refuses, or every send of this run failed on
      // the OFD (fewer failures than open the breaker; a failure of ours has no OFD code and is logged).
      // The manager is told why and when the next try is.
      const refusing = this.o.breaker.refusing;
      const ofdFailedAll = sum.synced === 0 && sum.failed > 0 && this.lastErrorWhy !== null;
      if (sum.skipped > 0 && (refusing || ofdFailedAll)) {
        const b = refusing ? this.o.breaker.snapshot() : null;
        sum.heldBack = b?.lastFailure
          ? { reason: b.lastFailure, why: this.o.breaker.lastFailureWhy, nextAttemptAt: b.nextAttemptAt }
          : {
              reason: this.lastError ?? 'the OFD does not answer',
              why: this.lastErrorWhy,
              nextAttemptAt: b ? b.nextAttemptAt : this.nextAttemptAt(),
            };
      }
      this.o.journal.append(
        'sync_finished',
        `Manual sync finished: ${sum.synced} synced, ${sum.failed} failed, ${sum.skipped} still waiting`,
        null,
        { ...sum },
      );
      this.logRun('Manual sync', sum, true);
      // Complete, whatever was left waiting (sum.skipped says how many).
      const end = Math.max(waiting, done);
      this.emitProgress({ done: end, total: end, synced: sum.synced, failed: sum.failed });
      return sum;
    })().finally(() => {
      this.manual = null;
      // A print during the manual sync's last batch asked for a run; only a scheduled run reads that.
      if (this.kickPending) {
        this.kickPending = false;
        this.kick();
      }
    });
    return this.manual;
  }

  snapshot(): WorkerSnapshot {
    return {
      running: this.current !== null,
      started: this.started,
      manualRunning: this.manual !== null,
      lastRunAt: this.lastRunAtMs === null ? null : new Date(this.lastRunAtMs).toISOString(),
      lastRunResult: this.lastRunResult,
      nextRunAt: this.nextRunAtMs === null ? null : new Date(this.nextRunAtMs).toISOString(),
      backoffMs: this.backoffMs,
      lastError: this.lastError,
      lastErrorWhy: this.lastErrorWhy,
      ofdAuthFailure: this.authFailure,
      inFlight: this.sending.size,
      totals: { ...this.totals },
    };
  }

  /** When the worker sends next by itself: its scheduled run, not before the OFD's Retry-After; null when stopped. */
  private nextAttemptAt(): string | null {
    if (this.nextRunAtMs === null) return null;
    return new Date(Math.max(this.nextRunAtMs, this.notBeforeMs)).toISOString();
  }

  private schedule(delayMs: number): void {
    if (!this.started || this.stopping) return;
    if (this.timer) clearTimeout(this.timer);
    const delay = Math.max(delayMs, this.notBeforeMs - this.now(), 0);
    this.nextRunAtMs = this.now() + delay;
    this.timer = setTimeout(() => void this.scheduledRun(), delay);
    this.timer.unref?.();
  }

  private async scheduledRun(): Promise<void> {
    this.timer = null;
    this.nextRunAtMs = null;
    if (this.manual) return this.schedule(this.o.intervalMs);
    this.lastRunStartedMs = this.now();
    const result = await this.exclusive(() => this.runBatch({})).catch((e: Error) => {
      this.lastError = e.message;
      this.lastErrorWhy = null;
      this.o.log.error(`Sync run failed: ${e.stack ?? e.message}`);
      return null;
    });
    const madeProgress = result !== null && result.synced > 0;
    const idle = result !== null && result.synced + result.failed + result.skipped === 0;
    if (madeProgress || idle) this.backoffMs = 0;
    else
      this.backoffMs = nextBackoffMs(this.backoffMs, {
        baseMs: this.o.backoffBaseMs,
        maxMs: this.o.backoffMaxMs,
      });

    if (result) this.logRun('Sync run', result);
    // A full batch means a backlog: the next one goes at once. Less than that, what is due was printed
    // during the run: it waits for the gap like any kicked run.
    const backlog = madeProgress && result.synced + result.failed >= this.o.batchSize;
    const moreDue = madeProgress && this.o.store.dueForSync(1, this.now()).length > 0;
    if (this.backoffMs) this.schedule(this.backoffMs);
    else if (backlog && moreDue) this.schedule(0);
    else if (moreDue || this.kickPending) this.schedule(this.kickDelay());
    else this.schedule(this.o.intervalMs);
    this.kickPending = false;
  }

  /**
   * One line per run for the station log: only runs that sent something or failed (an idle or
   * breaker-held run every interval would bury the outage in noise; the breaker logs its own changes).
   * A manual run is always logged: a manager asked for it.
   */
  private logRun(what: string, r: RunResult, always = false): void {
    if (!always && r.synced + r.failed + r.deadLettered === 0) return;
    const line =
      `${what}: ${r.synced} synced, ${r.failed} failed, ${r.deadLettered} dead-lettered, ` +
      `${r.skipped} skipped in ${r.durationMs} ms` +
      (r.failed > 0 ? `; last error: ${this.lastError ?? 'unknown'}` : '') +
      (r.heldBack ? `; held back: ${r.heldBack.reason}, next try at ${r.heldBack.nextAttemptAt}` : '');
    if (r.failed > 0 || r.deadLettered > 0) this.o.log.warn(line);
    else this.o.log.info(line);
  }

  private async exclusive(run: () => Promise<RunResult>): Promise<RunResult> {
    while (this.current) await this.current.catch(() => undefined);
    this.current = run().finally(() => {
      this.current = null;
    });
    return this.current;
  }

  /**
   * One batch. A manual run ignores each receipt's backoff (the manager asked for now) but walks the
   * queue once with a clock cursor, so a failing receipt cannot spin; it still respects the breaker
   * and Retry-After.
   */
  private async runBatch(
    opts: { manual?: { hlc: string } },
    onProgress?: (p: SyncProgress) => void,
  ): Promise<RunResult> {
    const started = this.now();
    const result: RunResult = { synced: 0, failed: 0, skipped: 0, deadLettered: 0, durationMs: 0 };
    if (this.now() < this.notBeforeMs) return result;
    const cursor = opts.manual;
    const batch = cursor
      ? this.o.store.printedAfter(cursor.hlc, this.o.batchSize)
      : this.o.store.dueForSync(this.o.batchSize, this.now());
    if (cursor && batch.length) cursor.hlc = batch.at(-1)!.hlc;
    let next = 0;
    let answered = 0;
    const workerLoop = async () => {
      while (next < batch.length) {
        const receipt = batch[next++]!;
        if (this.o.breaker.refusing && this.o.breaker.state === 'HALF_OPEN')
          await this.o.breaker.trialSettled();
        if (this.stopping || this.o.breaker.refusing || this.now() < this.notBeforeMs) {
          result.skipped++;
          continue;
        }
        if (await this.deliver(receipt, result)) answered++;
        // `synced` without the acceptances still waiting for their commit, which may refuse one.
        onProgress?.({
          done: answered,
          total: batch.length,
          synced: result.synced - this.accepted.length,
          failed: result.failed,
        });
      }
    };
    // Every loop ends before the batch's acceptances are recorded, even when one of them threw.
    const loops = await Promise.allSettled(
      Array.from({ length: Math.min(this.o.concurrency, batch.length) }, workerLoop),
    );
    this.recordAccepted(result);
    const failure = loops.find((l) => l.status === 'rejected');
    if (failure) throw failure.reason;
    result.durationMs = this.now() - started;
    this.lastRunAtMs = this.now();
    this.lastRunResult = result;
    this.totals.runs++;
    this.totals.synced += result.synced;
    this.totals.failed += result.failed;
    this.totals.deadLettered += result.deadLettered;
    return result;
  }

  /**
   * Sends one receipt and handles the OFD's answer. An acceptance waits in `accepted`, and the receipt
   * stays "sending" until recordAccepted() commits it with the others of its batch. True when the OFD
   * accepted or refused it; false when it was not sent or is to wait (breaker, 429, token).
   */
  private async deliver(
    receipt: StoredReceipt,
    result: RunResult,
    send: (p: OfdReceiptPayload) => Promise<OfdOutcome | 'rejected'> = (p) => this.o.breaker.send(p),
  ): Promise<boolean> {
    this.sending.add(receipt.id);
    const generation = this.generation;
    let acceptedNow = false;
    try {
      const outcome = await send(toOfdPayload(receipt));
      if (generation !== this.generation) return false; // stop() gave up on this send; the database may be closing
      if (outcome === 'rejected') {
        result.skipped++;
        return false;
      }
      switch (outcome.kind) {
        case 'accepted':
        case 'duplicate':
          // An empty id proves nothing (the client never calls it accepted); never store "" as one.
          this.accepted.push({
            id: receipt.id,
            ofdId: outcome.ofdId || null,
            duplicate: outcome.kind === 'duplicate',
          });
          acceptedNow = true;
          result.synced++;
          this.lastError = null;
          this.lastErrorWhy = null;
          this.authFailure = null;
          if (this.accepted.length >= ACCEPTED_PER_COMMIT) this.recordAccepted(result);
          return true;
        case 'rate_limited':
          // The OFD is alive and asks us to wait: no attempt is charged, everyone waits.
          this.waitForOfd(receipt.id, outcome.retryAfterMs, outcome.message);
          result.skipped++;
          return false;
        case 'auth':
          // The token is wrong or expired: a settings problem, not the receipt's. Charging attempts
          // would push the whole backlog into the DLQ over a weekend; wait and say so instead.
          this.authFailure = outcome.message;
          this.lastError = outcome.message;
          this.lastErrorWhy = outcome.why;
          this.waitForOfd(receipt.id, Math.min(AUTH_RETRY_MS, this.o.backoffMaxMs), outcome.message);
          result.skipped++;
          return false;
        case 'permanent':
          this.o.store.moveToDlq(
            receipt.id,
            `the OFD rejected it (${outcome.status})`,
            outcome.message,
            true,
            {
              code: 'ofd_rejected',
              status: outcome.status,
              detail: outcome.detail ?? null,
            },
          );
          result.failed++;
          result.deadLettered++;
          this.lastError = outcome.message;
          this.lastErrorWhy = outcome.why;
          return true;
        case 'retryable': {
          result.failed++;
          this.lastError = outcome.message;
          this.lastErrorWhy = outcome.why;
          if (outcome.retryAfterMs !== undefined)
            this.notBeforeMs = Math.max(this.notBeforeMs, this.now() + outcome.retryAfterMs);
          if (receipt.attempts + 1 >= this.o.maxAttempts) {
            this.o.store.moveToDlq(
              receipt.id,
              `${this.o.maxAttempts} attempts failed`,
              outcome.message,
              true,
              {
                code: 'attempts_exhausted',
                attempts: this.o.maxAttempts,
                detail: outcome.message,
                failure: outcome.why,
              },
            );
            result.deadLettered++;
          } else {
            const delay = Math.max(
              Math.min(this.o.backoffBaseMs * 2 ** receipt.attempts, this.o.backoffMaxMs),
              outcome.retryAfterMs ?? 0,
            );
            this.o.store.recordSendFailure(receipt.id, outcome.message, this.now() + delay, outcome.why);
          }
          return true;
        }
      }
      const unknown: never = outcome; // a new kind of answer must say whether it counts as answered
      return unknown;
    } finally {
      if (!acceptedNow) this.sending.delete(receipt.id);
    }
  }

  /**
   * Commits the acceptances collected so far in one transaction (receipt-store.ts markSyncedMany). One
   * the store refuses is taken back from the run's `synced`; a commit that fails counts them `failed`,
   * so the run backs off and the status shows why, and they stay `printed`: the next run sends them
   * again and the OFD answers "duplicate". `result` is null at stop(), where no run reports them.
   */
  private recordAccepted(result: RunResult | null): void {
    const marks = this.accepted.splice(0);
    if (marks.length === 0) return;
    try {
      const { refused } = this.o.store.markSyncedMany(marks);
      for (const r of refused) this.o.log.warn(`Receipt ${r.id}: not recorded as synced: ${r.error.message}`);
      if (result) result.synced -= refused.length;
    } catch (e) {
      if (result) {
        result.synced -= marks.length;
        result.failed += marks.length;
      }
      this.lastError = `the buffer could not record ${marks.length} receipt(s) the OFD accepted: ${(e as Error).message}`;
      this.lastErrorWhy = null;
      this.o.log.error(`Sync: ${this.lastError}; the next run sends them again`);
    } finally {
      for (const m of marks) this.sending.delete(m.id);
    }
  }

  /** Holds every send until `delayMs` from now and moves this receipt's next attempt there too. */
  private waitForOfd(receiptId: string, delayMs: number, reason: string): void {
    this.notBeforeMs = Math.max(this.notBeforeMs, this.now() + delayMs);
    this.o.store.postpone(receiptId, this.now() + delayMs, reason);
  }

  private emitProgress(p: SyncProgress): void {
    for (const l of this.progressListeners) l(p);
  }
}

/** The OFD payload for a printed receipt (docs/ofd-mock.md, «The OFD contract»): ids, items, payments, totals, fiscal attributes. */
export function toOfdPayload(r: StoredReceipt): OfdReceiptPayload {
  const f = r.fiscal;
  if (!f) throw new Error(`Receipt ${r.id} has no fiscal attributes; only printed receipts go to the OFD`);
  return {
    receipt_id: r.id,
    pos_id: r.posId,
    type: r.type,
    items: r.draft.items.map((l) => ({
      name: l.name,
      price_kop: l.priceKop,
      quantity_milli: l.quantityMilli,
      total_kop: l.totalKop,
      vat: l.vat,
      ...(l.discount && {
        price_before_kop: l.discount.priceBeforeKop,
        discount_kop: l.discount.discountKop,
      }),
      // A correction's marked lines carry the status of the operation it corrects.
      ...(l.mark
        ? { mark: ofdMark(l, r.type === 'correction' ? r.draft.correction!.operation : r.type) }
        : {}),
    })),
    payments: r.draft.payments.map((p) => ({ type: p.type, amount_kop: p.amountKop })),
    total_kop: r.totalKop,
    fiscal: {
      fd_number: f.fdNumber,
      fiscal_sign: f.fiscalSign,
      fn_number: f.fnNumber,
      kkt_reg_number: f.kktRegNumber,
      shift_number: f.shiftNumber,
      receipt_number: f.receiptNumber,
      fiscal_datetime: f.fiscalDatetime,
      qr: f.qr,
    },
    ...(r.draft.buyerContact ? { buyer_contact: r.draft.buyerContact } : {}),
    created_at: r.createdAt,
  };
}
