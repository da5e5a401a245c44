// The shift lifecycle as the station runs it: open, X report, Z report, cash in/out, and the rule that
// a shift older than 24 hours blocks sales until the Z report. The KKT is the authority on the shift;
// the station keeps its own totals (from the receipts it printed and the cash it moved) so the X and Z
// reports can show them whether the OFD is reachable or not, and can be compared with the device's.
// Just over 400 lines: the 24-hour rule, the reports and the cash operations share the shift's state.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../buffer/database.ts';
import type { Journal } from '../buffer/journal.ts';
import type { Kkt, KktShiftReport, KktStatus } from '../kkt/kkt.ts';
import type { ReceiptDraft, ReceiptType } from '../buffer/receipt-draft.ts';
import { ConflictError, ShiftExpiredError, StationError } from '../../../shared/errors.ts';
import { formatKopecks } from '../../../shared/money.ts';
import { FISCALISED_STATES } from '../../../shared/receipt-states.ts';
import { checkIdempotencyKey } from '../idempotency.ts';
import type { Logger } from '../logger.ts';

export const SHIFT_LIMIT_MS = 24 * 60 * 60 * 1000;

export interface PaymentTotals {
  count: number;
  cashKop: number;
  cardKop: number;
  otherKop: number;
  totalKop: number;
}

/**
 * What the station itself counted in a shift. Cash is net of change given. A correction receipt counts
 * as the KKT counts it: with the sales (a corrected приход) or the refunds (a corrected возврат), and
 * again in `corrections`, as the FN's shift report has its own correction counters.
 */
export interface ShiftTotals {
  shiftNumber: number;
  receipts: number;
  sales: PaymentTotals;
  refunds: PaymentTotals;
  corrections: { count: number; saleKop: number; refundKop: number };
  cashInKop: number;
  cashOutKop: number;
  /** Cash that should be in the drawer from this shift's movements (sales − refunds + in − out). */
  cashBalanceKop: number;
}

export interface ShiftState {
  open: boolean;
  shiftNumber: number;
  openedAt: string | null;
  /** Minutes since the shift opened, by the station's clock. */
  ageMinutes: number | null;
  /** Older than 24 hours: sales are blocked until the Z report. */
  expired: boolean;
  totals: ShiftTotals;
  kkt: KktStatus;
}

export interface ShiftReport {
  kind: 'x' | 'z';
  station: ShiftTotals;
  device: KktShiftReport;
}

export interface CashOperation {
  kind: 'in' | 'out';
  amountKop: number;
  documentNumber: number;
  cashInDrawerKop: number;
}

export interface CashOptions {
  cashier?: string;
  /** Same key, same operation → the first result; the drawer moves once. */
  idempotencyKey?: string;
}

const emptyTotals = (): PaymentTotals => ({ count: 0, cashKop: 0, cardKop: 0, otherKop: 0, totalKop: 0 });

export class ShiftService {
  /** The last KKT status seen: the sale path checks the 24 h rule against it without a device round trip. */
  private last: KktStatus | null = null;
  private readonly cashInFlight = new Map<string, Promise<CashOperation>>();
  private cashierQuery: Statement | null = null;

  constructor(
    private readonly o: {
      db: Db;
      journal: Journal;
      kkt: Kkt;
      log: Logger;
      now?: () => Date;
      /** Runs a KKT operation in the print queue after any interrupted print is reconciled (FiscalService.exclusive). */
      exclusive: <T>(task: () => Promise<T>) => Promise<T>;
      /** Told after the Z report is recorded (the station voids the receipts never printed in the shift). */
      onClosed?: (shiftNumber: number) => void;
      /** Told when the remembered KKT status was refreshed, so the screens can show it without waiting. */
      onStatus?: () => void;
      /** Told after a cash in/out was done and recorded (the cash drawer opens); must not throw. */
      onCash?: (kind: 'in' | 'out', amountKop: number) => void;
    },
  ) {}

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  /** Asks the KKT for its status and remembers it. */
  async refresh(): Promise<KktStatus> {
    const status = await this.o.kkt.status();
    this.last = status;
    this.o.onStatus?.();
    return status;
  }

  lastKnownStatus(): KktStatus | null {
    return this.last;
  }

  /**
   * After a print: the receipt's attributes update the remembered status without a device round trip.
   * A receipt in a shift we did not know of (the KKT opened one on the first sale) asks the KKT for
   * the new shift's details in the background, so the 24-hour rule knows when it began; so does one
   * printed while the remembered printer had no paper (the driver continued the printout), or the
   * till would say «закончилась бумага» over the receipt just printed until the next poll.
   */
  notePrinted(f: { fdNumber: number; shiftNumber: number }): void {
    const s = this.last;
    const paperWasOut = s?.printer === 'paper_out' || s?.printer === 'awaiting_continue' || !s?.paperPresent;
    if (s && s.shiftOpen && s.shiftNumber === f.shiftNumber && !paperWasOut) {
      this.last = { ...s, lastFdNumber: Math.max(s.lastFdNumber, f.fdNumber) };
      return;
    }
    void this.refresh().catch((e: Error) => this.o.log.warn(`KKT status after a print failed: ${e.message}`));
  }

  /** Refuses a sale before anything is stored when the shift is known to be over 24 hours old. */
  checkSaleAllowed(): void {
    const s = this.last;
    if (s?.shiftOpen && this.isExpired(s)) throw new ShiftExpiredError(s.shiftNumber, s.shiftOpenedAt);
  }

  private isExpired(s: KktStatus): boolean {
    if (!s.shiftOpen) return false;
    if (s.shiftExpired) return true;
    const opened = s.shiftOpenedAt ? Date.parse(s.shiftOpenedAt) : NaN; // KKT local time, parsed as local
    return Number.isFinite(opened) && this.now().getTime() - opened > SHIFT_LIMIT_MS;
  }

  async state(): Promise<ShiftState> {
    const kkt = await this.refresh();
    const openedMs = kkt.shiftOpenedAt ? Date.parse(kkt.shiftOpenedAt) : NaN;
    return {
      open: kkt.shiftOpen,
      shiftNumber: kkt.shiftNumber,
      openedAt: kkt.shiftOpen ? kkt.shiftOpenedAt : null,
      ageMinutes:
        kkt.shiftOpen && Number.isFinite(openedMs)
          ? Math.max(0, Math.floor((this.now().getTime() - openedMs) / 60_000))
          : null,
      expired: this.isExpired(kkt),
      totals: this.totals(kkt.fnNumber, kkt.shiftNumber),
      kkt,
    };
  }

  /**
   * The cashier who opened the current shift through the station (tags 1021/1203 of every document in
   * it that names no cashier), from the last KKT status seen; null when unknown.
   */
  currentCashier(): { name: string; inn?: string } | null {
    const s = this.last;
    if (!s?.shiftOpen) return null;
    // Asked for every sale without a cashier: prepared once, not per sale.
    this.cashierQuery ??= this.o.db.prepare(
      `SELECT opened_by, opened_by_inn FROM shifts WHERE fn_number = ? AND number = ? AND closed_at IS NULL`,
    );
    const row = this.cashierQuery.get(s.fnNumber, s.shiftNumber) as
      { opened_by: string | null; opened_by_inn: string | null } | undefined;
    if (!row?.opened_by) return null;
    return row.opened_by_inn ? { name: row.opened_by, inn: row.opened_by_inn } : { name: row.opened_by };
  }

  async open(cashierName?: string, cashierInn?: string): Promise<ShiftState> {
    const doc = await this.o.exclusive(() => this.o.kkt.openShift(cashierName, cashierInn));
    const status = await this.refresh();
    if (!doc.alreadyOpen) {
      this.o.db
        .transaction(() => {
          this.o.db
            .prepare(
              `INSERT OR IGNORE INTO shifts (fn_number, number, opened_at, opened_by, opened_by_inn, open_fd) VALUES (?, ?, ?, ?, ?, ?)`,
            )
            .run(
              status.fnNumber,
              doc.shiftNumber,
              doc.fiscalDatetime,
              cashierName ?? null,
              (cashierName && cashierInn) || null,
              doc.fdNumber,
            );
          this.o.journal.append(
            'shift_opened',
            `Shift ${doc.shiftNumber} opened${cashierName ? ` by ${cashierName}` : ''} (FD ${doc.fdNumber})`,
            null,
            { shift_number: doc.shiftNumber, cashier: cashierName ?? null, fd_number: doc.fdNumber },
          );
        })
        .immediate();
    }
    return this.state();
  }

  async xReport(): Promise<ShiftReport> {
    const status = await this.refresh();
    if (!status.shiftOpen)
      throw new ConflictError(
        'shift_closed',
        'The shift is closed: there is nothing to report. Open a shift first.',
      );
    const device = await this.o.exclusive(() => this.o.kkt.xReport());
    const station = this.totals(status.fnNumber, device.shiftNumber);
    this.o.journal.append(
      'x_report',
      `X report for shift ${device.shiftNumber}: sales ${formatKopecks(station.sales.totalKop)}, refunds ${formatKopecks(station.refunds.totalKop)}`,
      null,
      {
        shift_number: device.shiftNumber,
        sales_kop: station.sales.totalKop,
        refunds_kop: station.refunds.totalKop,
      },
    );
    return { kind: 'x', station, device };
  }

  /** Z report; signed by `cashierName` (and `cashierInn`), else by the cashier who opened the shift. */
  async close(cashierName?: string, cashierInn?: string): Promise<ShiftReport> {
    const status = await this.refresh();
    if (!status.shiftOpen) throw new ConflictError('shift_closed', 'The shift is already closed.');
    const opener = cashierName ? null : this.currentCashier();
    const device = await this.o.exclusive(() =>
      this.o.kkt.closeShift(cashierName ?? opener?.name, cashierName ? cashierInn : opener?.inn),
    );
    const station = this.totals(status.fnNumber, device.shiftNumber);
    this.o.db
      .transaction(() => {
        this.o.db
          .prepare(`INSERT OR IGNORE INTO shifts (fn_number, number, opened_at) VALUES (?, ?, ?)`)
          .run(status.fnNumber, device.shiftNumber, status.shiftOpenedAt ?? this.now().toISOString());
        this.o.db
          .prepare(
            `UPDATE shifts SET closed_at = ?, closed_by = ?, close_fd = ?, close_fp = ?, z_totals = ? WHERE fn_number = ? AND number = ?`,
          )
          .run(
            device.fiscalDatetime ?? this.now().toISOString(),
            cashierName ?? null,
            device.fdNumber,
            device.fiscalSign,
            JSON.stringify(station),
            status.fnNumber,
            device.shiftNumber,
          );
        this.o.journal.append(
          'shift_closed',
          `Shift ${device.shiftNumber} closed with the Z report${device.fdNumber ? ` (FD ${device.fdNumber})` : ''}: sales ${formatKopecks(station.sales.totalKop)}, refunds ${formatKopecks(station.refunds.totalKop)}`,
          null,
          {
            shift_number: device.shiftNumber,
            fd_number: device.fdNumber ?? null,
            sales_kop: station.sales.totalKop,
            refunds_kop: station.refunds.totalKop,
          },
        );
      })
      .immediate();
    try {
      this.o.onClosed?.(device.shiftNumber);
    } catch (e) {
      this.o.log.error(`After the Z report of shift ${device.shiftNumber}: ${(e as Error).message}`);
    }
    await this.refresh();
    return { kind: 'z', station, device };
  }

  async cashIn(amountKop: number, opts: CashOptions = {}): Promise<CashOperation> {
    return this.cash('in', amountKop, opts);
  }

  async cashOut(amountKop: number, opts: CashOptions = {}): Promise<CashOperation> {
    return this.cash('out', amountKop, opts);
  }

  /**
   * Cash in/out with an optional idempotency key: the same key and the same operation answer the
   * first result (a retried call or a double click moves the drawer once); the same key for another
   * operation is 409. A concurrent repeat waits for the first.
   */
  private cash(kind: 'in' | 'out', amountKop: number, opts: CashOptions): Promise<CashOperation> {
    if (opts.idempotencyKey === undefined) return this.doCash(kind, amountKop, opts);
    const key = checkIdempotencyKey(opts.idempotencyKey, 'operation');
    const stored = this.o.db
      .prepare(`SELECT kind, amount_kop, document_number FROM cash_operations WHERE idempotency_key = ?`)
      .get(key) as { kind: 'in' | 'out'; amount_kop: number; document_number: number } | undefined;
    if (stored) {
      if (stored.kind !== kind || stored.amount_kop !== amountKop) {
        throw new ConflictError(
          'idempotency_conflict',
          `Idempotency-Key ${key} was already used for cash ${stored.kind} ${formatKopecks(stored.amount_kop)}. Use a new key for a new operation.`,
        );
      }
      return Promise.resolve({
        kind,
        amountKop,
        documentNumber: stored.document_number,
        cashInDrawerKop: this.drawerBalance(),
      });
    }
    const running = this.cashInFlight.get(key);
    if (running) return running;
    const job = this.doCash(kind, amountKop, opts).finally(() => this.cashInFlight.delete(key));
    this.cashInFlight.set(key, job);
    return job;
  }

  /** A replay answers with the drawer as the station counts it now (the KKT's figure is not kept per document). */
  private drawerBalance(): number {
    const s = this.last;
    return s ? this.totals(s.fnNumber, s.shiftNumber).cashBalanceKop : 0;
  }

  private async doCash(kind: 'in' | 'out', amountKop: number, opts: CashOptions): Promise<CashOperation> {
    const cashier = opts.cashier;
    if (!Number.isInteger(amountKop) || amountKop <= 0)
      throw new StationError(
        'validation_error',
        422,
        'amount must be a positive amount in roubles with at most 2 decimals, e.g. 500.00',
      );
    const status = await this.refresh();
    if (!status.shiftOpen)
      throw new ConflictError(
        'shift_closed',
        `Cash ${kind === 'in' ? 'in' : 'out'} needs an open shift. Open the shift first.`,
      );
    if (kind === 'out') {
      const balance = this.totals(status.fnNumber, status.shiftNumber).cashBalanceKop;
      if (amountKop > balance) {
        throw new ConflictError(
          'not_enough_cash',
          `Cash out ${formatKopecks(amountKop)} is more than this shift's cash in the drawer (${formatKopecks(balance)}).`,
        );
      }
    }
    const op = await this.o.exclusive(() =>
      kind === 'in' ? this.o.kkt.cashIn(amountKop) : this.o.kkt.cashOut(amountKop),
    );
    this.o.db
      .transaction(() => {
        this.o.db
          .prepare(
            `INSERT INTO cash_operations (fn_number, shift_number, kind, amount_kop, document_number, at, cashier, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            status.fnNumber,
            status.shiftNumber,
            kind,
            amountKop,
            op.documentNumber,
            this.now().toISOString(),
            cashier ?? null,
            opts.idempotencyKey ?? null,
          );
        this.o.journal.append(
          kind === 'in' ? 'cash_in' : 'cash_out',
          `Cash ${kind} ${formatKopecks(amountKop)} (document ${op.documentNumber})`,
          null,
          { amount_kop: amountKop, document_number: op.documentNumber },
        );
      })
      .immediate();
    this.o.onCash?.(kind, amountKop);
    return { kind, amountKop, documentNumber: op.documentNumber, cashInDrawerKop: op.cashInDrawerKop };
  }

  /** The station's own totals for a shift, from the fiscalised receipts and the cash operations. */
  totals(fnNumber: string, shiftNumber: number): ShiftTotals {
    const sales = emptyTotals();
    const refunds = emptyTotals();
    const rows = this.o.db
      .prepare(
        // fd_number IS NOT NULL (true of every fiscalised receipt) lets SQLite read the shift's receipts
        // through receipts_by_shift instead of every synced receipt the buffer keeps.
        `SELECT type, draft, change_kop FROM receipts WHERE fn_number = ? AND shift_number = ? AND fd_number IS NOT NULL AND status IN (SELECT value FROM json_each(?))`,
      )
      .all(fnNumber, shiftNumber, JSON.stringify(FISCALISED_STATES)) as {
      type: ReceiptType;
      draft: string;
      change_kop: number | null;
    }[];
    const corrections = { count: 0, saleKop: 0, refundKop: 0 };
    for (const row of rows) {
      const d = JSON.parse(row.draft) as Pick<
        ReceiptDraft,
        'cashKop' | 'cardKop' | 'otherKop' | 'totalKop' | 'correction'
      >;
      const operation = row.type === 'correction' ? d.correction!.operation : row.type;
      if (row.type === 'correction') {
        corrections.count++;
        if (operation === 'sale') corrections.saleKop += d.totalKop;
        else corrections.refundKop += d.totalKop;
      }
      const t = operation === 'sale' ? sales : refunds;
      t.count++;
      t.cashKop += d.cashKop - (row.change_kop ?? 0);
      t.cardKop += d.cardKop;
      t.otherKop += d.otherKop;
      t.totalKop += d.totalKop;
    }
    const cash = this.o.db
      .prepare(
        `SELECT kind, coalesce(sum(amount_kop), 0) AS kop FROM cash_operations WHERE fn_number = ? AND shift_number = ? GROUP BY kind`,
      )
      .all(fnNumber, shiftNumber) as { kind: 'in' | 'out'; kop: number }[];
    const cashInKop = cash.find((c) => c.kind === 'in')?.kop ?? 0;
    const cashOutKop = cash.find((c) => c.kind === 'out')?.kop ?? 0;
    return {
      shiftNumber,
      receipts: sales.count + refunds.count,
      sales,
      refunds,
      corrections,
      cashInKop,
      cashOutKop,
      cashBalanceKop: sales.cashKop - refunds.cashKop + cashInKop - cashOutKop,
    };
  }
}
