// Byte-level emulator of a Shtrih-M KKT with an FN (kkt-protocol.md §5.6): the device side of the
// link layer plus a state machine for the command subset the station uses. It is a test and demo
// device, never a fiscal one: fiscal signs are a CRC32, not a cryptographic FN signature.
//
// Request decoding is written independently of the host's commands.ts on purpose: the golden vectors
// pin both, and a layout mistake on one side shows up as a failing driver ↔ emulator test.

import type { ByteChannel } from '../main/core/kkt/shtrih/channel.ts';
import { ACK, ENQ, FrameDecoder, NAK, encodeFrame } from '../main/core/kkt/shtrih/frame.ts';
import { decodeCp866, decodeCp1251 } from '../main/core/kkt/shtrih/text.ts';
import { KNOWN_VAT_BYTES } from '../main/core/kkt/shtrih/vat.ts';
import { StateStore, emptyCounters, emptySplit, type ArchivedDocument, type DurableState, type KktIdentity, type PaymentSplit, type ShiftCounters } from './state.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Device error codes the emulator answers with (kkt-protocol.md §1.6; state-specific ones are (choice)). */
export const E = {
  BAD_FORMAT: 0x01,
  NO_DATA: 0x08,
  TLV_TOO_LARGE: 0x10,
  SHIFT_NOT_OPEN_OR_24H: 0x16,
  BAD_PARAMS: 0x33,
  NOT_SUPPORTED: 0x37,
  SHIFT_OPEN: 0x3c,
  SHIFT_NOT_OPEN: 0x3d,
  PAYMENT_BELOW_TOTAL: 0x45,
  NOT_ENOUGH_CASH: 0x46,
  WRONG_RECEIPT_TYPE: 0x49,
  RECEIPT_OPEN: 0x4a,
  RECEIPT_BUFFER_FULL: 0x4b,
  NONCASH_ABOVE_TOTAL: 0x4d,
  SHIFT_24H: 0x4e,
  WRONG_PASSWORD: 0x4f,
  PRINTING: 0x50,
  RECEIPT_CLOSED: 0x55,
  AWAITING_CONTINUE: 0x58,
  NO_PAPER: 0x6b,
  SUBMODE: 0x72,
  BAD_LENGTH: 0x7e,
  ZERO_TOTAL: 0x8e,
} as const;

const MAX_ITEMS = 200;

export interface EmulatorOptions {
  /** JSON state file; null or absent keeps the state in memory (lost on close). */
  statePath?: string | null;
  /** Fiscal clock (document times, the 24-hour rule). Defaults to the system clock. */
  clock?: () => Date;
  /** How long the printer is busy after a printing command (sub-mode 5). */
  printDelayMs?: number;
  /** Drop a half-received frame after this pause between bytes (§5.6 choice: 500 ms). */
  interByteTimeoutMs?: number;
  /** Wait for the host's ACK of an answer before keeping it for the next ENQ. */
  answerAckTimeoutMs?: number;
  /** Identity of a fresh device (ignored when the state file exists). */
  identity?: Partial<KktIdentity>;
  /** Answer FF45h with the optional DATE_TIME (LEN 21); false gives the short 16-byte form. */
  extendedCloseAnswer?: boolean;
  log?: (line: string) => void;
}

interface OpenReceipt {
  /** 8Dh type: 0 sale, 1 purchase, 2 sale return, 3 purchase return. */
  type: number;
  items: { name: string; quantityMicro: number; priceKop: number; sumKop: number; vatByte: number; paymentMethod: number; paymentSubject: number }[];
  totalKop: number;
  tags: Record<string, string>;
}

interface PendingAnswer {
  frame: Buffer;
  /** Send it once with a broken LRC (fault). */
  corruptOnce: boolean;
  /** False while the (simulated) processing delay runs. */
  ready: boolean;
  timer: NodeJS.Timeout | null;
}

/** Which commands a fault applies to: the next `count` (default 1), optionally only those with code `command` (FF-commands as 0xFFxx). */
export interface FaultTarget {
  count?: number;
  command?: number;
}

/** Fault injection, for tests and demos of the station's recovery paths. */
export interface EmulatorFaults {
  /** Execute the command but do not send its ACK byte (the answer still follows). */
  dropAck(target?: FaultTarget): void;
  /** Send the answer with a wrong LRC on its first transmission; the host's NAK + ENQ gets a good copy. */
  corruptAnswer(target?: FaultTarget): void;
  /** Hold the answer for `ms` (e.g. past the host's response timeout); ENQ meanwhile gets ACK. */
  delayAnswer(ms: number, target?: FaultTarget): void;
  /** Execute the command, ACK it, then forget the answer (as if the device rebooted): ENQ gets NAK. */
  loseAnswer(target?: FaultTarget): void;
  /** Answer with error `code` without executing the command. */
  failNext(code: number, target?: FaultTarget): void;
  /** Ignore every byte (no ACK, no NAK, no answers) until switched off. */
  setSilent(silent: boolean): void;
  /** Send these bytes before the next thing the device transmits (the default avoids control bytes). */
  injectGarbage(bytes?: readonly number[]): void;
  /** Remove every pending fault and leave silence. */
  clear(): void;
}

type FaultKind = 'dropAck' | 'corrupt' | 'delay' | 'lose' | 'fail';

interface ArmedFault {
  kind: FaultKind;
  remaining: number;
  command?: number;
  /** delay: milliseconds; fail: error code. */
  value: number;
}

export class KktEmulator {
  readonly faults: EmulatorFaults;
  private readonly store: StateStore;
  private readonly clock: () => Date;
  private readonly printDelayMs: number;
  private readonly interByteTimeoutMs: number;
  private readonly answerAckTimeoutMs: number;
  private readonly extendedCloseAnswer: boolean;
  private readonly log: (line: string) => void;
  private readonly decoder = new FrameDecoder();
  private readonly unsubscribe: () => void;
  private interByteTimer: NodeJS.Timeout | null = null;
  private pending: PendingAnswer | null = null;
  private awaitingHostAck: NodeJS.Timeout | null = null;
  private closed = false;

  // Volatile device state (a restart loses it, as a power cycle would).
  private receipt: OpenReceipt | null = null;
  private shiftTags: Record<string, string> = {};
  private paperPresent = true;
  private coverOpen = false;
  private activePaperOut = false;
  private awaitingContinue = false;
  private printingUntil = 0;
  private paperRunsOutOnNextPrint = false;
  private readonly tapeLines: string[] = [];

  // Fault state.
  private armed: ArmedFault[] = [];
  private silent = false;
  private garbage: number[] | null = null;

  constructor(
    private readonly channel: ByteChannel,
    options: EmulatorOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.printDelayMs = options.printDelayMs ?? 0;
    this.interByteTimeoutMs = options.interByteTimeoutMs ?? 500;
    this.answerAckTimeoutMs = options.answerAckTimeoutMs ?? 1_000;
    this.extendedCloseAnswer = options.extendedCloseAnswer ?? true;
    this.log = options.log ?? (() => undefined);
    this.store = StateStore.open(options.statePath ?? null, options.identity ?? {}, localIso(this.clock()));
    this.unsubscribe = channel.onData((chunk) => {
      for (const b of chunk) this.onByte(b);
    });
    const arm = (kind: FaultKind, value: number, t: FaultTarget = {}) =>
      void this.armed.push({ kind, value, remaining: t.count ?? 1, command: t.command });
    this.faults = {
      dropAck: (t) => arm('dropAck', 0, t),
      corruptAnswer: (t) => arm('corrupt', 0, t),
      delayAnswer: (ms, t) => arm('delay', ms, t),
      loseAnswer: (t) => arm('lose', 0, t),
      failNext: (code, t) => arm('fail', code, t),
      setSilent: (silent) => void (this.silent = silent),
      injectGarbage: (bytes = [0xff, 0x00, 0x37, 0xaa, 0x81, 0xfe]) => void (this.garbage = [...bytes]),
      clear: () => {
        this.armed = [];
        this.silent = false;
        this.garbage = null;
      },
    };
  }

  /** Consumes one armed fault of this kind that applies to `code`; null when none. */
  private takeFault(kind: FaultKind, code: number): ArmedFault | null {
    const i = this.armed.findIndex((f) => f.kind === kind && (f.command === undefined || f.command === code));
    if (i < 0) return null;
    const f = this.armed[i]!;
    if (--f.remaining <= 0) this.armed.splice(i, 1);
    this.log(`fault ${kind} on ${code.toString(16)}`);
    return f;
  }

  // ------------------------------------------------------------ control API (tests, CLI, demo)

  /** Take the paper out or put a new roll in. A new roll after an active paper-out waits for B0h. */
  setPaper(present: boolean): void {
    if (present) {
      if (this.activePaperOut) this.awaitingContinue = true;
      this.activePaperOut = false;
    } else if (this.isPrinting()) {
      this.activePaperOut = true;
    }
    this.paperPresent = present;
  }

  setCoverOpen(open: boolean): void {
    this.coverOpen = open;
  }

  /** The next printing command is executed (and fiscalised) but the paper runs out while it prints. */
  runOutOfPaperDuringNextPrint(): void {
    this.paperRunsOutOnNextPrint = true;
  }

  /** Simulates the FN delivering its oldest `count` documents to the OFD. Returns how many went. */
  deliverToOfd(count = Number.POSITIVE_INFINITY): number {
    const n = Math.min(count, this.store.state.unsent.length);
    this.store.state.unsent.splice(0, n);
    if (n > 0) this.store.commit();
    return n;
  }

  /** The fiscal archive (read-only view). */
  get archive(): readonly ArchivedDocument[] {
    return this.store.state.archive;
  }

  /** A deep copy of the durable state, for assertions. */
  snapshot(): DurableState {
    return structuredClone(this.store.state);
  }

  /** What the virtual printer printed since start. */
  get tape(): readonly string[] {
    return this.tapeLines;
  }

  get receiptOpen(): boolean {
    return this.receipt !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    if (this.interByteTimer) clearTimeout(this.interByteTimer);
    if (this.awaitingHostAck) clearTimeout(this.awaitingHostAck);
    if (this.pending?.timer) clearTimeout(this.pending.timer);
    this.pending = null;
  }

  // ------------------------------------------------------------ link layer (device side)

  private onByte(byte: number): void {
    if (this.closed || this.silent) return;
    if (this.decoder.inFrame || this.interByteTimer) this.restartInterByteTimer();
    const ev = this.decoder.push(byte);
    if (this.decoder.inFrame && !this.interByteTimer) this.restartInterByteTimer();
    if (!ev) return;
    this.stopInterByteTimer();
    switch (ev.type) {
      case 'control':
        if (ev.byte === ENQ) this.onEnq();
        else if (ev.byte === ACK) this.onHostAck();
        else if (ev.byte === NAK) this.onHostNak();
        return;
      case 'bad_lrc':
        this.log(`frame with bad LRC → NAK`);
        this.send(Uint8Array.of(NAK));
        return;
      case 'bad_length':
        this.send(Uint8Array.of(NAK));
        return;
      case 'frame':
        this.onFrame(ev.payload);
        return;
      case 'noise':
        return; // 0xFF and line noise are ignored
    }
  }

  private restartInterByteTimer(): void {
    this.stopInterByteTimer();
    this.interByteTimer = setTimeout(() => {
      this.interByteTimer = null;
      if (this.decoder.inFrame) this.log('inter-byte timeout: frame dropped');
      this.decoder.reset();
    }, this.interByteTimeoutMs);
  }

  private stopInterByteTimer(): void {
    if (this.interByteTimer) clearTimeout(this.interByteTimer);
    this.interByteTimer = null;
  }

  private onEnq(): void {
    if (!this.pending) {
      this.send(Uint8Array.of(NAK));
      return;
    }
    // "ACK: preparing or holding an answer". A ready answer follows at once; one still being
    // processed goes out when its timer fires.
    this.send(Uint8Array.of(ACK));
    if (this.pending.ready) this.transmitPending();
  }

  private onHostAck(): void {
    if (!this.awaitingHostAck) return;
    clearTimeout(this.awaitingHostAck);
    this.awaitingHostAck = null;
    this.pending = null; // delivered
  }

  private onHostNak(): void {
    // The host got a damaged answer. Keep it: the host asks again with ENQ (§1.1 step 4).
    if (this.awaitingHostAck) clearTimeout(this.awaitingHostAck);
    this.awaitingHostAck = null;
  }

  private onFrame(payload: Buffer): void {
    const code = commandCode(payload);
    if (!this.takeFault('dropAck', code)) this.send(Uint8Array.of(ACK));
    let answer: Buffer;
    try {
      answer = this.execute(payload);
    } catch (err) {
      this.log(`command failed inside the emulator: ${(err as Error).message}`);
      answer = errorAnswer(payload, E.BAD_LENGTH);
    }
    if (this.pending?.timer) clearTimeout(this.pending.timer);
    if (this.takeFault('lose', code)) {
      this.pending = null;
      return;
    }
    const pending: PendingAnswer = { frame: encodeFrame(answer), corruptOnce: this.takeFault('corrupt', code) !== null, ready: false, timer: null };
    this.pending = pending;
    const delay = this.takeFault('delay', code)?.value ?? 0;
    const release = () => {
      pending.timer = null;
      pending.ready = true;
      if (this.pending === pending && !this.closed) this.transmitPending();
    };
    if (delay > 0) pending.timer = setTimeout(release, delay);
    else release();
  }

  private transmitPending(): void {
    const p = this.pending;
    if (!p) return;
    let frame = p.frame;
    if (p.corruptOnce) {
      p.corruptOnce = false;
      frame = Buffer.from(frame);
      frame[frame.length - 1] = frame[frame.length - 1]! ^ 0x5a;
    }
    this.send(frame);
    if (this.awaitingHostAck) clearTimeout(this.awaitingHostAck);
    this.awaitingHostAck = setTimeout(() => {
      this.awaitingHostAck = null; // no ACK from the host: keep the answer for the next ENQ
    }, this.answerAckTimeoutMs);
  }

  private send(bytes: Uint8Array): void {
    if (this.closed) return;
    if (this.garbage) {
      const g = this.garbage;
      this.garbage = null;
      void this.channel.write(Uint8Array.from(g)).catch(() => undefined);
    }
    void this.channel.write(bytes).catch((err: unknown) => this.log(`write failed: ${(err as Error).message}`));
  }

  // ------------------------------------------------------------ command execution

  private execute(payload: Buffer): Buffer {
    const code = commandCode(payload);
    if (code < 0) return Buffer.from([0xff, E.BAD_LENGTH]);
    const data = payload.subarray(code > 0xff ? 2 : 1);
    const forced = this.takeFault('fail', code);
    if (forced) return answer(code, forced.value);
    if (data.length < 4) return answer(code, E.BAD_LENGTH);
    const password = data.readUInt32LE(0);
    // Default passwords: operator N has password N (1…28 cashiers, 29 admin, 30 sysadmin).
    if (password < 1 || password > 30) return answer(code, E.WRONG_PASSWORD);
    const operator = password;
    const args = data.subarray(4);
    const result = this.dispatch(code, operator, args);
    return typeof result === 'number' ? answer(code, result) : answer(code, 0, result);
  }

  /** Returns the answer data after ERR, or an error code. */
  private dispatch(code: number, op: number, args: Buffer): Buffer | number {
    switch (code) {
      case 0x10:
        return this.shortStatus(op);
      case 0x11:
        return this.fullStatus(op);
      case 0x17:
        return this.printString(op, args);
      case 0x1a:
        return this.readCashRegister(op, args);
      case 0x1b:
        return this.readOperationRegister(op, args);
      case 0x40:
        return this.xReport(op);
      case 0x41:
        return this.zReport(op);
      case 0x50:
      case 0x51:
        return this.cashInOut(code === 0x50, op, args);
      case 0x88:
        return this.cancelReceipt(op);
      case 0x8d:
        return this.openReceipt(op, args);
      case 0xb0:
        if (this.awaitingContinue) {
          this.awaitingContinue = false;
          this.tapeLines.push('-- печать продолжена --');
          this.startPrinting();
        }
        return Buffer.from([op]);
      case 0xe0:
        return this.openShift(op);
      case 0xff01:
        return this.fnStatus();
      case 0xff09:
        return this.registrationResult();
      case 0xff0a:
        return this.findDocument(args);
      case 0xff0c:
        return this.writeTlv(args);
      case 0xff39:
        return this.ofdStatus();
      case 0xff40:
        return this.shiftParameters();
      case 0xff41: // begin open shift: FF0Ch tags that follow go into the opening report
        if (this.receipt) return E.RECEIPT_OPEN;
        return this.st.shift.open ? E.SHIFT_OPEN : Buffer.alloc(0);
      case 0xff42: // begin close shift
        if (this.receipt) return E.RECEIPT_OPEN;
        return this.st.shift.open ? Buffer.alloc(0) : E.SHIFT_NOT_OPEN_OR_24H;
      case 0xff45:
        return this.closeReceipt(args);
      case 0xff46:
        return this.operation(args);
      default:
        return E.NOT_SUPPORTED;
    }
  }

  // --- modes

  private get st() {
    return this.store.state;
  }

  private shiftExpired(): boolean {
    const s = this.st.shift;
    return s.open && s.openedAtMs !== null && this.clock().getTime() - s.openedAtMs > DAY_MS;
  }

  private mode(): number {
    if (this.receipt) return 8 | (this.receipt.type << 4);
    if (!this.st.shift.open) return 4;
    return this.shiftExpired() ? 3 : 2;
  }

  private isPrinting(): boolean {
    return Date.now() < this.printingUntil;
  }

  private submode(): number {
    if (this.activePaperOut) return 2;
    if (this.awaitingContinue) return 3;
    if (!this.paperPresent) return 1;
    if (this.isPrinting()) return 5;
    return 0;
  }

  /** Gate for commands that print: the reason they cannot, or null. */
  private printBlocker(): number | null {
    if (this.awaitingContinue) return E.AWAITING_CONTINUE;
    if (!this.paperPresent || this.activePaperOut) return E.NO_PAPER;
    if (this.coverOpen) return E.SUBMODE;
    if (this.isPrinting()) return E.PRINTING;
    return null;
  }

  private startPrinting(): void {
    if (this.printDelayMs > 0) this.printingUntil = Date.now() + this.printDelayMs;
    if (this.paperRunsOutOnNextPrint) {
      this.paperRunsOutOnNextPrint = false;
      this.paperPresent = false;
      this.activePaperOut = true;
      this.tapeLines.push('-- кончилась бумага --');
    }
  }

  /** Shift checks shared by 8Dh and FF46h. */
  private saleBlocker(): number | null {
    if (!this.st.shift.open) return E.SHIFT_NOT_OPEN_OR_24H;
    if (this.shiftExpired()) return E.SHIFT_24H;
    return null;
  }

  // --- status

  private shortStatus(op: number): Buffer {
    let flags = 0;
    if (this.paperPresent && !this.activePaperOut) flags |= 0x02 | 0x80; // receipt roll + optical sensor
    if (this.coverOpen) flags |= 0x0400;
    const ops = this.receipt?.items.length ?? 0;
    const b = Buffer.alloc(14);
    b[0] = op;
    b.writeUInt16LE(flags, 1);
    b[3] = this.mode();
    b[4] = this.submode();
    b[5] = ops & 0xff;
    b[6] = 0x9f; // backup battery (raw), as in the real trace
    b[7] = 0xe5; // supply voltage (raw)
    // 8, 9: legacy FP/EKLZ error bytes = 0; 10: ops high; 11–13 reserved
    b[10] = (ops >> 8) & 0xff;
    return b;
  }

  private fullStatus(op: number): Buffer {
    const now = this.clock();
    const b = Buffer.alloc(46);
    b[0] = op;
    b.write('A4', 1, 'latin1');
    b.writeUInt16LE(1, 3); // build
    b.set([1, 1, 26], 5); // firmware date
    b[8] = 1; // number in hall
    b.writeUInt16LE(this.st.documentNumber & 0xffff, 9);
    b.writeUInt16LE(0, 11);
    b[13] = this.mode();
    b[14] = this.submode();
    b[15] = 1; // port
    // 16…22 legacy FP fields: zeros
    b.set([now.getDate(), now.getMonth() + 1, now.getFullYear() % 100], 23);
    b.set([now.getHours(), now.getMinutes(), now.getSeconds()], 26);
    b.writeUInt32LE(this.st.identity.serial >>> 0, 30);
    const lastClosed = this.st.shift.open ? this.st.shift.number - 1 : this.st.shift.number;
    b.writeUInt16LE(Math.max(0, lastClosed), 34);
    b[38] = 0; // re-registrations done
    b[39] = 0; // left
    let inn = Number(this.st.identity.inn);
    for (let i = 0; i < 6; i++) {
      b[40 + i] = inn % 256;
      inn = Math.floor(inn / 256);
    }
    return b;
  }

  private fnStatus(): Buffer {
    const b = Buffer.alloc(30);
    b[0] = 0x03; // fiscal mode
    b[1] = this.receipt ? 0x04 : 0x00;
    b[2] = this.receipt && this.receipt.items.length > 0 ? 1 : 0;
    b[3] = this.st.shift.open ? 1 : 0;
    b[4] = 0; // warnings
    b.set(dateTime5(this.clock()), 5);
    b.write(this.st.identity.fnNumber.padEnd(16, ' ').slice(0, 16), 10, 'latin1');
    b.writeUInt32LE(this.st.lastFd, 26);
    return b;
  }

  private ofdStatus(): Buffer {
    const unsent = this.st.unsent;
    const b = Buffer.alloc(13);
    b[0] = unsent.length > 0 ? 0x02 : 0x00;
    b[1] = 0;
    b.writeUInt16LE(Math.min(unsent.length, 0xffff), 2);
    const first = unsent[0];
    if (first !== undefined) {
      b.writeUInt32LE(first, 4);
      const doc = this.store.document(first);
      if (doc) b.set(dateTime5FromIso(doc.datetime), 8);
    }
    return b;
  }

  private shiftParameters(): Buffer {
    const b = Buffer.alloc(5);
    b[0] = this.st.shift.open ? 1 : 0;
    b.writeUInt16LE(this.st.shift.number & 0xffff, 1);
    b.writeUInt16LE(this.st.shift.receiptNumber & 0xffff, 3);
    return b;
  }

  private findDocument(args: Buffer): Buffer | number {
    if (args.length < 4) return E.BAD_LENGTH;
    const doc = this.store.document(args.readUInt32LE(0));
    if (!doc) return E.NO_DATA;
    const head = Buffer.alloc(15);
    head[0] = doc.type;
    head[1] = this.st.unsent.includes(doc.fd) ? 0 : 1;
    head.set(dateTime5FromIso(doc.datetime), 2);
    head.writeUInt32LE(doc.fd, 7);
    head.writeUInt32LE(doc.fp, 11);
    if (doc.type === 3) {
      const tail = Buffer.alloc(6);
      tail[0] = doc.operation ?? 1;
      writeMoney(tail, doc.amountKop ?? 0, 1);
      return Buffer.concat([head, tail]);
    }
    const tail = Buffer.alloc(2);
    tail.writeUInt16LE(doc.shiftNumber & 0xffff, 0);
    return Buffer.concat([head, tail]);
  }

  private registrationResult(): Buffer {
    const b = Buffer.alloc(47);
    b.set(dateTime5FromIso(this.st.registeredAt), 0);
    b.write(this.st.identity.inn.padEnd(12, ' '), 5, 'latin1');
    b.write(this.st.identity.regNumber.padEnd(20, ' '), 17, 'latin1');
    b[37] = this.st.identity.taxSystems;
    b[38] = 0; // work mode
    // 39: FD, 43: FP of the registration report: the emulator has none (0).
    return b;
  }

  private readCashRegister(op: number, args: Buffer): Buffer | number {
    if (args.length < 1) return E.BAD_LENGTH;
    const c = this.st.shift.counters;
    const values: Record<number, number> = {
      0xc1: c.sales.cashKop,
      0xc3: c.saleReturns.cashKop,
      0xc5: c.sales.type2Kop,
      0xc7: c.saleReturns.type2Kop,
      0xc9: c.sales.type3Kop,
      0xcb: c.saleReturns.type3Kop,
      0xf1: this.st.cashInDrawerKop,
      0xf2: c.cashInKop,
      0xf3: c.cashOutKop,
    };
    const v = values[args[0]!];
    if (v === undefined) return E.BAD_PARAMS;
    const b = Buffer.alloc(7);
    b[0] = op;
    writeUint(b, v, 1, 6);
    return b;
  }

  private readOperationRegister(op: number, args: Buffer): Buffer | number {
    if (args.length < 1) return E.BAD_LENGTH;
    const c = this.st.shift.counters;
    const values: Record<number, number> = { 144: c.saleReceipts, 145: 0, 146: c.saleReturnReceipts, 147: 0 };
    const v = values[args[0]!];
    if (v === undefined) return E.BAD_PARAMS;
    const b = Buffer.alloc(3);
    b[0] = op;
    b.writeUInt16LE(v & 0xffff, 1);
    return b;
  }

  // --- shift

  private openShift(op: number): Buffer | number {
    if (this.receipt) return E.RECEIPT_OPEN;
    if (this.st.shift.open) return E.SHIFT_OPEN;
    const blocked = this.printBlocker();
    if (blocked !== null) return blocked;
    const now = this.clock();
    const s = this.st.shift;
    s.open = true;
    s.number += 1;
    s.openedAt = localIso(now);
    s.openedAtMs = now.getTime();
    s.receiptNumber = 0;
    s.counters = emptyCounters();
    this.fiscalDocument({ type: 2, datetime: s.openedAt, shiftNumber: s.number, tags: this.takeShiftTags() });
    this.tapeLines.push(`ОТЧЁТ ОБ ОТКРЫТИИ СМЕНЫ №${s.number} ФД ${this.st.lastFd}`);
    this.startPrinting();
    return Buffer.from([op]);
  }

  private xReport(op: number): Buffer | number {
    if (op !== 29 && op !== 30) return E.WRONG_PASSWORD;
    if (this.receipt) return E.RECEIPT_OPEN;
    const blocked = this.printBlocker();
    if (blocked !== null) return blocked;
    this.tapeLines.push(`X-ОТЧЁТ смена №${this.st.shift.number} ${describeCounters(this.st.shift.counters)}`);
    this.startPrinting();
    return Buffer.from([op]);
  }

  private zReport(op: number): Buffer | number {
    if (op !== 29 && op !== 30) return E.WRONG_PASSWORD;
    if (this.receipt) return E.RECEIPT_OPEN;
    if (!this.st.shift.open) return E.SHIFT_NOT_OPEN_OR_24H;
    const blocked = this.printBlocker();
    if (blocked !== null) return blocked;
    const s = this.st.shift;
    const counters = structuredClone(s.counters);
    s.open = false;
    s.openedAtMs = null;
    this.fiscalDocument({ type: 5, datetime: localIso(this.clock()), shiftNumber: s.number, counters, tags: this.takeShiftTags() });
    this.tapeLines.push(`Z-ОТЧЁТ (ЗАКРЫТИЕ СМЕНЫ) №${s.number} ФД ${this.st.lastFd} ${describeCounters(counters)}`);
    this.startPrinting();
    return Buffer.from([op]);
  }

  private takeShiftTags(): Record<string, string> | undefined {
    const tags = this.shiftTags;
    this.shiftTags = {};
    return Object.keys(tags).length ? tags : undefined;
  }

  private cashInOut(isIn: boolean, op: number, args: Buffer): Buffer | number {
    if (args.length < 5) return E.BAD_LENGTH;
    if (this.receipt) return E.RECEIPT_OPEN;
    if (!this.st.shift.open) return E.SHIFT_NOT_OPEN; // (choice) pyshtrih's reading of 3Dh
    const amount = readMoney(args, 0);
    if (amount <= 0) return E.BAD_PARAMS;
    if (!isIn && amount > this.st.cashInDrawerKop) return E.NOT_ENOUGH_CASH;
    const blocked = this.printBlocker();
    if (blocked !== null) return blocked;
    const c = this.st.shift.counters;
    if (isIn) {
      c.cashInKop += amount;
      this.st.cashInDrawerKop += amount;
    } else {
      c.cashOutKop += amount;
      this.st.cashInDrawerKop -= amount;
    }
    this.st.documentNumber += 1;
    this.store.commit();
    this.tapeLines.push(`${isIn ? 'ВНЕСЕНИЕ' : 'ВЫПЛАТА'} ${formatKop(amount)}`);
    this.startPrinting();
    const b = Buffer.alloc(3);
    b[0] = op;
    b.writeUInt16LE(this.st.documentNumber & 0xffff, 1);
    return b;
  }

  // --- receipt

  private openReceipt(op: number, args: Buffer): Buffer | number {
    if (args.length < 1) return E.BAD_LENGTH;
    const shift = this.saleBlocker();
    if (shift !== null) return shift;
    if (this.receipt) return E.RECEIPT_OPEN;
    const type = args[0]!;
    if (type > 3) return E.BAD_PARAMS;
    const blocked = this.printBlocker();
    if (blocked !== null) return blocked;
    this.receipt = { type, items: [], totalKop: 0, tags: {} };
    return Buffer.from([op]);
  }

  private operation(args: Buffer): Buffer | number {
    // op(1) qty(6) price(5) sum(5) tax(5) vat(1) dept(1) method(1) subject(1) name(0…128)
    if (args.length < 26 || args.length > 26 + 128) return E.BAD_LENGTH;
    const shift = this.saleBlocker();
    if (shift !== null) return shift;
    const opType = args[0]!;
    const receiptTypeFor: Record<number, number> = { 1: 0, 2: 2, 3: 1, 4: 3 };
    const receiptType = receiptTypeFor[opType];
    if (receiptType === undefined) return E.BAD_PARAMS;
    if (this.receipt && this.receipt.type !== receiptType) return E.WRONG_RECEIPT_TYPE;
    if (this.receipt && this.receipt.items.length >= MAX_ITEMS) return E.RECEIPT_BUFFER_FULL;
    const quantityMicro = readUint(args, 1, 6);
    const priceKop = readMoney(args, 7);
    const sumGiven = isUnset(args, 12) ? null : readMoney(args, 12);
    const vatByte = args[22]!;
    if (quantityMicro === 0 || priceKop === 0) return E.BAD_PARAMS;
    if (!KNOWN_VAT_BYTES.has(vatByte)) return E.BAD_PARAMS;
    // round(qty · price / 10^6) in integers: qty (48 bits) × price (40 bits) overflows a double.
    const product = BigInt(quantityMicro) * BigInt(priceKop);
    const computed = Number((product + 500_000n) / 1_000_000n);
    if (sumGiven !== null && Math.abs(sumGiven - computed) > 1) return E.BAD_PARAMS;
    const sumKop = sumGiven ?? computed;
    if (!this.receipt) this.receipt = { type: receiptType, items: [], totalKop: 0, tags: {} }; // auto-open, as the Go driver relies on
    this.receipt.items.push({
      name: stripNul(decodeCp1251(args.subarray(26))),
      quantityMicro,
      priceKop,
      sumKop,
      vatByte,
      paymentMethod: args[24]!,
      paymentSubject: args[25]!,
    });
    this.receipt.totalKop += sumKop;
    return Buffer.alloc(0);
  }

  private writeTlv(args: Buffer): Buffer | number {
    if (args.length > 250) return E.TLV_TOO_LARGE;
    const tags: Record<string, string> = {};
    let pos = 0;
    while (pos < args.length) {
      if (pos + 4 > args.length) return E.BAD_FORMAT;
      const tag = args.readUInt16LE(pos);
      const len = args.readUInt16LE(pos + 2);
      if (pos + 4 + len > args.length) return E.BAD_FORMAT;
      tags[String(tag)] = decodeCp866(args.subarray(pos + 4, pos + 4 + len));
      pos += 4 + len;
    }
    Object.assign(this.receipt ? this.receipt.tags : this.shiftTags, tags);
    return Buffer.alloc(0);
  }

  private closeReceipt(args: Buffer): Buffer | number {
    // cash(5) types 2…13 (60) 14…16 (15) rounding(1) taxes(30) taxSystem(1) text(0…64)
    if (args.length < 112 || args.length > 112 + 64) return E.BAD_LENGTH;
    const r = this.receipt;
    if (!r) return E.RECEIPT_CLOSED;
    if (r.items.length === 0 || r.totalKop === 0) return E.ZERO_TOTAL;
    const pay: number[] = [];
    for (let i = 0; i < 16; i++) pay.push(readMoney(args, i * 5));
    const taxSystem = args[111]!;
    if (taxSystem === 0 || (taxSystem & (taxSystem - 1)) !== 0) return E.BAD_PARAMS; // exactly one bit (choice)
    const cash = pay[0]!;
    const nonCash = pay.slice(1).reduce((a, b) => a + b, 0);
    if (cash + nonCash < r.totalKop) return E.PAYMENT_BELOW_TOTAL;
    if (nonCash > r.totalKop) return E.NONCASH_ABOVE_TOTAL;
    const changeKop = Math.max(0, cash - (r.totalKop - nonCash));
    const netCash = cash - changeKop;
    const isReturn = r.type === 2 || r.type === 3;
    if (isReturn && netCash > this.st.cashInDrawerKop) return E.NOT_ENOUGH_CASH;
    const blocked = this.printBlocker();
    if (blocked !== null) return blocked;

    const split: PaymentSplit = { ...emptySplit(), cashKop: netCash, type2Kop: pay[1]!, type3Kop: pay[2]!, restKop: nonCash - pay[1]! - pay[2]! };
    const s = this.st.shift;
    s.receiptNumber += 1;
    const c = s.counters;
    if (r.type === 0) {
      c.saleReceipts += 1;
      addSplit(c.sales, split);
      this.st.cashInDrawerKop += netCash;
    } else if (r.type === 2) {
      c.saleReturnReceipts += 1;
      addSplit(c.saleReturns, split);
      this.st.cashInDrawerKop -= netCash;
    }
    const now = this.clock();
    const operation = { 0: 1, 1: 3, 2: 2, 3: 4 }[r.type as 0 | 1 | 2 | 3];
    const doc = this.fiscalDocument({
      type: 3,
      datetime: localIso(now),
      shiftNumber: s.number,
      operation,
      amountKop: r.totalKop,
      receiptNumber: s.receiptNumber,
      payments: split,
      changeKop,
      itemCount: r.items.length,
      tags: Object.keys(r.tags).length ? r.tags : undefined,
    });
    this.tapeLines.push(`КАССОВЫЙ ЧЕК ${operation === 1 ? 'ПРИХОД' : 'ВОЗВРАТ ПРИХОДА'} №${s.receiptNumber} ФД ${doc.fd} ИТОГ ${formatKop(r.totalKop)}`);
    this.receipt = null;
    this.startPrinting();

    const b = Buffer.alloc(this.extendedCloseAnswer ? 18 : 13);
    writeMoney(b, changeKop, 0);
    b.writeUInt32LE(doc.fd, 5);
    b.writeUInt32LE(doc.fp, 9);
    if (this.extendedCloseAnswer) b.set(dateTime5(now), 13);
    return b;
  }

  private cancelReceipt(op: number): Buffer | number {
    if (!this.receipt) return E.RECEIPT_CLOSED; // (choice)
    this.receipt = null;
    this.tapeLines.push('ЧЕК АННУЛИРОВАН');
    return Buffer.from([op]);
  }

  private printString(op: number, args: Buffer): Buffer | number {
    if (args.length < 1) return E.BAD_LENGTH;
    const blocked = this.printBlocker();
    if (blocked !== null) return blocked;
    this.tapeLines.push(stripNul(decodeCp1251(args.subarray(1))));
    this.startPrinting();
    return Buffer.from([op]);
  }

  /** Appends a fiscal document, queues it for the OFD and makes it durable before any answer leaves. */
  private fiscalDocument(doc: Omit<ArchivedDocument, 'fd' | 'fp'>): ArchivedDocument {
    const fd = this.st.lastFd + 1;
    const full: ArchivedDocument = { fd, fp: fiscalSign(this.st.identity.fnNumber, fd, doc.datetime, doc.amountKop ?? 0), ...doc };
    if (full.tags === undefined) delete full.tags;
    this.st.lastFd = fd;
    this.st.documentNumber += 1;
    this.st.archive.push(full);
    this.st.unsent.push(fd);
    this.store.commit();
    return full;
  }
}

// ------------------------------------------------------------ helpers

/** 1-byte code, or 0xFFxx for FF-commands; -1 for a lone FF. */
function commandCode(payload: Uint8Array): number {
  if (payload[0] !== 0xff) return payload[0] ?? -1;
  return payload.length >= 2 ? 0xff00 | payload[1]! : -1;
}

function answer(code: number, err: number, data: Uint8Array = new Uint8Array()): Buffer {
  const head = code > 0xff ? [0xff, code & 0xff, err] : [code, err];
  return err === 0 ? Buffer.concat([Buffer.from(head), data]) : Buffer.from(head);
}

function errorAnswer(payload: Uint8Array, err: number): Buffer {
  return payload[0] === 0xff ? Buffer.from([0xff, payload[1] ?? 0, err]) : Buffer.from([payload[0] ?? 0, err]);
}

function readUint(b: Uint8Array, offset: number, size: number): number {
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + (b[offset + i] ?? 0);
  return v;
}

function readMoney(b: Uint8Array, offset: number): number {
  return readUint(b, offset, 5);
}

function isUnset(b: Uint8Array, offset: number): boolean {
  for (let i = 0; i < 5; i++) if (b[offset + i] !== 0xff) return false;
  return true;
}

function writeUint(b: Buffer, v: number, offset: number, size: number): void {
  let rest = v;
  for (let i = 0; i < size; i++) {
    b[offset + i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
}

function writeMoney(b: Buffer, v: number, offset: number): void {
  writeUint(b, v, offset, 5);
}

function stripNul(s: string): string {
  const i = s.indexOf('\0');
  return i >= 0 ? s.slice(0, i) : s;
}

function addSplit(into: PaymentSplit, add: PaymentSplit): void {
  into.cashKop += add.cashKop;
  into.type2Kop += add.type2Kop;
  into.type3Kop += add.type3Kop;
  into.restKop += add.restKop;
}

function formatKop(kop: number): string {
  return `${Math.trunc(kop / 100)}.${String(kop % 100).padStart(2, '0')}`;
}

function describeCounters(c: ShiftCounters): string {
  const total = c.sales.cashKop + c.sales.type2Kop + c.sales.type3Kop + c.sales.restKop;
  return `чеков прихода ${c.saleReceipts}, наличными ${formatKop(c.sales.cashKop)}, безналичными ${formatKop(total - c.sales.cashKop)}, итого ${formatKop(total)}`;
}

/** Local KKT time as YYYY-MM-DDTHH:MM:SS. */
export function localIso(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** FN DATE_TIME: YY MM DD hh mm. */
function dateTime5(d: Date): number[] {
  return [d.getFullYear() - 2000, d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()];
}

function dateTime5FromIso(iso: string): number[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) return [0, 0, 0, 0, 0];
  return [Number(m[1]) - 2000, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
}

/** (choice) FP = CRC32 of "fn|fd|datetime|total": deterministic, never a real fiscal sign. */
function fiscalSign(fnNumber: string, fd: number, datetime: string, totalKop: number): number {
  return crc32(Buffer.from(`${fnNumber}|${fd}|${datetime}|${totalKop}`, 'latin1'));
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
