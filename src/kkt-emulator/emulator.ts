// Byte-level emulator of a Shtrih-M KKT with an FN: the device side of the link layer and a state
// machine for the command subset the station uses. It is a test and demo device, never a fiscal one:
// fiscal signs are a CRC32, not a cryptographic FN signature.
//
// The parts: device-link.ts (framing, ENQ/ACK/NAK, the pending answer), faults.ts (fault injection),
// device.ts (state, modes, gates), query-handlers.ts and document-handlers.ts (the commands),
// codec.ts (byte fields), state.ts (the durable FN state). This class wires them and is the control
// API tests and demos use. It imports only src/shtrih-protocol.

import type { ByteChannel } from '../shtrih-protocol/channel.ts';
import { Cmd, commandCodeOf } from '../shtrih-protocol/codes.ts';
import { DeviceErrorCode as E } from '../shtrih-protocol/device-errors.ts';
import { answer, errorAnswer, localIso } from './codec.ts';
import { markCodeLabel, parseMarkCode } from '../shared/marking-code.ts';
import { EmulatedDevice } from './device.ts';
import { DeviceLink } from './device-link.ts';
import * as tlv from './tlv-handlers.ts';
import * as doc from './document-handlers.ts';
import { openDrawer } from './drawer-handlers.ts';
import { BarcodeHandlers, type PrintedQr } from './barcode-handlers.ts';
import * as info from './device-info-handlers.ts';
import { FaultInjector, type EmulatorFaults } from './faults.ts';
import { FnExchangeHandlers } from './fn-exchange-handlers.ts';
import { FnExchangeCmd, OFD_MODE_FIELD } from '../shtrih-protocol/fn-exchange.ts';
import * as marking from './marking-handlers.ts';
import type { MarkRejection, MarkServerMode } from './marking-state.ts';
import * as query from './query-handlers.ts';
import {
  StateSaveError,
  StateStore,
  type ArchivedDocument,
  type DurableState,
  type KktIdentity,
} from './state.ts';

/** FN failure (03h): what a KKT answers when its FN cannot write a document. Nothing was fiscalised. */
const FN_FAILURE = 0x03;

export type { EmulatorFaults, FaultTarget } from './faults.ts';
export type { PrintedQr } from './barcode-handlers.ts';

export interface EmulatorOptions {
  /** JSON state file; null or absent keeps the state in memory (lost on close). */
  statePath?: string | null;
  /** Fiscal clock (document times, the 24-hour rule). Defaults to the system clock. */
  clock?: () => Date;
  /** How long the printer is busy after a printing command (sub-mode 5). */
  printDelayMs?: number;
  /** Drop a half-received frame after this pause between bytes (the emulator's choice: 500 ms). */
  interByteTimeoutMs?: number;
  /** Wait for the host's ACK of an answer before keeping it for the next ENQ. */
  answerAckTimeoutMs?: number;
  /** Identity of a fresh device (ignored when the state file exists). */
  identity?: Partial<KktIdentity>;
  /**
   * The registration to use whatever the state file says (the CLI's --tax-systems / --fn-expires, the
   * station's emulator settings): applied over a loaded state as a re-registration would, and saved.
   */
  registration?: Partial<Pick<KktIdentity, 'taxSystems' | 'fnExpiresOn'>>;
  /** Answer FF45h with the optional DATE_TIME (LEN 21); false gives the short 16-byte form. */
  extendedCloseAnswer?: boolean;
  /** False plays an older firmware without DDh/DEh (2D barcodes): both answer 37h. Default true. */
  barcodes2d?: boolean;
  log?: (line: string) => void;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Writes a registration given at start over the stored one (a re-registration) and saves it. */
function applyRegistration(store: StateStore, reg: EmulatorOptions['registration']): void {
  if (!reg) return;
  const id = store.state.identity;
  let changed = false;
  if (reg.taxSystems !== undefined && reg.taxSystems !== id.taxSystems) {
    id.taxSystems = reg.taxSystems;
    changed = true;
  }
  if (reg.fnExpiresOn !== undefined && reg.fnExpiresOn !== id.fnExpiresOn) {
    id.fnExpiresOn = reg.fnExpiresOn;
    changed = true;
  }
  if (changed) store.commit();
}

export class KktEmulator {
  readonly faults: EmulatorFaults;
  private readonly injector: FaultInjector;
  private readonly device: EmulatedDevice;
  private readonly link: DeviceLink;
  private readonly log: (line: string) => void;
  private readonly fnExchange: FnExchangeHandlers;
  private readonly barcodes: BarcodeHandlers;

  constructor(channel: ByteChannel, options: EmulatorOptions = {}) {
    const clock = options.clock ?? (() => new Date());
    this.log = options.log ?? (() => undefined);
    const store = StateStore.open(
      options.statePath ?? null,
      { ...options.identity, ...definedOnly(options.registration ?? {}) },
      localIso(clock()),
    );
    applyRegistration(store, options.registration);
    this.device = new EmulatedDevice(
      store,
      clock,
      options.extendedCloseAnswer ?? true,
      options.printDelayMs ?? 0,
    );
    this.fnExchange = new FnExchangeHandlers(this.device, this.log);
    this.barcodes = new BarcodeHandlers(this.device, this.log);
    this.barcodes.supported = options.barcodes2d ?? true;
    this.injector = new FaultInjector(this.log);
    this.faults = this.injector.controls;
    this.link = new DeviceLink(channel, {
      interByteTimeoutMs: options.interByteTimeoutMs ?? 500,
      answerAckTimeoutMs: options.answerAckTimeoutMs ?? 1_000,
      execute: (payload) => this.execute(payload),
      faults: this.injector,
      log: this.log,
    });
  }

  // ------------------------------------------------------------ control API (tests, CLI, demo)

  /** Take the paper out or put a new roll in. A new roll after an active paper-out waits for B0h. */
  setPaper(present: boolean): void {
    const d = this.device;
    if (present) {
      if (d.activePaperOut) d.awaitingContinue = true;
      d.activePaperOut = false;
    } else if (d.isPrinting()) {
      d.activePaperOut = true;
    }
    d.paperPresent = present;
  }

  /**
   * The FN (`crypto`) or the marking server (`status`: sold, blocked, expired…) rejects this code from now
   * on; any scanner form of it matches. `accept` lifts the rejection.
   */
  rejectMarkCode(code: string, check: MarkRejection | 'accept' = 'status'): void {
    const key = markCodeLabel(parseMarkCode(code));
    if (check === 'accept') this.device.marks.rejected.delete(key);
    else this.device.marks.rejected.set(key, check);
  }

  /** How the marking server answers FF61h: online (default), too late (0xFF), or not asked. */
  setMarkServer(mode: MarkServerMode): void {
    this.device.marks.server = mode;
  }

  setCoverOpen(open: boolean): void {
    this.device.coverOpen = open;
  }

  /** The next printing command is executed (and fiscalised) but the paper runs out while it prints. */
  runOutOfPaperDuringNextPrint(): void {
    this.device.paperRunsOutOnNextPrint = true;
  }

  /** FF01h warning bits the emulator cannot reach by itself: FN memory 90 % full, OFD answer timeout. */
  setFnWarning(flag: 'memory_almost_full' | 'ofd_timeout', on: boolean): void {
    const bit = flag === 'memory_almost_full' ? 0x04 : 0x08;
    this.device.fnFlagsSet = on ? this.device.fnFlagsSet | bit : this.device.fnFlagsSet & ~bit;
  }

  /** Simulates the FN delivering its oldest `count` documents to the OFD. Returns how many went. */
  deliverToOfd(count = Number.POSITIVE_INFINITY): number {
    const store = this.device.store;
    const n = Math.min(count, store.state.unsent.length);
    store.state.unsent.splice(0, n);
    if (n > 0) store.commit();
    return n;
  }

  /** Table 21 «Режим обмена с ОФД»: 'host' when the host relays the FN's messages (FF30h–FF33h). */
  get ofdExchangeMode(): 'host' | 'kkt' {
    return this.fnExchange.mode === 0 ? 'host' : 'kkt';
  }

  /** Why the FN refused the last OFD answer written back (error 20h), or null. */
  get lastOfdRefusal(): string | null {
    return this.fnExchange.lastRefusal;
  }

  /** The fiscal archive (read-only view). */
  get archive(): readonly ArchivedDocument[] {
    return this.device.st.archive;
  }

  /** A deep copy of the durable state, for assertions. */
  snapshot(): DurableState {
    return structuredClone(this.device.st);
  }

  /** 28h: how often the station opened the cash drawer `drawer` (0 or 1) over the device's life. */
  drawerOpenings(drawer = 0): number {
    return this.device.st.drawerOpenings?.[drawer] ?? 0;
  }

  /** What the virtual printer printed since start. */
  get tape(): readonly string[] {
    return this.device.tape;
  }

  /** The QR codes it drew (DEh) since start, with the parameters used; each is also a `[QR] …` tape line. */
  get printedQrCodes(): readonly PrintedQr[] {
    return this.barcodes.printed;
  }

  /** False: DDh/DEh answer 37h from now on, as on a firmware without 2D barcodes; true restores them. */
  setBarcodes2d(supported: boolean): void {
    this.barcodes.supported = supported;
  }

  get receiptOpen(): boolean {
    return this.device.receipt !== null;
  }

  /** Stops answering; the state goes into its snapshot alone (state.ts close) so the file reads whole. */
  async close(): Promise<void> {
    this.link.close();
    this.device.store.close();
  }

  // ------------------------------------------------------------ command execution

  /**
   * A command payload → its answer payload; never throws (a handler bug answers 7Eh). A state that
   * cannot be saved answers 03h (FN failure): the store rolled the durable state back, and the shift
   * tags the command took are put back here, so the refusal means the command did nothing.
   */
  private execute(payload: Buffer): Buffer {
    const shiftTags = this.device.shiftTags;
    try {
      return this.executeChecked(payload);
    } catch (err) {
      if (err instanceof StateSaveError) {
        this.device.shiftTags = shiftTags;
        this.log(`${err.message}; the command is refused (03h) and nothing was fiscalised`);
        return errorAnswer(payload, FN_FAILURE);
      }
      this.log(`command failed inside the emulator: ${(err as Error).message}`);
      return errorAnswer(payload, E.BAD_LENGTH);
    }
  }

  private executeChecked(payload: Buffer): Buffer {
    const code = commandCodeOf(payload);
    if (code < 0) return Buffer.from([0xff, E.BAD_LENGTH]);
    const data = payload.subarray(code > 0xff ? 2 : 1);
    const forced = this.injector.take('fail', code);
    if (forced) return answer(code, forced.value);
    // FCh is the one command without a password: hosts identify the device with it before anything else.
    if (code === Cmd.DEVICE_TYPE) return answer(code, 0, info.deviceType());
    if (data.length < 4) return answer(code, E.BAD_LENGTH);
    const password = data.readUInt32LE(0);
    // Default passwords: operator N has password N (1…28 cashiers, 29 admin, 30 sysadmin).
    if (password < 1 || password > 30) return answer(code, E.WRONG_PASSWORD);
    const operator = password;
    const args = data.subarray(4);
    const phantom = this.injector.take('phantomLine', code);
    if (phantom) doc.addPhantomLine(this.device, phantom.value);
    const result = this.dispatch(code, operator, args);
    return typeof result === 'number' ? answer(code, result) : answer(code, 0, result);
  }

  /** Returns the answer data after ERR, or an error code. */
  private dispatch(code: number, op: number, args: Buffer): Buffer | number {
    const d = this.device;
    switch (code) {
      case Cmd.SHORT_STATUS:
        return query.shortStatus(d, op);
      case Cmd.FULL_STATUS:
        return query.fullStatus(d, op);
      case Cmd.READ_TABLE:
        // Table 21 (network interfaces: the OFD exchange mode) belongs to the FN exchange; the rest here.
        return args[0] === OFD_MODE_FIELD.table
          ? this.fnExchange.readTable(op, args)
          : info.readTable(d, args);
      case Cmd.FN_EXPIRY:
        return info.fnExpiry(d);
      case Cmd.LEGACY_SALE:
      case Cmd.LEGACY_SALE_RETURN:
      case Cmd.LEGACY_CLOSE_RECEIPT:
        // An FFD 1.2 device refuses the FFD 1.0 receipt commands with 37h (the vendor's driver adds
        // "ФФД 1.2" from the extended error code); receipts are 8Dh → FF46h → FF45h.
        return E.NOT_SUPPORTED;
      case Cmd.PRINT_STRING:
        return doc.printString(d, op, args);
      case Cmd.OPEN_DRAWER:
        return openDrawer(d, op, args);
      case Cmd.LOAD_DATA:
        return this.barcodes.load(op, args);
      case Cmd.PRINT_2D_BARCODE:
        return this.barcodes.print(op, args);
      case Cmd.READ_CASH_REGISTER:
        return query.readCashRegister(d, op, args);
      case Cmd.READ_OPERATION_REGISTER:
        return query.readOperationRegister(d, op, args);
      case Cmd.X_REPORT:
        return doc.xReport(d, op);
      case Cmd.Z_REPORT:
        return doc.zReport(d, op);
      case Cmd.CASH_IN:
      case Cmd.CASH_OUT:
        return doc.cashInOut(d, code === Cmd.CASH_IN, op, args);
      case Cmd.CANCEL_RECEIPT:
        return doc.cancelReceipt(d, op);
      case Cmd.OPEN_RECEIPT:
        return doc.openReceipt(d, op, args);
      case Cmd.CONTINUE_PRINT:
        return doc.continuePrint(d, op);
      case Cmd.OPEN_SHIFT:
        return doc.openShift(d, op);
      case Cmd.FN_STATUS:
        return query.fnStatus(d);
      case Cmd.REGISTRATION_RESULT:
        return query.registrationResult(d);
      case Cmd.FIND_DOCUMENT:
        return query.findDocument(d, args);
      case Cmd.WRITE_TLV:
        return tlv.writeTlv(d, args);
      case Cmd.WRITE_ITEM_TLV:
        return tlv.writeItemTlv(d, args);
      case Cmd.OFD_EXCHANGE_STATUS:
        return query.ofdStatus(d);
      case Cmd.SHIFT_PARAMETERS:
        return query.shiftParameters(d);
      case Cmd.BEGIN_OPEN_SHIFT:
        return doc.beginShiftReport(d, true);
      case Cmd.BEGIN_CLOSE_SHIFT:
        return doc.beginShiftReport(d, false);
      case Cmd.CLOSE_RECEIPT_V2:
        return doc.closeReceipt(d, args);
      case Cmd.OPERATION_V2:
        return doc.operation(d, args);
      case FnExchangeCmd.WRITE_TABLE:
        return this.fnExchange.writeTable(op, args);
      case FnExchangeCmd.BUFFER_STATUS:
        return this.fnExchange.bufferStatus(op);
      case FnExchangeCmd.READ_BLOCK:
        return this.fnExchange.readBlock(op, args);
      case FnExchangeCmd.START_WRITE:
        return this.fnExchange.startWrite(op, args);
      case FnExchangeCmd.WRITE_BLOCK:
        return this.fnExchange.writeBlock(op, args);
      case Cmd.CHECK_MARK:
        return marking.checkMark(d, args);
      case Cmd.ACCEPT_MARK:
        return marking.acceptMark(d, args);
      case Cmd.BIND_MARK:
        return marking.bindMark(d, args);
      case Cmd.MARK_STATUS:
        return marking.markStatus(d);
      default:
        return E.NOT_SUPPORTED;
    }
  }
}
