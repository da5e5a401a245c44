// The emulator's side of the OFD exchange through the host (kkt-protocol.md §7.7, docs/kkt.md):
// table 21 field 2 «Режим обмена с ОФД» (1Eh/1Fh), the FN's message for its oldest unsent document
// (FF30h/FF31h) and the OFD's answer written back (FF32h/FF33h). When the last FF33h block completes
// the answer, the FN checks it (fn-container.ts): accepted → the document leaves the unsent queue
// (committed before the answer, like every FN change); refused → error 20h on that FF33h (choice) and
// the write buffer is dropped. Sales may interleave between these commands: the message is always the
// oldest unsent document's, which a new sale does not change.

import { DeviceErrorCode as E } from '../shtrih-protocol/device-errors.ts';
import type { EmulatedDevice } from './device.ts';
import { checkOfdAnswer, fnMessage } from './fn-container.ts';

/** FN error 20h «сообщение от ОФД не может быть принято» [SPEC p.68]. */
export const OFD_MESSAGE_REFUSED = 0x20;
/** Block size the emulator offers for FF31h reads and FF33h writes (the vendor's test vector: 240). */
export const EXCHANGE_BLOCK_SIZE = 0xf0;
const MAX_ANSWER = 32 * 1024 + 30;
const SYSADMIN = 30;
const OFD_TABLE = 21;

export class FnExchangeHandlers {
  /** The OFD answer being written (volatile: a power cycle loses it) and the FD it is for. */
  private writing: { buf: Buffer; received: number; fd: number } | null = null;
  /** Why the last answer was refused (for the log and tests). */
  lastRefusal: string | null = null;

  constructor(
    private readonly d: EmulatedDevice,
    private readonly log: (line: string) => void,
  ) {}

  /** 0 = through the host, 1 = the KKT sends by itself (the default of a fresh device). */
  get mode(): number {
    return this.d.st.ofdExchangeMode ?? 1;
  }

  readTable(op: number, args: Buffer): Buffer | number {
    const field = this.tableField(op, args, 4);
    if (typeof field === 'number') return field;
    return Buffer.from([this.mode]);
  }

  writeTable(op: number, args: Buffer): Buffer | number {
    const field = this.tableField(op, args, 5);
    if (typeof field === 'number') return field;
    const value = args[4]!;
    if (value > 1) return E.BAD_PARAMS;
    if (value !== this.mode) {
      this.d.st.ofdExchangeMode = value;
      this.d.store.commit();
      this.writing = null;
      this.log(`table 21: OFD exchange ${value === 0 ? 'through the host' : 'by the KKT itself'}`);
    }
    return Buffer.alloc(0);
  }

  /** FF30h: size of the message for the OFD (0 = none, or the KKT sends by itself) and the block size. */
  bufferStatus(op: number): Buffer | number {
    if (op !== SYSADMIN) return E.WRONG_PASSWORD; // [SPEC p.47–48]: system administrator
    const msg = this.message();
    const b = Buffer.alloc(3);
    b.writeUInt16LE(msg?.length ?? 0, 0);
    b[2] = EXCHANGE_BLOCK_SIZE;
    return b;
  }

  /** FF31h: `count` bytes of the message from `offset`. */
  readBlock(op: number, args: Buffer): Buffer | number {
    if (op !== SYSADMIN) return E.WRONG_PASSWORD; // [SPEC p.47–48]: system administrator
    if (args.length < 3) return E.BAD_LENGTH;
    const offset = args.readUInt16LE(0);
    const count = args[2]!;
    const msg = this.message();
    if (!msg) return E.NO_DATA;
    if (count === 0 || count > EXCHANGE_BLOCK_SIZE || offset + count > msg.length) return E.BAD_PARAMS;
    return msg.subarray(offset, offset + count);
  }

  /** FF32h: start receiving an OFD answer of `total` bytes for the oldest unsent document. */
  startWrite(op: number, args: Buffer): Buffer | number {
    if (op !== SYSADMIN) return E.WRONG_PASSWORD; // [SPEC p.47–48]: system administrator
    if (args.length < 2) return E.BAD_LENGTH;
    const total = args.readUInt16LE(0);
    if (total === 0 || total > MAX_ANSWER) return E.BAD_PARAMS;
    const fd = this.mode === 0 ? this.d.st.unsent[0] : undefined;
    if (fd === undefined) return E.NO_DATA; // (choice) nothing is waiting for an OFD answer
    this.writing = { buf: Buffer.alloc(total), received: 0, fd };
    return Buffer.from([EXCHANGE_BLOCK_SIZE]);
  }

  /** FF33h: one block, in order; the block that completes the answer hands it to the FN. */
  writeBlock(op: number, args: Buffer): Buffer | number {
    if (op !== SYSADMIN) return E.WRONG_PASSWORD; // [SPEC p.47–48]: system administrator
    if (args.length < 3) return E.BAD_LENGTH;
    const w = this.writing;
    if (!w) return E.NO_DATA; // (choice) FF33h without FF32h
    const offset = args.readUInt16LE(0);
    const n = args[2]!;
    const data = args.subarray(3);
    if (data.length !== n || n === 0 || n > EXCHANGE_BLOCK_SIZE) return E.BAD_LENGTH;
    if (offset !== w.received || offset + n > w.buf.length) return E.BAD_PARAMS;
    data.copy(w.buf, offset);
    w.received += n;
    if (w.received < w.buf.length) return Buffer.alloc(0);
    this.writing = null;
    return this.accept(w.buf, w.fd);
  }

  private accept(answer: Buffer, fd: number): Buffer | number {
    const fnNumber = this.d.st.identity.fnNumber;
    const check = checkOfdAnswer(answer, fnNumber, fd);
    if (!check.ok) {
      this.lastRefusal = check.reason;
      this.log(`FN refused the OFD answer for FD ${fd}: ${check.reason}`);
      return OFD_MESSAGE_REFUSED;
    }
    const i = this.d.st.unsent.indexOf(fd);
    if (i >= 0) this.d.st.unsent.splice(i, 1);
    this.d.store.commit();
    this.lastRefusal = null;
    this.log(`FN accepted the OFD receipt for FD ${fd}`);
    return Buffer.alloc(0);
  }

  /** The FN's message for the OFD: the oldest unsent document's, in host mode only. */
  private message(): Buffer | null {
    if (this.mode !== 0) return null;
    const fd = this.d.st.unsent[0];
    const doc = fd === undefined ? undefined : this.d.store.document(fd);
    return doc ? fnMessage(this.d.st.identity.fnNumber, doc) : null;
  }

  /** Table, row, field of 1Eh/1Fh: only table 21 row 1 field 2 is kept (choice); sysadmin only. */
  private tableField(op: number, args: Buffer, minLength: number): true | number {
    if (op !== SYSADMIN) return E.WRONG_PASSWORD;
    if (args.length < minLength) return E.BAD_LENGTH;
    if (args[0] !== OFD_TABLE || args.readUInt16LE(1) !== 1 || args[3] !== 2) return E.NOT_SUPPORTED;
    return true;
  }
}
