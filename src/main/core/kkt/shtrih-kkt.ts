// The station's `Kkt` over the Shtrih-M protocol: status, shift lifecycle, cash in/out and the fiscal
// archive on any ByteChannel (serial port, TCP, or the in-process byte-level emulator, wired in
// src/main/app/open-kkt.ts). Receipts are in shtrih/receipt-flow.ts, single commands and printer waits
// in shtrih/session.ts. About 500 lines: one serialised queue owns the device, and every operation on
// it (shifts, cash with its drawer check, archive, registration, the relay's low-priority commands) must
// go through that queue; the command flows themselves live in shtrih/.
//
// Every public operation is serialised: a receipt or a shift report is a sequence of commands nobody
// may interleave. The failure contract is KktFailure's (src/shared/errors.ts): a refusal means nothing was done, an
// unknown outcome is reconciled with the fiscal archive, never retried blindly.
//
// A lost line (the link's `lost`, shtrih/link.ts) makes this handle useless for good: `lineLost` tells
// its owner (connect-on-demand.ts) to open a new one. `close()` is bounded: the operation in progress
// gets `closeWaitMs` to finish, then the link is closed under it (it ends as refused or outcome unknown,
// which the fiscal service reconciles at the next start), so a station always stops.
// Just over 400 lines because it holds every multi-command flow of the device (shift, reports, cash, archive
// search, the tax system of a receipt); the single commands and the receipt itself live in shtrih/.

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
  type PrintLine,
  type PrintTextResult,
} from './kkt.ts';
import { KktError } from '../../../shared/errors.ts';
import type { ByteChannel } from '../../../shtrih-protocol/channel.ts';
import { dateTimeIso } from '../../../shtrih-protocol/bytes.ts';
import { Cmd, DeviceMode, commandCodeOf, commandName } from '../../../shtrih-protocol/codes.ts';
import { DeviceErrorCode } from '../../../shtrih-protocol/device-errors.ts';
import { cancelReceiptRequest, continuePrintRequest } from '../../../shtrih-protocol/receipt-commands.ts';
import { openDrawerRequest } from '../../../shtrih-protocol/print-commands.ts';
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
import { printLines } from './shtrih/print-lines.ts';
import { cashierTlvs } from './shtrih/requisites.ts';
import { ShtrihSession } from './shtrih/session.ts';
import { readStatus } from './shtrih/status-flow.ts';
import { shtrihFnExchange } from './shtrih/fn-exchange.ts';
import type { FnExchangePort } from './fn-exchange-port.ts';
import { finishesWithin } from '../util/finishes-within.ts';
import {
  TAX_SYSTEM_BITS,
  chooseTaxSystem,
  taxSystemProblemText,
  taxSystemsOfMask,
  type TaxSystem,
} from '../../../shared/tax-systems.ts';

export interface ShtrihKktOptions {
  label?: string;
  /** True for the emulator: shown to the cashier, never a fiscal device. */
  emulated?: boolean;
  /** Password for receipts, shift opening and cash operations (30 = sysadmin, as the Go/PHP drivers use). */
  operatorPassword?: number;
  /** Password for X/Z reports (29 admin or 30 sysadmin). */
  adminPassword?: number;
  /**
   * The tax system receipts are issued under (tag 1055); null or absent = the only one the KKT is
   * registered for (src/shared/tax-systems.ts chooseTaxSystem). A receipt is refused when none fits.
   */
  taxSystem?: TaxSystem | null;
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
  private readonly taxSystem: TaxSystem | null;
  private readonly vatBytes: VatByteMap;
  private readonly autoOpenShift: boolean;
  private readonly log: (line: string) => void;
  private readonly onClose?: () => Promise<void>;
  private readonly closeWaitMs: number;
  private shiftOpenedAtCache: { shift: number; at: string | null } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Station operations queued but not started: background commands wait while any is. */
  private foregroundWaiting = 0;
  /** The FN → OFD relay's commands, each run only when no station operation waits (background()). */
  readonly fnExchange: FnExchangePort;

  constructor(channel: ByteChannel, options: ShtrihKktOptions = {}) {
    this.emulated = options.emulated ?? false;
    this.label =
      options.label ??
      (this.emulated ? 'Эмулятор ККТ Штрих-М (не фискальное устройство)' : `ККТ Штрих-М ${channel.label}`);
    this.log = options.log ?? (() => undefined);
    this.link = new ShtrihLink(channel, { log: this.log, ...options.link });
    this.opPwd = options.operatorPassword ?? 30;
    this.adminPwd = options.adminPassword ?? 30;
    this.taxSystem = options.taxSystem ?? null;
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
    this.fnExchange = shtrihFnExchange(this.session, (fn) => this.background(fn));
  }

  /** Why the line to the device is gone for good (open a new ShtrihKkt), or null while it works. */
  get lineLost(): string | null {
    return this.link.lost;
  }

  // ------------------------------------------------------------------ Kkt

  printReceipt(request: KktReceiptRequest): Promise<FiscalAttributes> {
    return this.serial(async () =>
      printReceipt(this.session, request, {
        taxSystem: TAX_SYSTEM_BITS[await this.receiptTaxSystem()],
        vatBytes: this.vatBytes,
        openShift: this.autoOpenShift ? (name, inn) => this.doOpenShift(name, inn) : null,
      }),
    );
  }

  /** The tax system of the next receipt, from the registration (FF09h) and the configuration; refused when none fits. */
  private async receiptTaxSystem(): Promise<TaxSystem> {
    const registered = taxSystemsOfMask((await this.session.registration()).taxSystems);
    const choice = chooseTaxSystem(this.taxSystem, registered);
    if (choice.ok) return choice.system;
    throw new KktError('refused', taxSystemProblemText(choice.problem, this.taxSystem, registered));
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

  openDrawer(drawer: number): Promise<void> {
    return this.serial(async () => {
      await this.session.exec(openDrawerRequest(this.opPwd, drawer));
    });
  }

  /**
   * Text (17h) and QR codes (DDh + DEh, shtrih/print-lines.ts) in one queued operation, after the printer
   * is ready; a receipt left open would swallow the text: cancelled first.
   */
  printText(lines: readonly PrintLine[]): Promise<PrintTextResult> {
    return this.serial(async () => {
      const st = await this.session.readyForPrinting();
      if (st.mode === DeviceMode.RECEIPT_OPEN) await this.session.cancelOpenReceipt();
      const result = await printLines(this.session, this.opPwd, lines, this.log);
      await this.session.waitForPrint();
      return result;
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

  /**
   * The shift's opening report, without a fixed look-back: a supermarket shift holds thousands of
   * documents. The FN documents of a shift are its opening report, its receipts (FF40h counts them) and
   * the odd other FN document, so the report sits at or just below lastFd − receipts: start one above
   * that (FF40h may count the next receipt, UNCONFIRMED) and walk back to it, stopping at an earlier
   * shift's Z report. Usually that is one or two FF0Ah reads. If the count misled us (the walk met
   * another shift first), the FDs above the start are read too.
   */
  private async findShiftOpenDocument(shiftNumber: number): Promise<ArchiveDocument | null> {
    const { lastFdNumber } = await this.session.fnStatus();
    const { receiptNumber } = await this.session.shiftParameters();
    const start = Math.max(1, Math.min(lastFdNumber, lastFdNumber - receiptNumber + 1));
    const walk = async (from: number, downTo: number): Promise<ArchiveDocument | null> => {
      for (let fd = from; fd >= downTo; fd--) {
        const doc = await this.session.archiveDocument(fd);
        if (doc?.docType === ArchiveDocType.SHIFT_OPEN) return doc.shiftNumber === shiftNumber ? doc : null; // another shift's: went past it
        if (doc?.docType === ArchiveDocType.SHIFT_CLOSE) return null; // went past the current shift
      }
      return null;
    };
    return (await walk(start, 1)) ?? (start < lastFdNumber ? await walk(lastFdNumber, start + 1) : null);
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
    const request = isIn ? cashInRequest(this.opPwd, amountKop) : cashOutRequest(this.opPwd, amountKop);
    const before = await this.session.cashRegister(CashRegisterNo.CASH_IN_DRAWER);
    const after = before + (isIn ? amountKop : -amountKop);
    let documentNumber: number | null = null;
    // A lost answer is settled by the drawer register, never by sending the command again on a guess
    // (a lost ACK plus a lost answer would move the drawer twice): moved by the amount = done; unchanged
    // = not done, send again; anything else = someone else moved it, unknown.
    for (let attempt = 1; documentNumber === null; attempt++) {
      try {
        documentNumber = parseCashInOutAnswer(
          await this.session.exec(request, { resendUnacked: false }),
        ).documentNumber;
      } catch (err) {
        if (!(err instanceof KktError && err.failure === 'outcome_unknown') || attempt >= 3) throw err;
        const now = await this.session.cashRegister(CashRegisterNo.CASH_IN_DRAWER).catch(() => null);
        if (now === after) {
          this.log(`${isIn ? '50h' : '51h'} answer lost, but the drawer moved by the amount: done`);
          documentNumber = (await this.session.throughDocumentNumber()) ?? 0;
        } else if (now !== before) {
          throw err;
        } else {
          this.log(`${isIn ? '50h' : '51h'} answer lost and the drawer did not move: sending it again`);
        }
      }
    }
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
      taxSystems: taxSystemsOfMask(this.session.knownRegistration?.taxSystems ?? 0),
      workModes: this.session.knownRegistration?.workMode ?? 0,
      taxSystem: null,
      configuredTaxSystem: this.taxSystem,
      taxSystemProblem: null,
      ffdVersion: null,
      fnExpiresOn: null,
      fnWarnings: [],
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
    this.foregroundWaiting++;
    const run = this.queue.then(() => {
      this.foregroundWaiting--;
      return fn();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * A low-priority command (the FN → OFD relay): queued only once the queue is idle and no station
   * operation waits, so a sale arriving meanwhile waits for at most this one command.
   */
  private async background<T>(fn: () => Promise<T>): Promise<T> {
    for (;;) {
      const seen = this.queue;
      await seen;
      if (this.queue === seen && this.foregroundWaiting === 0) break;
    }
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
