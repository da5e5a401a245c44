// The station's `Kkt` over the Shtrih-M protocol: status, shift lifecycle, cash in/out and the fiscal
// archive on any ByteChannel (serial port, TCP, or the in-process byte-level emulator, wired in
// src/main/app/open-kkt.ts). Receipts are in shtrih/receipt-flow.ts, single commands and printer waits
// in shtrih/session.ts.
//
// Every public operation is serialised: a receipt or a shift report is a sequence of commands nobody
// may interleave. The failure contract is KktFailure's (src/shared/errors.ts): a refusal means nothing was done, an
// unknown outcome is reconciled with the fiscal archive, never retried blindly.
//
// A lost line (the link's `lost`, shtrih/link.ts) makes this handle useless for good: `lineLost` tells
// its owner (connect-on-demand.ts) to open a new one. `close()` is bounded: the operation in progress
// gets `closeWaitMs` to finish, then the link is closed under it (it ends as refused or outcome unknown,
// which the fiscal service reconciles at the next start), so a station always stops.

import {
  type FiscalAttributes,
  type KktCashOperation,
  type KktDocument,
  type KktPaymentTotals,
  type KktReceiptRequest,
  type KktShiftDocument,
  type KktShiftReport,
  type KktStatus,
  type Kkt,
} from './kkt.ts';
import { KktError } from '../../../shared/errors.ts';
import type { ByteChannel } from '../../../shtrih-protocol/channel.ts';
import { dateTimeIso } from '../../../shtrih-protocol/bytes.ts';
import { Cmd, DeviceMode, commandCodeOf, commandName } from '../../../shtrih-protocol/codes.ts';
import { DeviceErrorCode } from '../../../shtrih-protocol/device-errors.ts';
import { cancelReceiptRequest, continuePrintRequest } from '../../../shtrih-protocol/receipt-commands.ts';
import {
  CashRegisterNo,
  OperationRegisterNo,
  beginCloseShiftRequest,
  beginOpenShiftRequest,
  cashInRequest,
  cashOutRequest,
  openShiftRequest,
  parseCashInOutAnswer,
  xReportRequest,
  zReportRequest,
} from '../../../shtrih-protocol/shift-commands.ts';
import { ArchiveDocType, type ArchiveDocument } from '../../../shtrih-protocol/status-commands.ts';
import { writeTlvRequest } from '../../../shtrih-protocol/tlv.ts';
import { SHTRIH_VAT_BYTES, type VatByteMap } from '../../../shtrih-protocol/vat.ts';
import { ShtrihLink, type LinkOptions } from './shtrih/link.ts';
import { printReceipt } from './shtrih/receipt-flow.ts';
import { cashierTlvs } from './shtrih/requisites.ts';
import { ShtrihSession } from './shtrih/session.ts';
import { readStatus } from './shtrih/status-flow.ts';
import { finishesWithin } from '../util/finishes-within.ts';

export interface ShtrihKktOptions {
  label?: string;
  /** True for the emulator: shown to the cashier, never a fiscal device. */
  emulated?: boolean;
  /** Password for receipts, shift opening and cash operations (30 = sysadmin, as the Go/PHP drivers use). */
  operatorPassword?: number;
  /** Password for X/Z reports (29 admin or 30 sysadmin). */
  adminPassword?: number;
  /** Tag 1055 bit of the registered tax system (1 = ОСН). */
  taxSystem?: number;
  /** VatCode → FF46h byte; override for Shtrih-Nano or older firmware (see src/shtrih-protocol/vat.ts). */
  vatBytes?: VatByteMap;
  /** Open the shift automatically before the first receipt of the day. Default true. */
  autoOpenShift?: boolean;
  /** How long to wait for the printer to finish a document before giving up waiting (not failing). */
  printWaitMs?: number;
  pollIntervalMs?: number;
  link?: Partial<LinkOptions>;
  log?: (line: string) => void;
  /** Device errors (code, hex, the device's words, the command); default `log`. */
  warn?: (line: string) => void;
  /** Extra cleanup on close (the in-process emulator). */
  onClose?: () => Promise<void>;
  /** How long close() lets the operation in progress finish before closing the link under it. */
  closeWaitMs?: number;
}

export class ShtrihKkt implements Kkt {
  readonly label: string;
  readonly emulated: boolean;
  private readonly link: ShtrihLink;
  private readonly session: ShtrihSession;
  private readonly opPwd: number;
  private readonly adminPwd: number;
  private readonly taxSystem: number;
  private readonly vatBytes: VatByteMap;
  private readonly autoOpenShift: boolean;
  private readonly log: (line: string) => void;
  private readonly onClose?: () => Promise<void>;
  private readonly closeWaitMs: number;
  private shiftOpenedAtCache: { shift: number; at: string | null } | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(channel: ByteChannel, options: ShtrihKktOptions = {}) {
    this.emulated = options.emulated ?? false;
    this.label =
      options.label ??
      (this.emulated ? 'Эмулятор ККТ Штрих-М (не фискальное устройство)' : `ККТ Штрих-М ${channel.label}`);
    this.log = options.log ?? (() => undefined);
    this.link = new ShtrihLink(channel, { log: this.log, ...options.link });
    this.opPwd = options.operatorPassword ?? 30;
    this.adminPwd = options.adminPassword ?? 30;
    this.taxSystem = options.taxSystem ?? 1;
    this.vatBytes = options.vatBytes ?? SHTRIH_VAT_BYTES;
    this.autoOpenShift = options.autoOpenShift ?? true;
    this.session = new ShtrihSession(this.link, {
      operatorPassword: this.opPwd,
      printWaitMs: options.printWaitMs ?? 120_000,
      pollIntervalMs: options.pollIntervalMs ?? 100,
      log: this.log,
      warn: options.warn ?? this.log,
    });
    this.onClose = options.onClose;
    this.closeWaitMs = options.closeWaitMs ?? 5_000;
  }

  /** Why the line to the device is gone for good (open a new ShtrihKkt), or null while it works. */
  get lineLost(): string | null {
    return this.link.lost;
  }

  // ------------------------------------------------------------------ Kkt

  printReceipt(request: KktReceiptRequest): Promise<FiscalAttributes> {
    return this.serial(() =>
      printReceipt(this.session, request, {
        taxSystem: this.taxSystem,
        vatBytes: this.vatBytes,
        openShift: this.autoOpenShift ? (name, inn) => this.doOpenShift(name, inn) : null,
      }),
    );
  }

  lastDocument(): Promise<KktDocument | null> {
    return this.serial(async () => {
      const fn = await this.session.fnStatus();
      if (fn.lastFdNumber === 0) return null;
      const doc = await this.session.document(fn.lastFdNumber);
      if (doc?.kind === 'receipt' || doc?.kind === 'correction') {
        // FF40h describes the last closed receipt, which is this document.
        const shift = await this.session.shiftParameters();
        doc.shiftNumber = shift.shiftNumber;
        doc.receiptNumber = shift.receiptNumber;
      }
      return doc;
    });
  }

  document(fdNumber: number): Promise<KktDocument | null> {
    return this.serial(() => this.session.document(fdNumber));
  }

  status(): Promise<KktStatus> {
    return this.serial(() => this.doStatus());
  }

  async close(): Promise<void> {
    if (!(await finishesWithin(this.queue, this.closeWaitMs)))
      this.log(`close: the operation in progress did not end in ${this.closeWaitMs} ms, closing under it`);
    await this.link.close();
    await this.onClose?.();
  }

  // ------------------------------------------------------------------ shift lifecycle

  openShift(cashierName?: string, cashierInn?: string): Promise<KktShiftDocument> {
    return this.serial(() => this.doOpenShift(cashierName, cashierInn));
  }

  xReport(): Promise<KktShiftReport> {
    return this.serial(async () => {
      const st = await this.session.readyForPrinting();
      if (st.mode === DeviceMode.RECEIPT_OPEN) await this.session.cancelOpenReceipt();
      const report = await this.readCounters('x');
      await this.session.exec(xReportRequest(this.adminPwd));
      await this.session.waitForPrint();
      report.unsentCount = (await this.session.ofdStatus()).unsentCount;
      return report;
    });
  }

  closeShift(cashierName?: string, cashierInn?: string): Promise<KktShiftReport> {
    return this.serial(async () => {
      const st = await this.session.readyForPrinting();
      if (st.mode === DeviceMode.SHIFT_CLOSED)
        throw new KktError('refused', 'Смена уже закрыта', { reason: 'shift_closed' });
      if (st.mode === DeviceMode.RECEIPT_OPEN) await this.session.cancelOpenReceipt();
      // Z clears the shift registers: read them first.
      const report = await this.readCounters('z');
      await this.sendShiftTags(beginCloseShiftRequest(this.opPwd), cashierName, cashierInn);
      try {
        await this.session.exec(zReportRequest(this.adminPwd));
      } catch (err) {
        // Re-sync after a lost answer: if the shift is closed now, the Z report was made and only its answer was lost.
        if (
          !(err instanceof KktError && err.failure === 'outcome_unknown') ||
          (await this.session.fnStatus()).shiftOpen
        )
          throw err;
        this.log('41h answer lost, but the FN shows the shift closed: continuing');
      }
      await this.session.waitForPrint();
      const fn = await this.session.fnStatus();
      const doc = await this.session.archiveDocument(fn.lastFdNumber);
      if (doc?.docType === ArchiveDocType.SHIFT_CLOSE) {
        report.fdNumber = doc.fdNumber;
        report.fiscalSign = doc.fiscalSign;
        report.fiscalDatetime = dateTimeIso(doc.datetime);
      }
      report.unsentCount = (await this.session.ofdStatus()).unsentCount;
      return report;
    });
  }

  cashIn(amountKop: number): Promise<KktCashOperation> {
    return this.serial(() => this.cashInOut(true, amountKop));
  }

  cashOut(amountKop: number): Promise<KktCashOperation> {
    return this.serial(() => this.cashInOut(false, amountKop));
  }

  cancelReceipt(): Promise<boolean> {
    return this.serial(async () => {
      const st = await this.session.shortStatus();
      if (st.mode !== DeviceMode.RECEIPT_OPEN) return false;
      await this.session.exec(cancelReceiptRequest(this.opPwd));
      return true;
    });
  }

  continuePrint(): Promise<void> {
    return this.serial(async () => {
      await this.session.exec(continuePrintRequest(this.opPwd));
      await this.session.waitForPrint();
    });
  }

  // ------------------------------------------------------------------ flows

  private async doOpenShift(cashierName?: string, cashierInn?: string): Promise<KktShiftDocument> {
    let st = await this.session.readyForPrinting();
    if (st.mode === DeviceMode.RECEIPT_OPEN) {
      await this.session.cancelOpenReceipt(); // a receipt can only be open inside an open shift
      st = await this.session.shortStatus();
    }
    if (st.mode === DeviceMode.SHIFT_EXPIRED)
      throw this.session.deviceError(DeviceErrorCode.SHIFT_24H, Cmd.SHORT_STATUS, undefined);
    if (st.mode === DeviceMode.SHIFT_OPEN)
      return { ...(await this.currentShiftDocument()), alreadyOpen: true };
    await this.sendShiftTags(beginOpenShiftRequest(this.opPwd), cashierName, cashierInn);
    try {
      await this.session.exec(openShiftRequest(this.opPwd));
    } catch (err) {
      if (
        !(err instanceof KktError && err.failure === 'outcome_unknown') ||
        !(await this.session.fnStatus()).shiftOpen
      )
        throw err;
      this.log('E0h answer lost, but the FN shows the shift open: continuing');
    }
    await this.session.waitForPrint();
    return { ...(await this.currentShiftDocument()), alreadyOpen: false };
  }

  /** The shift-open document of the current shift (FF40h + a backward FF0Ah search). */
  private async currentShiftDocument(): Promise<Omit<KktShiftDocument, 'alreadyOpen'>> {
    const shift = await this.session.shiftParameters();
    const doc = await this.findShiftOpenDocument(shift.shiftNumber);
    if (!doc)
      throw new KktError('refused', `Не найден отчёт об открытии смены №${shift.shiftNumber} в архиве ФН`);
    return {
      shiftNumber: shift.shiftNumber,
      fdNumber: doc.fdNumber,
      fiscalSign: doc.fiscalSign,
      fiscalDatetime: dateTimeIso(doc.datetime),
    };
  }

  private async findShiftOpenDocument(shiftNumber: number, maxScan = 300): Promise<ArchiveDocument | null> {
    const { lastFdNumber } = await this.session.fnStatus();
    for (let fd = lastFdNumber; fd > 0 && fd > lastFdNumber - maxScan; fd--) {
      const doc = await this.session.archiveDocument(fd);
      if (doc?.docType === ArchiveDocType.SHIFT_OPEN && doc.shiftNumber === shiftNumber) return doc;
      if (doc?.docType === ArchiveDocType.SHIFT_CLOSE) return null; // went past the current shift
    }
    return null;
  }

  /**
   * FF41h/FF42h + FF0Ch 1021 (the default cashier when none is named) and 1203, so the cashier is in the
   * shift report; skipped if the model lacks the begin commands.
   */
  private async sendShiftTags(
    beginRequest: Buffer,
    cashierName?: string,
    cashierInn?: string,
  ): Promise<void> {
    try {
      await this.session.exec(beginRequest);
      for (const t of cashierTlvs(cashierName, cashierInn))
        await this.session.exec(writeTlvRequest(this.opPwd, t));
    } catch (err) {
      if (err instanceof KktError && err.deviceCode === DeviceErrorCode.NOT_SUPPORTED) {
        this.log(
          `${commandName(commandCodeOf(beginRequest))} not supported: shift report without cashier tag`,
        );
        return;
      }
      throw err;
    }
  }

  private async cashInOut(isIn: boolean, amountKop: number): Promise<KktCashOperation> {
    if (!Number.isSafeInteger(amountKop) || amountKop <= 0) {
      throw new KktError(
        'refused',
        `Сумма ${isIn ? 'внесения' : 'выплаты'} должна быть положительной (копейки), получено ${amountKop}`,
      );
    }
    const st = await this.session.readyForPrinting();
    if (st.mode === DeviceMode.RECEIPT_OPEN) await this.session.cancelOpenReceipt();
    if (st.mode === DeviceMode.SHIFT_CLOSED)
      throw new KktError('refused', 'Смена закрыта — откройте смену', { reason: 'shift_closed' });
    const answer = await this.session.exec(
      isIn ? cashInRequest(this.opPwd, amountKop) : cashOutRequest(this.opPwd, amountKop),
    );
    const { documentNumber } = parseCashInOutAnswer(answer);
    await this.session.waitForPrint();
    const cashInDrawerKop = await this.session.cashRegister(CashRegisterNo.CASH_IN_DRAWER);
    return { amountKop, documentNumber, cashInDrawerKop };
  }

  private async readCounters(kind: 'x' | 'z'): Promise<KktShiftReport> {
    const totals = async (cash: number, card: number, other: number): Promise<KktPaymentTotals> => {
      const t = {
        cashKop: await this.session.cashRegister(cash),
        cardKop: await this.session.cashRegister(card),
        otherKop: await this.session.cashRegister(other),
      };
      return { ...t, totalKop: t.cashKop + t.cardKop + t.otherKop };
    };
    const shift = await this.session.shiftParameters();
    return {
      kind,
      shiftNumber: shift.shiftNumber,
      saleReceipts: await this.session.operationRegister(OperationRegisterNo.SALE_RECEIPTS_SHIFT),
      refundReceipts: await this.session.operationRegister(OperationRegisterNo.SALE_RETURN_RECEIPTS_SHIFT),
      // "other" is paid as type 14 (prepayment offset), never as an electronic type (receipt-flow.ts).
      sales: await totals(
        CashRegisterNo.SALES_CASH_SHIFT,
        CashRegisterNo.SALES_PAYMENT2_SHIFT,
        CashRegisterNo.SALES_PREPAYMENT_SHIFT,
      ),
      refunds: await totals(
        CashRegisterNo.SALE_RETURNS_CASH_SHIFT,
        CashRegisterNo.SALE_RETURNS_PAYMENT2_SHIFT,
        CashRegisterNo.SALE_RETURNS_PREPAYMENT_SHIFT,
      ),
      cashInKop: await this.session.cashRegister(CashRegisterNo.CASH_IN_SHIFT),
      cashOutKop: await this.session.cashRegister(CashRegisterNo.CASH_OUT_SHIFT),
      cashInDrawerKop: await this.session.cashRegister(CashRegisterNo.CASH_IN_DRAWER),
      unsentCount: 0,
      fdNumber: null,
      fiscalSign: null,
      fiscalDatetime: null,
    };
  }

  private async doStatus(): Promise<KktStatus> {
    const base: KktStatus = {
      connected: false,
      emulated: this.emulated,
      label: this.label,
      shiftOpen: false,
      shiftNumber: 0,
      shiftOpenedAt: null,
      shiftExpired: false,
      paperPresent: false,
      coverOpen: false,
      fnNumber: this.session.knownFnNumber,
      kktRegNumber: this.session.knownRegNumber,
      lastFdNumber: 0,
      unsentCount: 0,
      oldestUnsentAt: null,
    };
    return readStatus(this.session, base, (shift) => this.shiftOpenedAt(shift));
  }

  private async shiftOpenedAt(shiftNumber: number): Promise<string | null> {
    if (this.shiftOpenedAtCache?.shift !== shiftNumber) {
      const doc = await this.findShiftOpenDocument(shiftNumber);
      this.shiftOpenedAtCache = { shift: shiftNumber, at: doc ? dateTimeIso(doc.datetime) : null };
    }
    return this.shiftOpenedAtCache.at;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
