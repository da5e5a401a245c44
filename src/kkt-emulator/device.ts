// The emulated KKT + FN as the command handlers see it: the durable state (state.ts), the volatile
// state a power cycle loses (open receipt, pending shift tags, paper, cover, printer), the device's
// mode and printer sub-mode, and the gates every printing command passes.
//
// Invariant: fiscalDocument() commits the state file before it returns, and the handlers call it
// before they build the answer, so no answer ever announces a document that a crash could lose. A
// commit that fails rolls the durable state back (state.ts) and the emulator answers 03h: a handler
// changes the state and commits last, so a refused command leaves no trace (no FD, no archive entry).

import { DeviceMode, PrinterSubmode } from '../shtrih-protocol/codes.ts';
import { DeviceErrorCode as E } from '../shtrih-protocol/device-errors.ts';
import { fiscalSign } from './codec.ts';
import type { ArchivedDocument, DurableState, StateStore } from './state.ts';
import { MarkingState } from './marking-state.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface OpenReceipt {
  /** 8Dh type: 0 sale, 1 purchase, 2 sale return, 3 purchase return (without the correction flag). */
  type: number;
  /** Opened with 8Dh 0x80 + type: an FFD 1.2 correction receipt (archive type 31). */
  correction: boolean;
  items: {
    name: string;
    quantityMicro: number;
    priceKop: number;
    sumKop: number;
    vatByte: number;
    /** Department 1…16 (FF46h): operation registers 0…63 count lines per department. */
    department: number;
    paymentMethod: number;
    paymentSubject: number;
    /** The marking code FF67h bound to this line, and its tag 2106. */
    markCode?: string;
    mark2106?: number;
    /** FF4Dh tags bound to this line (2108 …). */
    tags?: Record<string, string>;
  }[];
  totalKop: number;
  tags: Record<string, string>;
}

export class EmulatedDevice {
  // Volatile device state (a restart loses it, as a power cycle would).
  receipt: OpenReceipt | null = null;
  /** Marking-code checks of the receipt being formed, and the test controls (marking-state.ts). */
  readonly marks = new MarkingState();
  shiftTags: Record<string, string> = {};
  paperPresent = true;
  coverOpen = false;
  activePaperOut = false;
  awaitingContinue = false;
  paperRunsOutOnNextPrint = false;
  /** FF01h warning bits 2 (memory 90 % full) and 3 (OFD answer timeout), set by the control API. */
  fnFlagsSet = 0;
  /** What the virtual printer printed since start. */
  readonly tape: string[] = [];
  private printingUntil = 0;

  constructor(
    readonly store: StateStore,
    readonly clock: () => Date,
    /** Answer FF45h with the optional DATE_TIME (LEN 21); false gives the short 16-byte form. */
    readonly extendedCloseAnswer: boolean,
    private readonly printDelayMs: number,
  ) {}

  get st(): DurableState {
    return this.store.state;
  }

  shiftExpired(): boolean {
    const s = this.st.shift;
    return s.open && s.openedAtMs !== null && this.clock().getTime() - s.openedAtMs > DAY_MS;
  }

  /** The mode byte of 10h/11h: mode in the low nibble, the receipt type in the high one for mode 8. */
  modeByte(): number {
    if (this.receipt) return DeviceMode.RECEIPT_OPEN | (this.receipt.type << 4);
    if (!this.st.shift.open) return DeviceMode.SHIFT_CLOSED;
    return this.shiftExpired() ? DeviceMode.SHIFT_EXPIRED : DeviceMode.SHIFT_OPEN;
  }

  /** The flags word of 10h and 11h (the same word in both, as a real device sends it). */
  statusFlags(): number {
    let flags = 0;
    if (this.paperPresent && !this.activePaperOut) flags |= 0x02 | 0x80; // receipt roll + optical sensor
    if (this.coverOpen) flags |= 0x0400;
    return flags;
  }

  /**
   * FF01h warning byte from the FN's own state and clock: bit 0 three days or less to the validity date,
   * bit 1 thirty days or less; bits 2 (memory 90 % full) and 3 (OFD answer timeout) as the control API
   * sets them (the emulator has no FN memory to fill and no OFD link of its own to time out).
   */
  fnWarningFlags(): number {
    const now = this.clock().getTime();
    let flags = 0;
    const expiry = Date.parse(`${this.st.identity.fnExpiresOn}T00:00:00`);
    const daysLeft = (expiry - now) / DAY_MS;
    if (daysLeft <= 3) flags |= 0x01;
    if (daysLeft <= 30) flags |= 0x02;
    return flags | (this.fnFlagsSet & 0x0c);
  }

  isPrinting(): boolean {
    return Date.now() < this.printingUntil;
  }

  submode(): number {
    if (this.activePaperOut) return PrinterSubmode.PAPER_OUT_ACTIVE;
    if (this.awaitingContinue) return PrinterSubmode.AWAITING_CONTINUE;
    if (!this.paperPresent) return PrinterSubmode.PAPER_OUT_PASSIVE;
    if (this.isPrinting()) return PrinterSubmode.PRINTING;
    return PrinterSubmode.READY;
  }

  /** Gate for commands that print: the reason they cannot, or null. */
  printBlocker(): number | null {
    if (this.awaitingContinue) return E.AWAITING_CONTINUE;
    if (!this.paperPresent || this.activePaperOut) return E.NO_PAPER;
    if (this.coverOpen) return E.SUBMODE;
    if (this.isPrinting()) return E.PRINTING;
    return null;
  }

  /** Shift checks shared by 8Dh and FF46h. */
  saleBlocker(): number | null {
    if (!this.st.shift.open) return E.SHIFT_NOT_OPEN_OR_24H;
    if (this.shiftExpired()) return E.SHIFT_24H;
    return null;
  }

  startPrinting(): void {
    if (this.printDelayMs > 0) this.printingUntil = Date.now() + this.printDelayMs;
    if (this.paperRunsOutOnNextPrint) {
      this.paperRunsOutOnNextPrint = false;
      this.paperPresent = false;
      this.activePaperOut = true;
      this.tape.push('-- кончилась бумага --');
    }
  }

  /** Appends a fiscal document, queues it for the OFD and makes it durable before any answer leaves. */
  fiscalDocument(doc: Omit<ArchivedDocument, 'fd' | 'fp'>): ArchivedDocument {
    const fd = this.st.lastFd + 1;
    const full: ArchivedDocument = {
      fd,
      fp: fiscalSign(this.st.identity.fnNumber, fd, doc.datetime, doc.amountKop ?? 0),
      ...doc,
    };
    if (full.tags === undefined) delete full.tags;
    this.st.lastFd = fd;
    this.st.documentNumber += 1;
    this.st.archive.push(full);
    this.st.unsent.push(fd);
    this.store.commit();
    return full;
  }
}
