// Shtrih-M command codes and the envelope every command shares: `code | PWD | params` requests and
// `code | ERR | data` answers (protocol v1.17 p.8, p.13). A payload is what the frame's LEN counts:
// the command code (1 byte, or FF + sub-code) followed by the parameters. Also the device's mode and
// printer sub-mode numbers, which both the driver and the emulator reason about. No I/O here.

import { ByteWriter, ProtocolError } from './bytes.ts';

/** Command codes; values above 0xFF are the two-byte FFxx commands. */
export const Cmd = {
  SHORT_STATUS: 0x10,
  FULL_STATUS: 0x11,
  PRINT_STRING: 0x17,
  /** Read a KKT table field (the FFD version: table 17, row 1, field 17). */
  READ_TABLE: 0x1f,
  /** Read a cash (money) register: see readCashRegisterRequest. */
  READ_CASH_REGISTER: 0x1a,
  /** Read an operation (counter) register. */
  READ_OPERATION_REGISTER: 0x1b,
  /** Open the cash drawer wired to the KKT (print-commands.ts). */
  OPEN_DRAWER: 0x28,
  X_REPORT: 0x40,
  Z_REPORT: 0x41,
  CASH_IN: 0x50,
  CASH_OUT: 0x51,
  /** Legacy sale / sale return / close (FFD 1.0): an FFD 1.2 device answers 37h. */
  LEGACY_SALE: 0x80,
  LEGACY_SALE_RETURN: 0x82,
  LEGACY_CLOSE_RECEIPT: 0x85,
  CANCEL_RECEIPT: 0x88,
  OPEN_RECEIPT: 0x8d,
  CONTINUE_PRINT: 0xb0,
  /** Load data into the device's buffer; print a 2D barcode from it (barcode-commands.ts). */
  LOAD_DATA: 0xdd,
  PRINT_2D_BARCODE: 0xde,
  OPEN_SHIFT: 0xe0,
  /** Device type: the one command sent without a password. */
  DEVICE_TYPE: 0xfc,
  FN_STATUS: 0xff01,
  FN_EXPIRY: 0xff03,
  REGISTRATION_RESULT: 0xff09,
  FIND_DOCUMENT: 0xff0a,
  WRITE_TLV: 0xff0c,
  /** FF4Dh: a TLV bound to the last FF46h item line (tag 2108 and other item requisites). */
  WRITE_ITEM_TLV: 0xff4d,
  OFD_EXCHANGE_STATUS: 0xff39,
  SHIFT_PARAMETERS: 0xff40,
  /** Begin-open-shift / begin-close-shift: FF0Ch tags sent next land in the shift report. */
  BEGIN_OPEN_SHIFT: 0xff41,
  BEGIN_CLOSE_SHIFT: 0xff42,
  CLOSE_RECEIPT_V2: 0xff45,
  OPERATION_V2: 0xff46,
  /** Marked goods (FFD 1.2): check a КМ, bind it to the last item, accept/reject it, status (marking.ts). */
  CHECK_MARK: 0xff61,
  BIND_MARK: 0xff67,
  ACCEPT_MARK: 0xff69,
  MARK_STATUS: 0xff70,
} as const;

/**
 * Device mode: the low nibble of the mode byte of 10h/11h (protocol v1.17 App. 1 p.71). In mode 8 the
 * high nibble is the open receipt's type (ReceiptType). Other modes (data output, locks…) are not used.
 */
export const DeviceMode = { SHIFT_OPEN: 2, SHIFT_EXPIRED: 3, SHIFT_CLOSED: 4, RECEIPT_OPEN: 8 } as const;

/** Printer sub-mode of 10h/11h (protocol v1.17 App. 1 p.72). */
export const PrinterSubmode = {
  READY: 0,
  /** No paper, and nothing was printing when it ran out. */
  PAPER_OUT_PASSIVE: 1,
  /** The paper ran out while a document was printing. */
  PAPER_OUT_ACTIVE: 2,
  /** A new roll is in after an active paper-out: printing resumes with B0h. */
  AWAITING_CONTINUE: 3,
  PRINTING_REPORT: 4,
  PRINTING: 5,
} as const;

export function commandName(code: number): string {
  return code > 0xff
    ? `FF${(code & 0xff).toString(16).toUpperCase().padStart(2, '0')}h`
    : `${code.toString(16).toUpperCase().padStart(2, '0')}h`;
}

export function commandCodeBytes(code: number): number[] {
  return code > 0xff ? [0xff, code & 0xff] : [code];
}

/** The command code a payload starts with: 1 byte, or 0xFFxx for FF-commands; -1 for none (empty or a lone FF). */
export function commandCodeOf(payload: Uint8Array): number {
  if (payload[0] !== 0xff) return payload[0] ?? -1;
  return payload.length >= 2 ? 0xff00 | payload[1]! : -1;
}

/** `code | PWD | data`: the layout of almost every request. */
export function withPassword(code: number, password: number, data: Uint8Array = new Uint8Array()): Buffer {
  return new ByteWriter().bytes(commandCodeBytes(code)).u32(password).bytes(data).toBuffer();
}

// ---------------------------------------------------------------- answers

export interface Answer {
  code: number;
  /** Device error code; 0 = OK. */
  error: number;
  /** Bytes after ERR (empty when ERR ≠ 0). */
  data: Uint8Array;
}

/**
 * Splits an answer payload into code / ERR / data (protocol v1.17 p.13). For FF-commands both `FF sub ERR` and the
 * javapos-tolerated `FF ERR` error form are accepted. A code that is not ours is a protocol error.
 */
export function parseAnswer(expectedCode: number, payload: Uint8Array): Answer {
  const name = commandName(expectedCode);
  if (expectedCode > 0xff) {
    const sub = expectedCode & 0xff;
    if (payload.length < 2 || payload[0] !== 0xff) {
      throw new ProtocolError(
        `${name}: unexpected answer code ${payload.length ? payload[0]!.toString(16) : '(empty)'}`,
      );
    }
    if (payload[1] === sub) {
      if (payload.length < 3) throw new ProtocolError(`${name}: answer without an error byte`);
      return { code: expectedCode, error: payload[2]!, data: payload.subarray(3) };
    }
    if (payload.length === 2) return { code: expectedCode, error: payload[1]!, data: new Uint8Array() };
    throw new ProtocolError(
      `${name}: answer for another command FF${payload[1]!.toString(16).toUpperCase()}h`,
    );
  }
  if (payload.length < 2) throw new ProtocolError(`${name}: answer too short (${payload.length} byte(s))`);
  if (payload[0] !== expectedCode) {
    throw new ProtocolError(`${name}: answer for another command ${commandName(payload[0]!)}`);
  }
  return { code: expectedCode, error: payload[1]!, data: payload.subarray(2) };
}
