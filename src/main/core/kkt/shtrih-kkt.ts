// The station's `Kkt` over the Shtrih-M protocol (kkt-protocol.md §5.5): status, shift lifecycle,
// cash in/out and sale/refund receipts, on any ByteChannel (serial port, TCP, or the in-process
// byte-level emulator).
//
// Failure contract (see KktFailure in kkt.ts):
// - anything that goes wrong before the closing FF45h is accepted cancels the open receipt (88h) when
//   the device still answers and throws KktError('refused'): nothing was fiscalised;
// - a lost answer after FF45h was accepted throws KktError('outcome_unknown'): the receipt may exist
//   in the FN, and only the fiscal archive (document(), lastDocument()) can tell.

import { join } from 'node:path';
import {
  KktError,
  fiscalQr,
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
import type { ByteChannel } from './shtrih/channel.ts';
import {
  ArchiveDocType,
  CashRegisterNo,
  Cmd,
  OperationRegisterNo,
  OperationType,
  ProtocolError,
  ReceiptType,
  cancelReceiptRequest,
  cashInRequest,
  cashOutRequest,
  closeReceiptV2Request,
  commandName,
  continuePrintRequest,
  dateTimeIso,
  findDocumentRequest,
  fnStatusRequest,
  ofdExchangeStatusRequest,
  openReceiptRequest,
  openShiftRequest,
  operationV2Request,
  parseAnswer,
  parseCashInOutAnswer,
  parseCashRegister,
  parseCloseReceiptV2,
  parseFindDocument,
  parseFnStatus,
  parseOfdExchangeStatus,
  parseOperationRegister,
  parseShiftParameters,
  parseShortStatus,
  readCashRegisterRequest,
  readOperationRegisterRequest,
  shiftParametersRequest,
  shortStatusRequest,
  tlvString,
  withPassword,
  writeTlvRequest,
  xReportRequest,
  zReportRequest,
  parseRegistrationResult,
  registrationResultRequest,
  type ArchiveDocument,
  type FnStatus,
  type OfdExchangeStatus,
  type ShiftParameters,
  type ShortStatus,
} from './shtrih/commands.ts';
import { deviceErrorMessage } from './shtrih/errors.ts';
import { ShtrihLink, type LinkOptions } from './shtrih/link.ts';
import { MemoryChannel } from './shtrih/memory-channel.ts';
import { KktEmulator, type EmulatorOptions } from '../../../kkt-emulator/emulator.ts';
import { SHTRIH_VAT_BYTES, vatByte, type VatByteMap } from './shtrih/vat.ts';

/** Device error codes the driver reacts to (kkt-protocol.md §1.6, §5.4). */
const ERR = { NO_DATA: 0x08, NOT_SUPPORTED: 0x37, PRINTING: 0x50, RECEIPT_CLOSED: 0x55, AWAITING_CONTINUE: 0x58 } as const;
/** Begin-open-shift / begin-close-shift, so that cashier tags land in the shift reports (§5.5). */
const BEGIN_OPEN_SHIFT = 0xff41;
const BEGIN_CLOSE_SHIFT = 0xff42;
const TAG_CASHIER = 1021;
const TAG_BUYER_CONTACT = 1008;

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
  /** VatCode → FF46h byte; override for Shtrih-Nano or older firmware (§1.5). */
  vatBytes?: VatByteMap;
  /** Open the shift automatically before the first receipt (§5.5 "if 4 → open shift"). Default true. */
  autoOpenShift?: boolean;
  /** How long to wait for the printer to finish a document before giving up waiting (not failing). */
  printWaitMs?: number;
  pollIntervalMs?: number;
  link?: Partial<LinkOptions>;
  log?: (line: string) => void;
  /** Extra cleanup on close (the in-process emulator). */
  onClose?: () => Promise<void>;
}

interface Exec {
  /** Answer data after ERR. */
  data: Uint8Array;
}

export class ShtrihKkt implements Kkt {
  readonly label: string;
  readonly emulated: boolean;
  private readonly link: ShtrihLink;
  private readonly opPwd: number;
  private readonly adminPwd: number;
  private readonly taxSystem: number;
  private readonly vatBytes: VatByteMap;
  private readonly autoOpenShift: boolean;
  private readonly printWaitMs: number;
  private readonly pollMs: number;
  private readonly log: (line: string) => void;
  private readonly onClose?: () => Promise<void>;
  private fnNumber: string | null = null;
  private regNumber: string | null = null;
  private shiftOpenedAtCache: { shift: number; at: string | null } | null = null;
  /** Business operations are serialised too: a receipt is a sequence of commands nobody may interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(channel: ByteChannel, options: ShtrihKktOptions = {}) {
    this.emulated = options.emulated ?? false;
    this.label = options.label ?? (this.emulated ? 'Эмулятор ККТ Штрих-М (не фискальное устройство)' : `ККТ Штрих-М ${channel.label}`);
    this.log = options.log ?? (() => undefined);
    this.link = new ShtrihLink(channel, { log: this.log, ...options.link });
    this.opPwd = options.operatorPassword ?? 30;
    this.adminPwd = options.adminPassword ?? 30;
    this.taxSystem = options.taxSystem ?? 1;
    this.vatBytes = options.vatBytes ?? SHTRIH_VAT_BYTES;
    this.autoOpenShift = options.autoOpenShift ?? true;
    this.printWaitMs = options.printWaitMs ?? 120_000;
    this.pollMs = options.pollIntervalMs ?? 100;
    this.onClose = options.onClose;
  }

  // ------------------------------------------------------------------ Kkt

  printReceipt(request: KktReceiptRequest): Promise<FiscalAttributes> {
    return this.serial(() => this.doPrintReceipt(request));
  }

  lastDocument(): Promise<KktDocument | null> {
    return this.serial(async () => {
      const fn = await this.fnStatus();
      if (fn.lastFdNumber === 0) return null;
      const doc = await this.findDocument(fn.lastFdNumber);
      if (doc?.kind === 'receipt') {
        // FF40h describes the last closed receipt, which is this document.
        const shift = await this.shiftParameters();
        doc.shiftNumber = shift.shiftNumber;
        doc.receiptNumber = shift.receiptNumber;
      }
      return doc;
    });
  }

  document(fdNumber: number): Promise<KktDocument | null> {
    return this.serial(() => this.findDocument(fdNumber));
  }

  status(): Promise<KktStatus> {
    return this.serial(() => this.doStatus());
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.link.close();
    await this.onClose?.();
  }

  // ------------------------------------------------------------------ shift lifecycle

  openShift(cashierName?: string): Promise<KktShiftDocument> {
    return this.serial(() => this.doOpenShift(cashierName));
  }

  xReport(): Promise<KktShiftReport> {
    return this.serial(async () => {
      const st = await this.readyForPrinting();
      if (st.mode === 8) await this.cancelOpenReceipt();
      const report = await this.readCounters('x');
      await this.exec(xReportRequest(this.adminPwd));
      await this.waitForPrint();
      report.unsentCount = (await this.ofdStatus()).unsentCount;
      return report;
    });
  }

  closeShift(cashierName?: string): Promise<KktShiftReport> {
    return this.serial(async () => {
      const st = await this.readyForPrinting();
      if (st.mode === 4) throw new KktError('refused', 'Смена уже закрыта');
      if (st.mode === 8) await this.cancelOpenReceipt();
      // Z clears the shift registers: read them first.
      const report = await this.readCounters('z');
      await this.sendShiftTags(BEGIN_CLOSE_SHIFT, cashierName);
      try {
        await this.exec(zReportRequest(this.adminPwd));
      } catch (err) {
        // Re-sync (§5.3): if the shift is closed now, the Z report was made and only its answer was lost.
        if (!(err instanceof KktError && err.failure === 'outcome_unknown') || (await this.fnStatus()).shiftOpen) throw err;
        this.log('41h answer lost, but the FN shows the shift closed: continuing');
      }
      await this.waitForPrint();
      const fn = await this.fnStatus();
      const doc = await this.archiveDocument(fn.lastFdNumber);
      if (doc?.docType === ArchiveDocType.SHIFT_CLOSE) {
        report.fdNumber = doc.fdNumber;
        report.fiscalSign = doc.fiscalSign;
        report.fiscalDatetime = dateTimeIso(doc.datetime);
      }
      report.unsentCount = (await this.ofdStatus()).unsentCount;
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
      const st = await this.shortStatus();
      if (st.mode !== 8) return false;
      await this.exec(cancelReceiptRequest(this.opPwd));
      return true;
    });
  }

  continuePrint(): Promise<void> {
    return this.serial(async () => {
      await this.exec(continuePrintRequest(this.opPwd));
      await this.waitForPrint();
    });
  }

  // ------------------------------------------------------------------ flows

  private async doPrintReceipt(req: KktReceiptRequest): Promise<FiscalAttributes> {
    const totalKop = validateReceipt(req);
    const isSale = req.operation === 'sale';
    const st = await this.readyForPrinting();
    if (st.mode === 8) await this.cancelOpenReceipt(); // left over from a crash: nothing fiscal in it
    else if (st.mode === 3) throw new KktError('refused', deviceErrorMessage(0x4e), 0x4e);
    else if (st.mode === 4) {
      if (!this.autoOpenShift) throw new KktError('refused', 'Смена закрыта — откройте смену');
      await this.doOpenShift(req.cashierName);
    } else if (st.mode !== 2) {
      throw new KktError('refused', `ККТ в режиме ${st.mode}, продажа невозможна`);
    }
    const fnNumber = await this.cachedFnNumber();

    // Everything up to an accepted FF45h is cancellable.
    let close;
    let closing = false;
    try {
      await this.exec(openReceiptRequest(this.opPwd, isSale ? ReceiptType.SALE : ReceiptType.SALE_RETURN));
      for (const line of req.lines) {
        await this.exec(
          operationV2Request({
            password: this.opPwd,
            operation: isSale ? OperationType.SALE : OperationType.SALE_RETURN,
            quantityMicro: line.quantityMilli * 1000,
            priceKop: line.priceKop,
            sumKop: line.totalKop,
            taxKop: null,
            vatByte: vatByte(line.vat, this.vatBytes),
            department: 1,
            paymentMethod: line.paymentMethod,
            paymentSubject: line.paymentSubject,
            name: line.name,
          }),
        );
      }
      if (req.cashierName) await this.exec(writeTlvRequest(this.opPwd, tlvString(TAG_CASHIER, req.cashierName.slice(0, 64))));
      if (req.buyerContact) await this.exec(writeTlvRequest(this.opPwd, tlvString(TAG_BUYER_CONTACT, req.buyerContact.slice(0, 64))));
      closing = true;
      const closeAnswer = await this.exec(
        closeReceiptV2Request({
          password: this.opPwd,
          cashKop: req.cashKop,
          electronicKop: [req.cardKop, req.otherKop],
          taxSystem: this.taxSystem,
        }),
        { fiscal: true },
      );
      close = parseFiscal(() => parseCloseReceiptV2(closeAnswer.data), 'FF45h');
    } catch (err) {
      if (closing && err instanceof KktError) {
        if (err.failure === 'outcome_unknown') throw err;
        // "Receipt closed" to our FF45h: an earlier, unanswered transmission of it may have closed
        // (fiscalised) the receipt. Only the archive can tell.
        if (err.deviceCode === ERR.RECEIPT_CLOSED) {
          throw new KktError('outcome_unknown', `ККТ сообщает, что чек уже закрыт: результат неизвестен, сверьте с архивом ФН`, err.deviceCode);
        }
      }
      await this.cancelAfterFailure();
      throw asRefused(err);
    }

    // The receipt is fiscal from here on: any further failure is "outcome unknown", never "refused".
    try {
      const shift = await this.shiftParameters();
      let datetime = close.datetime ? dateTimeIso(close.datetime) : null;
      if (!datetime) {
        const doc = await this.archiveDocument(close.fdNumber);
        datetime = doc ? dateTimeIso(doc.datetime) : null;
      }
      if (!datetime) throw new KktError('outcome_unknown', `ККТ не вернула время документа ФД ${close.fdNumber}`);
      await this.waitForPrint().catch((e: unknown) => this.log(`print wait after receipt: ${String(e)}`));
      const attrs = {
        fdNumber: close.fdNumber,
        fiscalSign: close.fiscalSign,
        fnNumber,
        kktRegNumber: await this.cachedRegNumber(),
        shiftNumber: shift.shiftNumber,
        receiptNumber: shift.receiptNumber,
        fiscalDatetime: datetime,
        totalKop,
        changeKop: close.changeKop,
      };
      return { ...attrs, qr: fiscalQr({ ...attrs, operation: req.operation }) };
    } catch (err) {
      if (err instanceof KktError && err.failure === 'outcome_unknown') throw err;
      throw new KktError(
        'outcome_unknown',
        `Чек пробит (ФД ${close.fdNumber}), но ККТ не ответила на уточняющий запрос: сверьте с архивом ФН. ${(err as Error).message}`,
        err instanceof KktError ? err.deviceCode : undefined,
      );
    }
  }

  private async doOpenShift(cashierName?: string): Promise<KktShiftDocument> {
    let st = await this.readyForPrinting();
    if (st.mode === 8) {
      await this.cancelOpenReceipt(); // a receipt can only be open inside an open shift
      st = await this.shortStatus();
    }
    if (st.mode === 3) throw new KktError('refused', deviceErrorMessage(0x4e), 0x4e);
    if (st.mode === 2) return { ...(await this.currentShiftDocument()), alreadyOpen: true };
    await this.sendShiftTags(BEGIN_OPEN_SHIFT, cashierName);
    try {
      await this.exec(openShiftRequest(this.opPwd));
    } catch (err) {
      if (!(err instanceof KktError && err.failure === 'outcome_unknown') || !(await this.fnStatus()).shiftOpen) throw err;
      this.log('E0h answer lost, but the FN shows the shift open: continuing');
    }
    await this.waitForPrint();
    return { ...(await this.currentShiftDocument()), alreadyOpen: false };
  }

  /** The shift-open document of the current shift (FF40h + a backward FF0Ah search). */
  private async currentShiftDocument(): Promise<Omit<KktShiftDocument, 'alreadyOpen'>> {
    const shift = await this.shiftParameters();
    const doc = await this.findShiftOpenDocument(shift.shiftNumber);
    if (!doc) throw new KktError('refused', `Не найден отчёт об открытии смены №${shift.shiftNumber} в архиве ФН`);
    return { shiftNumber: shift.shiftNumber, fdNumber: doc.fdNumber, fiscalSign: doc.fiscalSign, fiscalDatetime: dateTimeIso(doc.datetime) };
  }

  private async findShiftOpenDocument(shiftNumber: number, maxScan = 300): Promise<ArchiveDocument | null> {
    const { lastFdNumber } = await this.fnStatus();
    for (let fd = lastFdNumber; fd > 0 && fd > lastFdNumber - maxScan; fd--) {
      const doc = await this.archiveDocument(fd);
      if (doc?.docType === ArchiveDocType.SHIFT_OPEN && doc.shiftNumber === shiftNumber) return doc;
      if (doc?.docType === ArchiveDocType.SHIFT_CLOSE) return null; // went past the current shift
    }
    return null;
  }

  /** FF41h/FF42h + FF0Ch 1021 so the cashier is in the shift report; skipped if the model lacks them. */
  private async sendShiftTags(beginCommand: number, cashierName?: string): Promise<void> {
    if (!cashierName) return;
    try {
      await this.exec(withPassword(beginCommand, this.opPwd));
      await this.exec(writeTlvRequest(this.opPwd, tlvString(TAG_CASHIER, cashierName.slice(0, 64))));
    } catch (err) {
      if (err instanceof KktError && err.deviceCode === ERR.NOT_SUPPORTED) {
        this.log(`${commandName(beginCommand)} not supported: shift report without cashier tag`);
        return;
      }
      throw err;
    }
  }

  private async cashInOut(isIn: boolean, amountKop: number): Promise<KktCashOperation> {
    if (!Number.isSafeInteger(amountKop) || amountKop <= 0) {
      throw new KktError('refused', `Сумма ${isIn ? 'внесения' : 'выплаты'} должна быть положительной (копейки), получено ${amountKop}`);
    }
    const st = await this.readyForPrinting();
    if (st.mode === 8) await this.cancelOpenReceipt();
    if (st.mode === 4) throw new KktError('refused', 'Смена закрыта — откройте смену');
    const answer = await this.exec(isIn ? cashInRequest(this.opPwd, amountKop) : cashOutRequest(this.opPwd, amountKop));
    const { documentNumber } = parseCashInOutAnswer(answer.data);
    await this.waitForPrint();
    const cashInDrawerKop = await this.cashRegister(CashRegisterNo.CASH_IN_DRAWER);
    return { amountKop, documentNumber, cashInDrawerKop };
  }

  private async readCounters(kind: 'x' | 'z'): Promise<KktShiftReport> {
    const totals = async (cash: number, card: number, other: number): Promise<KktPaymentTotals> => {
      const t = { cashKop: await this.cashRegister(cash), cardKop: await this.cashRegister(card), otherKop: await this.cashRegister(other) };
      return { ...t, totalKop: t.cashKop + t.cardKop + t.otherKop };
    };
    const shift = await this.shiftParameters();
    return {
      kind,
      shiftNumber: shift.shiftNumber,
      saleReceipts: await this.operationRegister(OperationRegisterNo.SALE_RECEIPTS_SHIFT),
      refundReceipts: await this.operationRegister(OperationRegisterNo.SALE_RETURN_RECEIPTS_SHIFT),
      sales: await totals(CashRegisterNo.SALES_CASH_SHIFT, CashRegisterNo.SALES_PAYMENT2_SHIFT, CashRegisterNo.SALES_PAYMENT3_SHIFT),
      refunds: await totals(CashRegisterNo.SALE_RETURNS_CASH_SHIFT, CashRegisterNo.SALE_RETURNS_PAYMENT2_SHIFT, CashRegisterNo.SALE_RETURNS_PAYMENT3_SHIFT),
      cashInKop: await this.cashRegister(CashRegisterNo.CASH_IN_SHIFT),
      cashOutKop: await this.cashRegister(CashRegisterNo.CASH_OUT_SHIFT),
      cashInDrawerKop: await this.cashRegister(CashRegisterNo.CASH_IN_DRAWER),
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
      fnNumber: this.fnNumber ?? '',
      kktRegNumber: this.regNumber ?? '',
      lastFdNumber: 0,
      unsentCount: 0,
      oldestUnsentAt: null,
    };
    try {
      const st = await this.shortStatus();
      const fn = await this.fnStatus();
      const ofd = await this.ofdStatus();
      const shift = await this.shiftParameters();
      const printer = printerState(st);
      const status: KktStatus = {
        ...base,
        connected: true,
        shiftOpen: fn.shiftOpen,
        shiftNumber: shift.shiftNumber,
        shiftOpenedAt: fn.shiftOpen ? await this.shiftOpenedAt(shift.shiftNumber) : null,
        shiftExpired: st.mode === 3,
        paperPresent: st.receiptPaperPresent && st.submode !== 1 && st.submode !== 2,
        coverOpen: st.coverOpen,
        fnNumber: fn.fnNumber,
        kktRegNumber: await this.cachedRegNumber(),
        lastFdNumber: fn.lastFdNumber,
        unsentCount: ofd.unsentCount,
        oldestUnsentAt: ofd.firstUnsentDatetime ? dateTimeIso(ofd.firstUnsentDatetime) : null,
        printer,
      };
      const problem = describeProblem(st, printer);
      if (problem) status.problem = problem;
      return status;
    } catch (err) {
      if (err instanceof KktError) return { ...base, problem: err.message };
      throw err;
    }
  }

  private async shiftOpenedAt(shiftNumber: number): Promise<string | null> {
    if (this.shiftOpenedAtCache?.shift !== shiftNumber) {
      const doc = await this.findShiftOpenDocument(shiftNumber);
      this.shiftOpenedAtCache = { shift: shiftNumber, at: doc ? dateTimeIso(doc.datetime) : null };
    }
    return this.shiftOpenedAtCache.at;
  }

  // ------------------------------------------------------------------ building blocks

  /**
   * 10h, then make the printer ready: B0h after a paper change, wait while it prints; refuse with a
   * clear message when there is no paper or the cover is open.
   */
  private async readyForPrinting(): Promise<ShortStatus> {
    const deadline = Date.now() + this.printWaitMs;
    for (;;) {
      const st = await this.shortStatus();
      if (st.coverOpen) throw new KktError('refused', 'Открыта крышка ККТ — закройте крышку принтера');
      if (st.submode === 3) {
        await this.exec(continuePrintRequest(this.opPwd));
      } else if (st.submode === 1 || st.submode === 2) {
        throw new KktError('refused', deviceErrorMessage(0x6b), 0x6b);
      } else if (st.submode === 0) {
        return st;
      } else if (Date.now() > deadline) {
        throw new KktError('refused', 'ККТ слишком долго печатает предыдущий документ');
      } else {
        await sleep(this.pollMs);
      }
    }
  }

  /**
   * Waits until the printer is idle (§1.3 loop): B0h on sub-mode 3. A paper-out stops the wait
   * without an error: the document is already in the FN, and the tape continues after B0h.
   */
  private async waitForPrint(): Promise<void> {
    const deadline = Date.now() + this.printWaitMs;
    while (Date.now() < deadline) {
      const st = await this.shortStatus();
      if (st.submode === 0) return;
      if (st.submode === 3) await this.exec(continuePrintRequest(this.opPwd));
      else if (st.submode === 1 || st.submode === 2) {
        this.log('paper ran out while printing: the document is in the FN, printing resumes after B0h');
        return;
      } else await sleep(this.pollMs);
    }
  }

  private async cancelOpenReceipt(): Promise<void> {
    this.log('a receipt is open on the device: cancelling it (88h)');
    await this.exec(cancelReceiptRequest(this.opPwd));
  }

  /** Best effort: after a failure the device may be unreachable; the next operation cancels then. */
  private async cancelAfterFailure(): Promise<void> {
    try {
      const st = await this.shortStatus();
      if (st.mode === 8) await this.exec(cancelReceiptRequest(this.opPwd));
    } catch (err) {
      this.log(`could not cancel the receipt: ${(err as Error).message}`);
    }
  }

  private shortStatus(): Promise<ShortStatus> {
    return this.query(shortStatusRequest(this.opPwd), parseShortStatus);
  }

  private async fnStatus(): Promise<FnStatus> {
    const fn = await this.query(fnStatusRequest(this.opPwd), parseFnStatus);
    this.fnNumber = fn.fnNumber;
    return fn;
  }

  private ofdStatus(): Promise<OfdExchangeStatus> {
    return this.query(ofdExchangeStatusRequest(this.opPwd), parseOfdExchangeStatus);
  }

  private shiftParameters(): Promise<ShiftParameters> {
    return this.query(shiftParametersRequest(this.opPwd), parseShiftParameters);
  }

  private cashRegister(register: number): Promise<number> {
    return this.query(readCashRegisterRequest(this.opPwd, register), parseCashRegister);
  }

  private operationRegister(register: number): Promise<number> {
    return this.query(readOperationRegisterRequest(this.opPwd, register), parseOperationRegister);
  }

  private async cachedFnNumber(): Promise<string> {
    return this.fnNumber ?? (await this.fnStatus()).fnNumber;
  }

  /** Tag 1037 from FF09h, read once. */
  private async cachedRegNumber(): Promise<string> {
    this.regNumber ??= (await this.query(registrationResultRequest(this.opPwd), parseRegistrationResult)).regNumber;
    return this.regNumber;
  }

  /** FF0Ah; null when the archive has no such document (error 08). */
  private async archiveDocument(fdNumber: number): Promise<ArchiveDocument | null> {
    if (fdNumber <= 0) return null;
    try {
      return await this.query(findDocumentRequest(this.opPwd, fdNumber), parseFindDocument);
    } catch (err) {
      if (err instanceof KktError && err.deviceCode === ERR.NO_DATA) return null;
      throw err;
    }
  }

  private async findDocument(fdNumber: number): Promise<KktDocument | null> {
    const doc = await this.archiveDocument(fdNumber);
    if (!doc) return null;
    const kind = doc.docType === ArchiveDocType.RECEIPT ? 'receipt' : doc.docType === ArchiveDocType.SHIFT_OPEN ? 'shift_open' : doc.docType === ArchiveDocType.SHIFT_CLOSE ? 'shift_close' : 'other';
    const out: KktDocument = { fdNumber: doc.fdNumber, kind, fiscalSign: doc.fiscalSign, fiscalDatetime: dateTimeIso(doc.datetime) };
    if (doc.operation === OperationType.SALE) out.operation = 'sale';
    else if (doc.operation === OperationType.SALE_RETURN) out.operation = 'refund';
    if (doc.amountKop !== undefined) out.totalKop = doc.amountKop;
    if (doc.shiftNumber !== undefined) out.shiftNumber = doc.shiftNumber;
    return out;
  }

  /**
   * One command: link exchange, answer validation, device error → KktError('refused', code).
   * "Printing" (50h) and "waiting for B0h" (58h) are retried: the device did not execute the command.
   */
  private async exec(payload: Buffer, opts: { fiscal?: boolean } = {}): Promise<Exec> {
    const code = payload[0] === 0xff ? 0xff00 | payload[1]! : payload[0]!;
    const deadline = Date.now() + this.printWaitMs;
    for (;;) {
      const raw = await this.link.exchange(payload);
      let answer;
      try {
        answer = parseAnswer(code, raw);
      } catch (err) {
        if (err instanceof ProtocolError) {
          // The device took the command and answered nonsense: for a fiscal command that is "unknown".
          throw new KktError(opts.fiscal ? 'outcome_unknown' : 'refused', `ККТ прислала неожиданный ответ на ${commandName(code)}: ${err.message}`);
        }
        throw err;
      }
      if (answer.error === 0) return { data: answer.data };
      if (answer.error === ERR.PRINTING && Date.now() < deadline) {
        await sleep(this.pollMs);
        continue;
      }
      if (answer.error === ERR.AWAITING_CONTINUE && code !== Cmd.CONTINUE_PRINT && Date.now() < deadline) {
        await this.exec(continuePrintRequest(this.opPwd));
        continue;
      }
      throw new KktError('refused', `${deviceErrorMessage(answer.error)} [${commandName(code)}]`, answer.error);
    }
  }

  /** A read-only command whose answer is parsed; a malformed answer is a clear refusal. */
  private async query<T>(payload: Buffer, parse: (data: Uint8Array) => T): Promise<T> {
    const { data } = await this.exec(payload);
    try {
      return parse(data);
    } catch (err) {
      throw new KktError('refused', `ККТ прислала неверный ответ: ${(err as Error).message}`);
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

// ------------------------------------------------------------------ helpers

/** Local checks that save a round trip and give the cashier a precise reason. Returns the total. */
function validateReceipt(req: KktReceiptRequest): number {
  const fail = (m: string) => {
    throw new KktError('refused', m);
  };
  if (req.lines.length === 0) fail('Чек без позиций');
  let total = 0;
  for (const [i, l] of req.lines.entries()) {
    const n = `Позиция ${i + 1} («${l.name}»)`;
    for (const [k, v] of [['цена', l.priceKop], ['количество', l.quantityMilli], ['сумма', l.totalKop]] as const) {
      if (!Number.isSafeInteger(v) || v <= 0) fail(`${n}: ${k} должна быть целым положительным числом, получено ${v}`);
    }
    if (!l.name.trim()) fail(`${n}: пустое наименование`);
    total += l.totalKop;
  }
  for (const [k, v] of [['наличные', req.cashKop], ['карта', req.cardKop], ['прочее', req.otherKop]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) fail(`Оплата (${k}) должна быть целым неотрицательным числом копеек, получено ${v}`);
  }
  if (req.cashKop + req.cardKop + req.otherKop < total) fail(deviceErrorMessage(0x45));
  if (req.cardKop + req.otherKop > total) fail(deviceErrorMessage(0x4d));
  return total;
}

function asRefused(err: unknown): KktError {
  if (err instanceof KktError) return err.failure === 'refused' ? err : new KktError('refused', `Чек не пробит: ${err.message}`, err.deviceCode);
  return new KktError('refused', `Чек не пробит: ${(err as Error).message}`);
}

function parseFiscal<T>(parse: () => T, name: string): T {
  try {
    return parse();
  } catch (err) {
    throw new KktError('outcome_unknown', `ККТ прислала неполный ответ на ${name}: ${(err as Error).message}`);
  }
}

function printerState(st: ShortStatus): NonNullable<KktStatus['printer']> {
  if (st.submode === 1 || st.submode === 2) return 'paper_out';
  if (st.submode === 3) return 'awaiting_continue';
  if (st.submode === 4 || st.submode === 5) return 'printing';
  return 'ready';
}

function describeProblem(st: ShortStatus, printer: NonNullable<KktStatus['printer']>): string | undefined {
  if (st.coverOpen) return 'Открыта крышка ККТ';
  if (printer === 'paper_out') return 'Нет бумаги в ККТ — вставьте новый рулон';
  if (printer === 'awaiting_continue') return 'Бумага заменена: нажмите «Продолжить печать»';
  if (st.mode === 3) return 'Смена превысила 24 часа — закройте смену (Z-отчёт)';
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ------------------------------------------------------------------ factory

export interface OpenKktOptions {
  /** Directory for the in-process emulator's state file (kkt-emulator.json); absent = memory only. */
  dataDir?: string;
  /** Serial speed; default 115200. */
  baudRate?: number;
  driver?: ShtrihKktOptions;
  /** Options of the in-process emulator (clock, print delay…). */
  emulator?: EmulatorOptions;
}

/** The file the in-process emulator keeps its FN state in. */
export const EMULATOR_STATE_FILE = 'kkt-emulator.json';

/**
 * Opens the KKT named by `spec`:
 * - 'emulator': the byte-level emulator in this process on a MemoryChannel (state in dataDir);
 * - 'tcp://host:port': a network KKT (port 7778 by default);
 * - anything else: a serial port path such as '/dev/ttyUSB0' or 'COM3'.
 */
export async function openKkt(spec: string, options: OpenKktOptions = {}): Promise<ShtrihKkt> {
  if (spec === 'emulator') return (await openEmulatedKkt(options)).kkt;
  // serialport loads a native binding: import it only when a real device is asked for.
  if (spec.startsWith('tcp://')) {
    const url = new URL(spec);
    const { TcpChannel } = await import('./shtrih/tcp-channel.ts');
    const channel = await TcpChannel.open(url.hostname, url.port ? Number(url.port) : 7778);
    return new ShtrihKkt(channel, options.driver);
  }
  const { SerialChannel } = await import('./shtrih/serial-channel.ts');
  const channel = await SerialChannel.open({ path: spec, baudRate: options.baudRate ?? 115200 });
  return new ShtrihKkt(channel, options.driver);
}

/** The in-process emulator and a driver connected to it; tests use the emulator handle for faults. */
export async function openEmulatedKkt(
  options: OpenKktOptions = {},
): Promise<{ kkt: ShtrihKkt; emulator: KktEmulator }> {
  const [host, device] = MemoryChannel.pair();
  const emulator = new KktEmulator(device, {
    statePath: options.dataDir ? join(options.dataDir, EMULATOR_STATE_FILE) : null,
    ...options.emulator,
  });
  const kkt = new ShtrihKkt(host, {
    emulated: true,
    ...options.driver,
    onClose: async () => {
      await emulator.close();
      await device.close();
      await options.driver?.onClose?.();
    },
  });
  return { kkt, emulator };
}
