// Phase 1 of a sale, local only: validate → store durably → print on the KKT → record the fiscal
// attributes → answer. The OFD is not on this path at all; the sync worker picks printed receipts up.
// About 600 lines: the sale (with its permit and manager checks), corrections, its replay, reconciliation and the never-printed receipts share one print
// queue and one in-flight map; what stands alone lives beside it (receipt-request.ts, refund-rules.ts,
// pending-records.ts).
//
// Crash safety, line by line: the receipt is `printing` (committed durably) before the print command
// goes out: stored so in the same commit as the sale itself when the KKT is free, or `accepted` first
// when it must wait its turn. A crash before `printing` leaves a receipt that was never printed; a
// crash after it leaves one that is reconciled with the KKT's archive before anything else is printed.
// The `printed` commit does not wait for the disk (receipt-store.ts markPrinted says why that is safe):
// one station fsync per sale. Nothing is ever printed twice on a guess.
//
// Never-printed receipts. A receipt stays `accepted` when its request died with the station (a crash
// before `printing`, or recovery found it was not printed) and `print_failed` when the KKT refused it.
// The same request with the same key still prints it (the replay rule), but nobody may ever send it:
// unprinted() lists them for the manager (print or void, behind the PIN), and voidUnprinted() voids
// them after `unprintedTtlMs` (the station's timer) and at the shift's Z report, one journal entry each.
// A receipt this process is printing right now (in flight) is never listed, voided or counted as an
// orphan: its request is alive, and it counts against the capacity until it is printed or refused.
//
// Printed but not recorded (a full disk, a UNIQUE clash): pending-records.ts keeps the attributes and
// retries the commit; the caller gets a 202, never "failed". While one waits, nothing else is printed:
// a later FD recorded above it would raise the high-water mark past it, and a crash would then lose it
// from reconciliation.
//
// A KKT whose line is lost mid-print (issue #8) answers at once: 'refused' (nothing reached it) is
// 503 kkt_refused and the receipt is print_failed; 'outcome unknown' leaves it `printing` (202), and it
// is reconciled with the archive of the reopened device before anything else is printed. A status that
// says "not connected" is never read as "the archive is empty": reconciling against it would return a
// fiscalised receipt to `accepted` and print it twice. close() is bounded (`closeWaitMs`): a print that
// does not end in time stays `printing` and is reconciled at the next start.
import { randomUUID } from 'node:crypto';
import {
  fiscalQr,
  type FiscalAttributes,
  type Kkt,
  type KktDocument,
  type KktReceiptRequest,
  type KktStatus,
  type ReceiptOperation,
} from '../kkt/kkt.ts';
import { parseReceiptRequestDetailed, type CatalogLine } from './receipt-request.ts';
import { parseCorrectionRequest } from './correction-request.ts';
import { inheritSaleDetails } from './refund-details.ts';
import { discountReasons } from './discount-lines.ts';
import type { ReceiptDraft } from '../buffer/receipt-draft.ts';
import type { ReceiptStore } from '../buffer/receipt-store.ts';
import type { NewReceipt, StoredReceipt } from '../buffer/receipt-rows.ts';
import {
  ConflictError,
  KktError,
  KktRefusedError,
  KktUnavailableError,
  MarkRejectedError,
  NotFoundError,
  StationError,
} from '../../../shared/errors.ts';
import { checkIdempotencyKey } from '../idempotency.ts';
import { canonicalJson, sha256 } from '../util/canonical-json.ts';
import { Mutex } from '../util/mutex.ts';
import { finishesWithin } from '../util/finishes-within.ts';
import { PendingRecords } from './pending-records.ts';
import { checkArchivedSale, checkRefund, managerReasons } from './refund-rules.ts';
import { formatKopecks } from '../../../shared/money.ts';
import { isPrintable } from '../../../shared/receipt-states.ts';
import type { Logger } from '../logger.ts';

export interface FiscalServiceOptions {
  store: ReceiptStore;
  kkt: Kkt;
  capacity: () => number;
  log: Logger;
  /** Told after every receipt that reached `printed`, so the sync worker runs at once. */
  onPrinted?: (receipt: StoredReceipt) => void;
  /**
   * Told when the KKT has just printed a receipt at the station's request (not one settled by reconciliation):
   * the cash drawer opens. Called after the answer is decided; it must not throw.
   */
  afterPrint?: (receipt: StoredReceipt) => void;
  /** Extra refusal checks before a sale is stored (the shift rules). Throw a StationError to refuse. */
  beforeSale?: (draft: ReceiptDraft) => Promise<void>;
  /**
   * The permit-mode check of the marked lines (marking/permit-check.ts), before the receipt is stored:
   * returns the draft with each line's result, or throws MarkRejectedError (nothing stored).
   */
  checkPermits?: (draft: ReceiptDraft) => Promise<ReceiptDraft>;
  /** Checks before any receipt goes to the KKT (a new sale or a replayed one): free disk space, a lost buffer. */
  beforePrint?: () => Promise<void>;
  /** Frees the disk space kept for printed records (disk-guard.ts); true when some was freed. */
  releaseReserve?: () => boolean;
  /** The catalogue item a receipt line names by `code` (none: such lines are refused). */
  catalogItem?: (code: string) => CatalogLine | null;
  /** How long close() waits for the print on the KKT to be recorded (default 10 s). */
  closeWaitMs?: number;
  /** The cashier who opened the current shift (tags 1021/1203 of a receipt that names none), or null. */
  shiftCashier?: () => { name: string; inn?: string } | null;
  /** The largest discount a cashier gives without the manager, hundredths of a per cent (default 0). */
  discountLimit?: () => number;
}

export interface CreateOptions {
  /**
   * Checks the manager's PIN when the request needs it (resolves, or throws pin_required / pin_wrong /
   * pin_locked); `why` names what needs it. Absent: such a request is refused with pin_required.
   */
  approve?: (why: string) => Promise<void>;
}

/**
 * The idempotency fingerprint: the canonical JSON of the VALIDATED draft (kopecks, thousandths, VAT
 * codes), so 45.5 and "45.50", vat_rate 20 and "vat20", key order and unknown fields are the same sale;
 * anything that changes what is printed (a line, its order, a payment) is another. Prefixed so it can
 * never equal a fingerprint of the previous scheme.
 */
export function draftFingerprint(draft: ReceiptDraft): string {
  return sha256(`draft/v2:${canonicalJson(draft)}`);
}

/**
 * The previous versions' fingerprint: the canonical JSON of the raw body. Receipts they stored keep it;
 * a replay of the same body matches it. Null for a body too deep to serialise (never stored anyway).
 */
function legacyRequestHash(body: unknown): string | null {
  try {
    return sha256(canonicalJson(body));
  } catch {
    return null;
  }
}

/** How far back reconciliation looks: more documents than a shift change and a few cash operations. */
const RECONCILE_SCAN_LIMIT = 50;

export class FiscalService {
  private readonly printQueue = new Mutex();
  /** Receipts whose phase 1 runs now: a concurrent same-key request waits for the same outcome. */
  private readonly inFlight = new Map<string, Promise<StoredReceipt>>();
  private closing = false;
  /** Printed receipts whose `printed` commit failed, retried until recorded (pending-records.ts). */
  private readonly records: PendingRecords;

  constructor(private readonly o: FiscalServiceOptions) {
    this.records = new PendingRecords({
      store: o.store,
      log: o.log,
      onRecorded: (r) => o.onPrinted?.(r),
      releaseReserve: o.releaseReserve,
    });
  }

  /**
   * Creates and prints a receipt. Same key + same body → the original receipt (printed once);
   * same key + another body → 409. Resolves with a `printed` receipt, or with one still `printing`
   * when the KKT's answer was lost and the archive could not be read yet (it is never printed again
   * blindly). Throws StationError subclasses for everything a caller can act on.
   */
  async createReceipt(
    rawKey: string | undefined,
    body: unknown,
    opts: CreateOptions = {},
  ): Promise<{ receipt: StoredReceipt; replayed: boolean }> {
    const idempotencyKey = checkIdempotencyKey(rawKey, 'sale');
    const stored = this.o.store.findByIdempotencyKey(idempotencyKey);
    // A row stored by a version that fingerprinted the raw body, replayed with that very body: it is
    // the same request even if today's rules would word or refuse it differently.
    if (stored && stored.requestHash === legacyRequestHash(body))
      return { receipt: await this.replay(stored, null), replayed: true };
    const { draft, given } = parseReceiptRequestDetailed(body, this.o.catalogItem);
    return this.create(idempotencyKey, draft, stored, opts, (d) =>
      inheritSaleDetails(this.o.store, d, given),
    );
  }

  /**
   * Creates and prints a correction receipt (FFD 1.2 чек коррекции; correction-request.ts). Stored,
   * printed, replayed and synced exactly as a receipt: the same key rules, the same two phases.
   */
  async createCorrection(
    rawKey: string | undefined,
    body: unknown,
    opts: CreateOptions = {},
  ): Promise<{ receipt: StoredReceipt; replayed: boolean }> {
    const idempotencyKey = checkIdempotencyKey(rawKey, 'sale');
    const stored = this.o.store.findByIdempotencyKey(idempotencyKey);
    const draft = parseCorrectionRequest(body, new Date(), this.o.catalogItem);
    return this.create(idempotencyKey, draft, stored, opts, (d) => d);
  }

  /**
   * The shared tail of a new receipt: fingerprint the parsed draft (before anything this station adds,
   * so a replay matches whatever the shift is now), replay a stored one, else complete the draft
   * (`complete`, then the shift's cashier), store it `accepted` and print it.
   */
  private async create(
    idempotencyKey: string,
    parsed: ReceiptDraft,
    stored: StoredReceipt | null,
    opts: CreateOptions,
    complete: (draft: ReceiptDraft) => ReceiptDraft,
  ): Promise<{ receipt: StoredReceipt; replayed: boolean }> {
    const requestHash = draftFingerprint(parsed);
    if (stored) return { receipt: await this.replay(stored, requestHash), replayed: true };
    const draft = this.withShiftCashier(complete(parsed));

    await this.managerChecks(draft, opts);
    await this.o.beforeSale?.(draft);
    // The fingerprint above is of the request; the stored draft also carries the permit results.
    const checked = this.o.checkPermits ? await this.o.checkPermits(draft) : draft;
    // No await between the lookup above and the insert would be safe for a second same-key request,
    // but beforeSale awaits: the UNIQUE constraint is the real guard, and a loser replays the winner.
    const intake: NewReceipt = { id: randomUUID(), idempotencyKey, requestHash, draft: checked };
    try {
      // The KKT is free: the print job stores the receipt as `printing` in one commit (insertPrinting),
      // one fsync fewer. Busy: it is stored `accepted` now, durable while it waits for its turn.
      if (this.printQueue.idle && !this.closing)
        return { receipt: await this.print(intake.id, intake), replayed: false };
      this.storeAccepted(intake);
    } catch (e) {
      const winner =
        (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'
          ? this.o.store.findByIdempotencyKey(idempotencyKey)
          : null;
      if (winner && winner.id !== intake.id)
        return { receipt: await this.replay(winner, requestHash), replayed: true };
      throw e;
    }
    return { receipt: await this.print(intake.id), replayed: false };
  }

  private storeAccepted(r: NewReceipt): StoredReceipt {
    return this.o.store.insertAccepted(
      r,
      this.o.capacity(),
      () => checkRefund(this.o.store, r.draft),
      this.inFlightUnprinted(),
    );
  }

  /** Tags 1021 (and 1203) of a draft that names no cashier: the one who opened the shift. */
  private withShiftCashier(draft: ReceiptDraft): ReceiptDraft {
    if (draft.cashierName) return draft;
    const cashier = this.o.shiftCashier?.();
    if (!cashier) return draft;
    const out: ReceiptDraft = { ...draft, cashierName: cashier.name };
    if (cashier.inn && !draft.cashierInn) out.cashierInn = cashier.inn;
    return out;
  }

  /** `requestHash` null: already matched (a legacy fingerprint of the very same body). */
  private async replay(existing: StoredReceipt, requestHash: string | null): Promise<StoredReceipt> {
    // A row from an older version holds a raw-body fingerprint: compare the drafts themselves then.
    if (
      requestHash !== null &&
      existing.requestHash !== requestHash &&
      draftFingerprint(existing.draft) !== requestHash
    ) {
      throw new ConflictError(
        'idempotency_conflict',
        `Idempotency-Key ${existing.idempotencyKey} was already used for a different receipt (${existing.id}). Use a new key for a new sale.`,
        { receipt_id: existing.id },
      );
    }
    const pending = this.inFlight.get(existing.id);
    if (pending) return pending;
    if (this.records.waits(existing.id)) return this.records.recordNow(existing.id);
    // A receipt that never reached the KKT (a crash, or a refusal since fixed) is printed now: this is
    // its first fiscal document, not a second one. One left mid-print is settled with the KKT first.
    const settled = existing.status === 'printing' ? (await this.settle(existing.idempotencyKey))! : existing;
    return isPrintable(settled.status) ? this.print(existing.id) : settled;
  }

  /**
   * The settled outcome of an earlier attempt, without printing anything: null when the key was never
   * stored; a receipt left `printing` is first reconciled with the KKT archive (→ printed or accepted).
   * The cashier's screen asks this before it abandons an attempt for a changed receipt.
   */
  async settle(idempotencyKey: string): Promise<StoredReceipt | null> {
    const existing = this.o.store.findByIdempotencyKey(idempotencyKey);
    if (!existing) return null;
    const pending = this.inFlight.get(existing.id);
    if (pending) return pending.catch(() => this.o.store.get(existing.id)!);
    if (this.records.waits(existing.id)) return this.records.recordNow(existing.id);
    if (existing.status !== 'printing') return existing;
    return this.exclusive(async () => this.o.store.get(existing.id)!);
  }

  /** Retries printing a receipt that was not printed (`accepted` or `print_failed`). */
  async retryPrint(id: string): Promise<StoredReceipt> {
    const r = this.get(id);
    if (!isPrintable(r.status)) {
      throw new ConflictError(
        'not_printable',
        `Receipt ${id} is ${r.status}; only a receipt that was not printed can be printed again.`,
      );
    }
    return this.print(id);
  }

  voidReceipt(id: string, reason: string): StoredReceipt {
    const r = this.get(id);
    if (!isPrintable(r.status)) {
      throw new ConflictError(
        'not_voidable',
        `Receipt ${id} is ${r.status}; only a receipt that was not printed can be voided (a printed one needs a refund).`,
      );
    }
    if (this.inFlight.has(id)) {
      throw new ConflictError(
        'not_voidable',
        `Receipt ${id} is being printed right now; wait for the outcome, then void it if it was not printed.`,
      );
    }
    return this.o.store.voidReceipt(id, reason);
  }

  /** Stored, surely not fiscalised and not being printed now, oldest first: the manager prints or voids them. */
  unprinted(): StoredReceipt[] {
    return this.o.store.unprinted().filter((r) => !this.inFlight.has(r.id));
  }

  unprintedCount(): number {
    return this.o.store.unprintedCount() - this.inFlightUnprinted();
  }

  /**
   * Voids every never-printed receipt created before `createdBefore` (all of them when omitted), each in
   * its own transaction with its journal entry; one printed or voided meanwhile is left alone. Returns
   * how many were voided.
   */
  voidUnprinted(reason: string, createdBefore?: Date): number {
    let voided = 0;
    for (const r of this.unprinted()) {
      if (createdBefore && Date.parse(r.createdAt) >= createdBefore.getTime()) continue;
      try {
        this.o.store.voidReceipt(r.id, reason);
        voided++;
      } catch (e) {
        this.o.log.warn(`Receipt ${r.id}: not voided (${(e as Error).message})`);
      }
    }
    if (voided > 0) this.o.log.info(`Voided ${voided} never-printed receipt(s): ${reason}`);
    return voided;
  }

  /** In-flight receipts not yet `printing`: their requests are alive, so they count against the capacity. */
  private inFlightUnprinted(): number {
    let n = 0;
    for (const id of this.inFlight.keys()) {
      const status = this.o.store.statusOf(id);
      if (status && isPrintable(status)) n++;
    }
    return n;
  }

  get(id: string): StoredReceipt {
    const r = this.o.store.get(id);
    if (!r)
      throw new NotFoundError(`Receipt ${id} not found. Check the receipt_id returned when it was created.`);
    return r;
  }

  /**
   * For a clean stop: refuses new prints and waits for the one on the KKT to be recorded, at most
   * `closeWaitMs`; a print still running then stays `printing` and is reconciled at the next start.
   */
  async close(): Promise<void> {
    this.closing = true;
    const waitMs = this.o.closeWaitMs ?? 10_000;
    const drained = await finishesWithin(
      this.printQueue.run(async () => undefined),
      waitMs,
    );
    if (!drained)
      this.o.log.warn(
        `Stopping while a print is still running after ${waitMs} ms: it is reconciled with the KKT archive at the next start`,
      );
    this.records.stop();
  }

  /** The fiscal attributes of a printed receipt still waiting to be recorded, or null. */
  unrecordedPrint(id: string): FiscalAttributes | null {
    return this.records.attrs(id);
  }

  /** How many printed receipts wait to be recorded (health: unhealthy while any does). */
  unrecordedCount(): number {
    return this.records.count();
  }

  /**
   * A refund that needs the manager (refund-rules.ts managerReasons) is approved before anything is
   * stored; an old sale's FD is compared with the KKT's archive. A replay of a stored request skips this.
   */
  private async managerChecks(draft: ReceiptDraft, opts: CreateOptions): Promise<void> {
    const discounts = discountReasons(draft, this.o.discountLimit?.() ?? 0);
    const reasons = [...managerReasons(draft), ...discounts];
    if (reasons.length === 0) return;
    const why = reasons.join('; ');
    const what = draft.type === 'refund' ? 'refund' : 'sale';
    if (!opts.approve)
      throw new StationError(
        'pin_required',
        401,
        `This ${what} needs the manager PIN (${why}). Send it in the X-Manager-Pin header.`,
      );
    await opts.approve(why);
    if (discounts.length) return this.o.log.info(`Discount approved by the manager: ${why}`);
    if (draft.originalFiscal) {
      const doc = await this.o.kkt.document(draft.originalFiscal.fdNumber);
      checkArchivedSale(draft, doc);
      this.o.log.info(
        `Refund of FD ${draft.originalFiscal.fdNumber} (${formatKopecks(draft.originalFiscal.totalKop)}) approved by the manager${doc ? ', matched in the KKT archive' : ', not in the KKT archive (another FN)'}`,
      );
    } else this.o.log.info(`Refund approved by the manager: ${why}`);
  }

  /** At start-up, before any sale: settles every receipt a crash left in `printing`. */
  async recover(): Promise<void> {
    await this.printQueue.run(() => this.reconcilePrinting());
  }

  /** Prints a stored receipt, or a new one (`intake`) that the print job stores (readyToPrint). */
  private print(id: string, intake?: NewReceipt): Promise<StoredReceipt> {
    const running = this.inFlight.get(id);
    if (running) return running;
    if (this.closing) {
      return Promise.reject(
        new StationError(
          'station_stopping',
          503,
          `The station is stopping; receipt ${id} is stored but not printed. Send the same request again (same Idempotency-Key) once it is back.`,
        ),
      );
    }
    const job = this.printQueue
      .run(async () => {
        const receipt = await this.readyToPrint(id, intake);
        if (receipt.status !== 'printing') return receipt; // settled by reconciliation
        let attrs: FiscalAttributes;
        try {
          attrs = await this.o.kkt.printReceipt(toKktRequest(receipt.draft));
        } catch (e) {
          // A rejected marking code: nothing was printed, and printing it again cannot help. The
          // receipt is voided so it is never listed as one to print (docs/kkt.md «Marked goods»).
          if (e instanceof MarkRejectedError) {
            this.o.store.markPrintFailed(id, e.message);
            this.o.store.voidReceipt(id, `marking code of items[${e.info.line}] rejected: ${e.info.reason}`);
            throw new MarkRejectedError(e.info, id);
          }
          if (e instanceof KktError && e.failure === 'refused')
            throw new KktRefusedError(this.o.store.markPrintFailed(id, e.message), e);
          if (e instanceof KktError && e.fault.reason === 'total_mismatch') {
            // The FN holds a document with another total: it is not this sale (never record it as one),
            // and the archive cannot match it. print_failed lists it for the manager; the message names the FD.
            this.o.log.error(`Receipt ${id}: ${e.message}`);
            this.o.store.markPrintFailed(id, e.message);
            throw e;
          }
          // The KKT may have fiscalised it: ask its archive now, and if that fails the receipt stays
          // `printing` and is reconciled before the next print or at the next start.
          this.o.log.warn(
            `Receipt ${id}: print outcome unknown (${(e as Error).message}); reconciling with the KKT archive`,
          );
          await this.reconcilePrinting().catch((err: Error) =>
            this.o.log.error(`Receipt ${id}: reconciliation failed: ${err.message}`),
          );
          const after = this.o.store.get(id)!;
          if (after.status === 'accepted')
            throw new KktRefusedError(
              after,
              `the connection to the KKT failed before it printed (${(e as Error).message})`,
            );
          // Found printed in the archive: a sale like any other for what follows (the cash drawer).
          if (after.status === 'printed') this.o.afterPrint?.(after);
          return after;
        }
        const printed = this.records.record(id, attrs, 'printed');
        this.o.afterPrint?.(printed);
        return printed;
      })
      .finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, job);
    return job;
  }

  /**
   * In the print queue, before the KKT hears of a receipt: settles an interrupted print, runs the checks
   * before a fiscal document, then commits the receipt as `printing` (durably: the one commit the
   * station's crash safety rests on). A new receipt (`intake`) is inserted right here in that state, one
   * commit instead of `accepted` + `printing`; if the checks refuse, it is stored `accepted`, as if it
   * had waited for the KKT. Returns the receipt `printing`, or as reconciliation settled it.
   */
  private async readyToPrint(id: string, intake?: NewReceipt): Promise<StoredReceipt> {
    try {
      await this.reconcilePrinting();
    } catch (e) {
      if (intake) this.storeAccepted(intake);
      throw e;
    }
    if (!intake) {
      const current = this.o.store.get(id)!;
      if (!isPrintable(current.status)) return current;
    }
    try {
      await this.o.beforePrint?.();
    } catch (e) {
      const stored = intake ? this.storeAccepted(intake) : this.o.store.get(id)!;
      // Its checks ask the KKT (a new buffer is compared with it): a KKT that cannot answer refused the print.
      if (e instanceof KktError) throw new KktRefusedError(stored, e);
      throw e;
    }
    if (!intake) return this.o.store.markPrinting(id);
    return this.o.store.insertPrinting(
      intake,
      this.o.capacity(),
      () => checkRefund(this.o.store, intake.draft),
      this.inFlightUnprinted(),
    );
  }

  /**
   * For each receipt in `printing` (at most one, as prints are serialised), reads the KKT's documents
   * above the station's durable FD high-water mark (the highest FD it ever recorded): those are the
   * documents the station has not accounted for. A receipt document among them with the same operation
   * and total is this receipt: record it as printed. None: it was not printed; return it to `accepted`.
   * Scanning all of them, not just the last, matters: a shift opened or closed since the lost answer
   * must not hide the receipt (that would print it twice). If the KKT cannot be asked, throw and leave
   * it `printing`.
   */
  private async reconcilePrinting(): Promise<void> {
    this.records.assertNoneWaiting();
    for (const r of this.o.store.inState('printing')) {
      let found: KktDocument | null = null;
      let status: KktStatus;
      let from: number;
      try {
        status = await this.o.kkt.status();
        // Not connected: lastFdNumber is 0 because nobody answered, not because nothing was printed.
        if (!status.connected) throw new Error(status.problem ?? 'ККТ не отвечает');
        from = Math.max(
          this.o.store.highestRecordedFd(status.fnNumber) + 1,
          status.lastFdNumber - RECONCILE_SCAN_LIMIT + 1,
          1,
        );
        for (let fd = status.lastFdNumber; fd >= from && !found; fd--) {
          const doc = await this.o.kkt.document(fd);
          if (isDocumentOf(doc, r)) found = doc;
        }
        if (found && found.fdNumber === status.lastFdNumber)
          found = (await this.o.kkt.lastDocument()) ?? found; // carries shift and receipt numbers
      } catch (e) {
        throw new KktUnavailableError(r.id, (e as Error).message);
      }
      if (found) {
        const attrs: FiscalAttributes = {
          fdNumber: found.fdNumber,
          fiscalSign: found.fiscalSign,
          fnNumber: status.fnNumber,
          kktRegNumber: status.kktRegNumber,
          shiftNumber: found.shiftNumber ?? status.shiftNumber,
          receiptNumber: found.receiptNumber ?? 0,
          fiscalDatetime: found.fiscalDatetime,
          totalKop: r.totalKop,
          changeKop: r.draft.changeKop,
          qr: fiscalQr({
            ...found,
            totalKop: r.totalKop,
            fnNumber: status.fnNumber,
            operation: kktOperation(r.draft),
          }),
        };
        this.o.log.info(`Receipt ${r.id}: found as FD ${found.fdNumber} in the KKT archive`);
        this.records.record(r.id, attrs, 'recovered');
      } else {
        const why =
          from > status.lastFdNumber
            ? `no document after FD ${status.lastFdNumber}, the last one recorded`
            : `no matching receipt among FD ${from}–${status.lastFdNumber}`;
        this.o.store.returnToAccepted(r.id, why);
        this.o.log.info(`Receipt ${r.id}: not printed (${why}); returned to accepted`);
      }
    }
    this.records.assertNoneWaiting();
  }

  /**
   * Runs another KKT operation (shift, reports, cash) in the print queue, after any interrupted print
   * was reconciled: a document printed between a lost answer and its reconciliation would otherwise
   * be one more thing to look past.
   */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.printQueue.run(async () => {
      await this.reconcilePrinting();
      return task();
    });
  }

  /** True while a receipt waits for reconciliation (the KKT's answer was lost). */
  hasUnsettledPrint(): boolean {
    return this.o.store.inState('printing').length > 0;
  }
}

/** 1054 of a draft on the KKT: a correction receipt corrects a sale or a refund. */
function kktOperation(d: ReceiptDraft): ReceiptOperation {
  return d.type === 'correction' ? d.correction!.operation : d.type;
}

/** Whether an archive document is this receipt: its kind, operation and total. */
function isDocumentOf(doc: KktDocument | null, r: StoredReceipt): boolean {
  return (
    doc?.kind === (r.type === 'correction' ? 'correction' : 'receipt') &&
    doc.operation === kktOperation(r.draft) &&
    doc.totalKop === r.totalKop
  );
}

function toKktRequest(d: ReceiptDraft): KktReceiptRequest {
  return {
    operation: kktOperation(d),
    lines: d.items,
    cashKop: d.cashKop,
    cardKop: d.cardKop,
    otherKop: d.otherKop,
    cashierName: d.cashierName,
    cashierInn: d.cashierInn,
    buyerContact: d.buyerContact,
    correction: d.correction && {
      kind: d.correction.kind,
      reasonDate: d.correction.reasonDate,
      reasonNumber: d.correction.reasonNumber,
    },
  };
}
