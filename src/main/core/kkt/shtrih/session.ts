// The driver's building blocks over the link: one command with its answer checked and a device error
// turned into KktError('refused') (device-fault.ts), the read-only queries, and the printer waits. The flows
// (shtrih-kkt.ts, receipt-flow.ts) are sequences of these calls; they serialise whole operations, this
// class only single commands.
//
// Retry rule (protocol v1.17 p.67–70 and the vendor drivers): "printing" (50h) and "waiting for B0h"
// (58h) mean the device did not execute the command, so it is sent again; every other error is final.

import type { KktDocument } from '../kkt.ts';
import { KktError, type KktReason } from '../../../../shared/errors.ts';
import { deviceFault, paperOut } from './device-fault.ts';
import { ProtocolError, dateTimeIso } from '../../../../shtrih-protocol/bytes.ts';
import {
  Cmd,
  DeviceMode,
  PrinterSubmode,
  commandCodeOf,
  commandName,
  parseAnswer,
  withPassword,
} from '../../../../shtrih-protocol/codes.ts';
import { DeviceErrorCode, deviceErrorMessage } from '../../../../shtrih-protocol/device-errors.ts';
import {
  OperationType,
  cancelReceiptRequest,
  continuePrintRequest,
} from '../../../../shtrih-protocol/receipt-commands.ts';
import {
  parseCashRegister,
  parseOperationRegister,
  readCashRegisterRequest,
  readOperationRegisterRequest,
} from '../../../../shtrih-protocol/shift-commands.ts';
import {
  ArchiveDocType,
  findDocumentRequest,
  fnStatusRequest,
  ofdExchangeStatusRequest,
  parseFindDocument,
  parseFnStatus,
  parseOfdExchangeStatus,
  parseRegistrationResult,
  parseShiftParameters,
  parseShortStatus,
  registrationResultRequest,
  shiftParametersRequest,
  shortStatusRequest,
  type ArchiveDocument,
  type FnStatus,
  type OfdExchangeStatus,
  type ShiftParameters,
  type ShortStatus,
} from '../../../../shtrih-protocol/status-commands.ts';
import {
  ffdVersionRequest,
  fnExpiryRequest,
  parseFfdVersion,
  parseFnExpiry,
  type FnExpiry,
} from '../../../../shtrih-protocol/device-info-commands.ts';
import type { RegistrationResult } from '../../../../shtrih-protocol/status-commands.ts';
import type { ShtrihLink } from './link.ts';

export interface SessionOptions {
  /** Password of receipts, shift opening, cash operations and queries. */
  operatorPassword: number;
  /** How long to wait for the printer to finish a document. */
  printWaitMs: number;
  pollIntervalMs: number;
  log: (line: string) => void;
  /** Where a device error is reported (the station log at warn); default `log`. */
  warn?: (line: string) => void;
}

export class ShtrihSession {
  readonly opPwd: number;
  readonly log: (line: string) => void;
  private readonly warn: (line: string) => void;
  private readonly printWaitMs: number;
  private readonly pollMs: number;
  private fnNumberCache: string | null = null;
  private registrationCache: RegistrationResult | null = null;
  private fnExpiryCache: FnExpiry | null = null;
  private ffdVersionCache: { value: string | null } | null = null;

  constructor(
    private readonly link: ShtrihLink,
    options: SessionOptions,
  ) {
    this.opPwd = options.operatorPassword;
    this.printWaitMs = options.printWaitMs;
    this.pollMs = options.pollIntervalMs;
    this.log = options.log;
    this.warn = options.warn ?? options.log;
  }

  /** The FN number (1041) and registration number (1037) seen last, or '' before the first query. */
  get knownFnNumber(): string {
    return this.fnNumberCache ?? '';
  }

  get knownRegNumber(): string {
    return this.registrationCache?.regNumber ?? '';
  }

  /** The last registration read (FF09h), or null before the first. */
  get knownRegistration(): RegistrationResult | null {
    return this.registrationCache;
  }

  /**
   * One command: link exchange, answer validation, device error → KktError('refused') with its fault.
   * A malformed answer to a `fiscal` command is 'outcome_unknown': the device took it.
   */
  async exec(payload: Buffer, opts: { fiscal?: boolean; resendUnacked?: boolean } = {}): Promise<Uint8Array> {
    const code = commandCodeOf(payload);
    const deadline = Date.now() + this.printWaitMs;
    for (;;) {
      const raw = await this.link.exchange(payload, { resendUnacked: opts.resendUnacked });
      let answer;
      try {
        answer = parseAnswer(code, raw);
      } catch (err) {
        if (err instanceof ProtocolError) {
          throw new KktError(
            opts.fiscal ? 'outcome_unknown' : 'refused',
            `ККТ прислала неожиданный ответ на ${commandName(code)}: ${err.message}`,
          );
        }
        throw err;
      }
      if (answer.error === 0) return answer.data;
      if (answer.error === DeviceErrorCode.PRINTING && Date.now() < deadline) {
        await sleep(this.pollMs);
        continue;
      }
      if (
        answer.error === DeviceErrorCode.AWAITING_CONTINUE &&
        code !== Cmd.CONTINUE_PRINT &&
        Date.now() < deadline
      ) {
        await this.exec(continuePrintRequest(this.opPwd));
        continue;
      }
      const status =
        answer.error === DeviceErrorCode.SUBMODE
          ? await this.shortStatus().catch(() => undefined)
          : undefined;
      throw this.deviceError(
        answer.error,
        code,
        status,
        `${deviceErrorMessage(answer.error)} [${commandName(code)}]`,
      );
    }
  }

  /**
   * A device error as a refusal, and its one line in the station log (warn): the code in hex and
   * decimal, the device's words, the command that got it (or whose status showed it: 10h for no
   * paper found before sending) and the reason a program acts on.
   */
  deviceError(
    deviceCode: number,
    command: number,
    status: ShortStatus | undefined,
    message = deviceErrorMessage(deviceCode),
  ): KktError {
    const fault = deviceFault(deviceCode, status);
    this.warn(
      `device error ${deviceCode.toString(16).toUpperCase().padStart(2, '0')}h (${deviceCode}) on ` +
        `${commandName(command)}: ${fault.deviceMessage ?? deviceErrorMessage(deviceCode)}` +
        (fault.reason ? ` [${fault.reason}]` : ''),
    );
    return new KktError('refused', message, fault);
  }

  /** A refusal the driver decides from the printer's status (10h) before sending anything, logged. */
  private statusRefusal(message: string, reason: KktReason): KktError {
    this.warn(`refused on the status (${commandName(Cmd.SHORT_STATUS)}): ${message} [${reason}]`);
    return new KktError('refused', message, { reason });
  }

  /** A read-only command whose answer is parsed; a malformed answer is a clear refusal. */
  async query<T>(payload: Buffer, parse: (data: Uint8Array) => T): Promise<T> {
    const data = await this.exec(payload);
    try {
      return parse(data);
    } catch (err) {
      throw new KktError('refused', `ККТ прислала неверный ответ: ${(err as Error).message}`);
    }
  }

  // ------------------------------------------------------------------ queries

  shortStatus(): Promise<ShortStatus> {
    return this.query(shortStatusRequest(this.opPwd), parseShortStatus);
  }

  async fnStatus(): Promise<FnStatus> {
    const fn = await this.query(fnStatusRequest(this.opPwd), parseFnStatus);
    this.fnNumberCache = fn.fnNumber;
    return fn;
  }

  ofdStatus(): Promise<OfdExchangeStatus> {
    return this.query(ofdExchangeStatusRequest(this.opPwd), parseOfdExchangeStatus);
  }

  shiftParameters(): Promise<ShiftParameters> {
    return this.query(shiftParametersRequest(this.opPwd), parseShiftParameters);
  }

  cashRegister(register: number): Promise<number> {
    return this.query(readCashRegisterRequest(this.opPwd, register), parseCashRegister);
  }

  operationRegister(register: number): Promise<number> {
    return this.query(readOperationRegisterRequest(this.opPwd, register), parseOperationRegister);
  }

  /** The through document number (11h, offset 9 after ERR in the FN edition's layout), or null if unreadable. */
  async throughDocumentNumber(): Promise<number | null> {
    try {
      const data = await this.exec(withPassword(Cmd.FULL_STATUS, this.opPwd));
      return data.length >= 11 ? data[9]! | (data[10]! << 8) : null;
    } catch {
      return null;
    }
  }

  async fnNumber(): Promise<string> {
    return this.fnNumberCache ?? (await this.fnStatus()).fnNumber;
  }

  /** Tag 1037 from FF09h, read once. */
  async regNumber(): Promise<string> {
    return (await this.registration()).regNumber;
  }

  /**
   * FF09h (registration number, INN, tax systems 1062, work modes), read once per connection: a
   * re-registration happens with the service engineer's software and a restart of the till.
   */
  async registration(): Promise<RegistrationResult> {
    this.registrationCache ??= await this.query(
      registrationResultRequest(this.opPwd),
      parseRegistrationResult,
    );
    return this.registrationCache;
  }

  /** FF03h, read once per connection (the date changes only with a new FN). */
  async fnExpiry(): Promise<FnExpiry> {
    this.fnExpiryCache ??= await this.query(fnExpiryRequest(this.opPwd), parseFnExpiry);
    return this.fnExpiryCache;
  }

  /**
   * The FFD version (table 17 field 17, as javapos reads it), once per connection; null on a model
   * without that field (37h/33h/5Dh), which is not a failure.
   */
  async ffdVersion(): Promise<string | null> {
    if (!this.ffdVersionCache) {
      try {
        this.ffdVersionCache = { value: await this.query(ffdVersionRequest(this.opPwd), parseFfdVersion) };
      } catch (err) {
        if (!(err instanceof KktError) || err.deviceCode === undefined) throw err;
        this.ffdVersionCache = { value: null };
      }
    }
    return this.ffdVersionCache.value;
  }

  /** FF0Ah; null when the archive has no such document (error 08). */
  async archiveDocument(fdNumber: number): Promise<ArchiveDocument | null> {
    if (fdNumber <= 0) return null;
    try {
      return await this.query(findDocumentRequest(this.opPwd, fdNumber), parseFindDocument);
    } catch (err) {
      if (err instanceof KktError && err.deviceCode === DeviceErrorCode.NO_DATA) return null;
      throw err;
    }
  }

  /** An archive document in the station's terms. */
  async document(fdNumber: number): Promise<KktDocument | null> {
    const doc = await this.archiveDocument(fdNumber);
    if (!doc) return null;
    const kinds: Record<number, KktDocument['kind']> = {
      [ArchiveDocType.RECEIPT]: 'receipt',
      [ArchiveDocType.CORRECTION_RECEIPT]: 'correction',
      [ArchiveDocType.SHIFT_OPEN]: 'shift_open',
      [ArchiveDocType.SHIFT_CLOSE]: 'shift_close',
    };
    const kind = kinds[doc.docType] ?? 'other';
    const out: KktDocument = {
      fdNumber: doc.fdNumber,
      kind,
      fiscalSign: doc.fiscalSign,
      fiscalDatetime: dateTimeIso(doc.datetime),
    };
    if (doc.operation === OperationType.SALE) out.operation = 'sale';
    else if (doc.operation === OperationType.SALE_RETURN) out.operation = 'refund';
    if (doc.amountKop !== undefined) out.totalKop = doc.amountKop;
    if (doc.shiftNumber !== undefined) out.shiftNumber = doc.shiftNumber;
    return out;
  }

  // ------------------------------------------------------------------ printer and open receipts

  /**
   * 10h, then make the printer ready: B0h after a paper change, wait while it prints; refuse with a
   * clear message when there is no paper or the cover is open.
   */
  async readyForPrinting(): Promise<ShortStatus> {
    const deadline = Date.now() + this.printWaitMs;
    for (;;) {
      const st = await this.shortStatus();
      if (st.coverOpen)
        throw this.statusRefusal('Открыта крышка ККТ — закройте крышку принтера', 'cover_open');
      if (st.submode === PrinterSubmode.AWAITING_CONTINUE) {
        await this.exec(continuePrintRequest(this.opPwd));
      } else if (paperOut(st)) {
        throw this.deviceError(DeviceErrorCode.NO_PAPER, Cmd.SHORT_STATUS, undefined);
      } else if (st.submode === PrinterSubmode.READY) {
        return st;
      } else if (Date.now() > deadline) {
        throw this.statusRefusal('ККТ слишком долго печатает предыдущий документ', 'printer_busy');
      } else {
        await sleep(this.pollMs);
      }
    }
  }

  /**
   * Waits until the printer is idle, sending B0h on sub-mode 3 (the vendor drivers' wait-for-print
   * loop). A paper-out stops the wait without an error: the document is already in the FN, and the
   * tape continues after B0h.
   */
  async waitForPrint(): Promise<void> {
    const deadline = Date.now() + this.printWaitMs;
    while (Date.now() < deadline) {
      const st = await this.shortStatus();
      if (st.submode === PrinterSubmode.READY) return;
      if (st.submode === PrinterSubmode.AWAITING_CONTINUE) await this.exec(continuePrintRequest(this.opPwd));
      else if (paperOut(st)) {
        this.log('paper ran out while printing: the document is in the FN, printing resumes after B0h');
        return;
      } else await sleep(this.pollMs);
    }
  }

  async cancelOpenReceipt(): Promise<void> {
    this.log('a receipt is open on the device: cancelling it (88h)');
    await this.exec(cancelReceiptRequest(this.opPwd));
  }

  /** Best effort: after a failure the device may be unreachable; the next operation cancels then. */
  async cancelAfterFailure(): Promise<void> {
    try {
      const st = await this.shortStatus();
      if (st.mode === DeviceMode.RECEIPT_OPEN) await this.exec(cancelReceiptRequest(this.opPwd));
    } catch (err) {
      this.log(`could not cancel the receipt: ${(err as Error).message}`);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
