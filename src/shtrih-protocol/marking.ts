// Marked goods (Честный ЗНАК, FFD 1.2): FF61h check a marking code (КМ), FF69h accept or reject the
// checked КМ, FF67h bind the КМ to the last item line, FF70h the marking subsystem's status
// (protocol v1.17 pp.58–65; docs/kkt.md «Marked goods»). Builders and parsers only, shared by the
// driver and the emulator. The КМ goes on the wire byte for byte as scanned (ASCII, GS = 0x1D).

import { ByteReader, ByteWriter, ProtocolError } from './bytes.ts';
import { Cmd, commandCodeBytes } from './codes.ts';

/** Tag 2003 планируемый статус товара, the FF61h status byte. */
export const PlannedStatus = {
  PIECE_SOLD: 1,
  MEASURED_SOLD: 2,
  PIECE_RETURNED: 3,
  MEASURED_RETURNED: 4,
  UNCHANGED: 255,
} as const;

/** FF61h offset 4: why the FN did not check the code locally. */
export const LocalCheckReason = {
  CHECKED: 0,
  TYPE_NOT_CHECKED: 1,
  NO_KEY: 2,
  NO_CRYPTO_TAIL: 3,
  OTHER: 4,
} as const;

/** FF61h offset 7: the FN's verdict on the online answer; 0xFF = the marking server did not answer. */
export const ServerAnswerCode = { OK: 0, INVALID: 0x20, NO_ANSWER: 0xff } as const;

/** Bits of tag 2106 (and of 2004 for the local check, bits 0–1) [SPEC p.59; JP checkTag2106]. */
export const Mark2106 = {
  CODE_CHECKED: 0x01,
  CODE_VALID: 0x02,
  STATUS_CHECKED: 0x04,
  STATUS_VALID: 0x08,
} as const;

/** The КМ as bytes: ASCII only (the GS1 set plus GS); anything else is a caller bug. */
function markBytes(code: string): Buffer {
  // eslint-disable-next-line no-control-regex -- GS (0x1D) is part of a marking code
  if (!/^[\u001d\u0020-\u007e]+$/.test(code)) throw new RangeError('marking code: ASCII and GS only');
  return Buffer.from(code, 'latin1');
}

// ---------------------------------------------------------------- FF61h (pp.58–60)

export interface CheckMarkArgs {
  password: number;
  code: string;
  plannedStatus: number;
  /** TLV list for a measured good (2108 unit + 1023 quantity); empty for a piece. */
  tlv?: Uint8Array;
}

export function checkMarkRequest(a: CheckMarkArgs): Buffer {
  const km = markBytes(a.code);
  const tlv = a.tlv ?? new Uint8Array();
  if (km.length + tlv.length > 245)
    throw new RangeError(`FF61h: КМ + TLV of ${km.length + tlv.length} > 245`);
  return new ByteWriter()
    .bytes(commandCodeBytes(Cmd.CHECK_MARK))
    .u32(a.password)
    .u8(a.plannedStatus)
    .u8(0) // 2102 processing mode: always 0
    .u8(km.length)
    .u8(tlv.length)
    .bytes(km)
    .bytes(tlv)
    .toBuffer();
}

export interface CheckMarkRequestFields {
  plannedStatus: number;
  mode: number;
  code: string;
  tlv: Uint8Array;
}

/** The emulator's reading of an FF61h request (the data after PWD); null when the lengths disagree. */
export function parseCheckMarkArgs(args: Uint8Array): CheckMarkRequestFields | null {
  if (args.length < 4) return null;
  const x = args[2]!;
  const y = args[3]!;
  if (x === 0 || args.length !== 4 + x + y) return null;
  return {
    plannedStatus: args[0]!,
    mode: args[1]!,
    code: Buffer.from(args.subarray(4, 4 + x)).toString('latin1'),
    tlv: args.subarray(4 + x),
  };
}

/** What the FN and the marking server (ОИСМ) said about one КМ: FF61h offsets 3…, also FF67h's tail. */
export interface MarkCheckAnswer {
  /** Tag 2004: bit0 checked locally, bit1 the crypto check passed. */
  localResult: number;
  localReason: number;
  /** Tag 2100: the КМ type the FN recognised. */
  codeType: number;
  /** null: autonomous mode, nobody was asked. */
  server: {
    /** ServerAnswerCode. */
    code: number;
    /** For code 0x20: why the FN refused the server's answer. */
    invalidReason?: number;
    /** Tag 2106, when the server answered without error. */
    result2106?: number;
    tlv: Uint8Array;
  } | null;
}

/**
 * Reads the check block. Offset 6 is the length of what follows it (UNCONFIRMED whether it counts the
 * answer-code and 2106 bytes or only the TLV; docs/kkt.md): the parser takes what the frame holds.
 */
export function parseMarkCheckBlock(r: ByteReader): MarkCheckAnswer {
  const localResult = r.u8();
  const localReason = r.u8();
  const codeType = r.u8();
  const followLength = r.u8();
  const rest = r.rest();
  if (followLength === 0 && rest.length === 0) return { localResult, localReason, codeType, server: null };
  if (rest.length === 0) throw new ProtocolError('FF61h: server data announced but missing');
  const code = rest[0]!;
  if (code === ServerAnswerCode.OK) {
    if (rest.length < 2) throw new ProtocolError('FF61h: server answered but tag 2106 is missing');
    return {
      localResult,
      localReason,
      codeType,
      server: { code, result2106: rest[1]!, tlv: rest.subarray(2) },
    };
  }
  return {
    localResult,
    localReason,
    codeType,
    server: {
      code,
      invalidReason: code === ServerAnswerCode.INVALID ? rest[1] : undefined,
      tlv: new Uint8Array(),
    },
  };
}

export function parseCheckMark(data: Uint8Array): MarkCheckAnswer {
  return parseMarkCheckBlock(new ByteReader(data, 'FF61h'));
}

/** The emulator's FF61h answer data. */
export function markCheckBlock(a: MarkCheckAnswer): Buffer {
  const w = new ByteWriter().u8(a.localResult).u8(a.localReason).u8(a.codeType);
  if (!a.server) return w.u8(0).toBuffer();
  const s = a.server;
  const tail =
    s.code === ServerAnswerCode.OK
      ? Buffer.concat([Buffer.from([s.code, s.result2106 ?? 0]), s.tlv])
      : s.code === ServerAnswerCode.INVALID
        ? Buffer.from([s.code, s.invalidReason ?? 0])
        : Buffer.from([s.code]);
  return w.u8(tail.length).bytes(tail).toBuffer();
}

// ---------------------------------------------------------------- FF69h (pp.63–64)

export const MarkDecision = { REJECT: 0, ACCEPT: 1 } as const;

export function acceptMarkRequest(password: number, decision: number): Buffer {
  return new ByteWriter().bytes(commandCodeBytes(Cmd.ACCEPT_MARK)).u32(password).u8(decision).toBuffer();
}

/** FF69h answer: tag 2106 as the FN recorded it. */
export function parseAcceptMark(data: Uint8Array): number {
  return new ByteReader(data, 'FF69h').u8();
}

// ---------------------------------------------------------------- FF67h (pp.61–63)

export function bindMarkRequest(password: number, code: string): Buffer {
  const km = markBytes(code);
  if (km.length > 248) throw new RangeError(`FF67h: КМ of ${km.length} bytes`);
  return new ByteWriter()
    .bytes(commandCodeBytes(Cmd.BIND_MARK))
    .u32(password)
    .u8(km.length)
    .bytes(km)
    .toBuffer();
}

/** The emulator's reading of FF67h: the КМ, or null when the length byte disagrees. */
export function parseBindMarkArgs(args: Uint8Array): string | null {
  if (args.length < 2 || args[0] === 0 || args.length !== 1 + args[0]!) return null;
  return Buffer.from(args.subarray(1)).toString('latin1');
}

export interface BindMarkAnswer {
  /** First two bytes of the «код товара» value (1163) the FN derived. */
  productCodePrefix: number;
  /** 0 КМ 88, 1 КМ symmetric, 2 tobacco КМ, 3 КМ 44. */
  dataMatrixType: number;
  /** Present when the КМ had not been checked by FF61h: the KKT ran the check itself. */
  check: MarkCheckAnswer | null;
}

export function parseBindMark(data: Uint8Array): BindMarkAnswer {
  const r = new ByteReader(data, 'FF67h');
  const productCodePrefix = r.uint(2);
  const dataMatrixType = r.u8();
  return {
    productCodePrefix,
    dataMatrixType,
    check: r.remaining > 0 ? parseMarkCheckBlock(r) : null,
  };
}

// ---------------------------------------------------------------- FF70h (pp.64–65)

export interface MarkStatus {
  /** 0 check table full; 1 no КМ being checked; 2 КМ passed; 3 request formed; 4 answer received. */
  checkState: number;
  notificationState: number;
  allowedCommands: number;
  savedResults: number;
  inNotification: number;
  storageWarning: number;
  unsentNotifications: number;
}

export function parseMarkStatus(data: Uint8Array): MarkStatus {
  const r = new ByteReader(data, 'FF70h');
  return {
    checkState: r.u8(),
    notificationState: r.u8(),
    allowedCommands: r.u8(),
    savedResults: r.u8(),
    inNotification: r.u8(),
    storageWarning: r.u8(),
    unsentNotifications: r.uint(2),
  };
}

export function markStatusData(s: MarkStatus): Buffer {
  return new ByteWriter()
    .u8(s.checkState)
    .u8(s.notificationState)
    .u8(s.allowedCommands)
    .u8(s.savedResults)
    .u8(s.inNotification)
    .u8(s.storageWarning)
    .uint(s.unsentNotifications, 2)
    .toBuffer();
}
