// A 2D barcode printed by the KKT itself (protocol v1.17 p.37–38): DDh «Загрузка данных» puts the data
// into the device's buffer in 64-byte blocks, then DEh «Печать многомерного штрих-кода» prints it from a
// start block. Neither makes a fiscal document. The station prints the receipt's QR this way on a copy
// (docs/kkt.md «Receipt copy»); the builders, the parsers the emulator uses, and the checks both share
// live here so the two sides read the fields the same way.

import { ByteReader, ByteWriter, ProtocolError } from './bytes.ts';
import { Cmd, withPassword } from './codes.ts';
import { encodeCp1251 } from './text.ts';

/** DDh carries exactly this many data bytes (its message is 71 bytes: code, PWD, type, block, data). */
export const DATA_BLOCK_BYTES = 64;
/** Block numbers 0…127. */
export const DATA_BLOCKS = 128;
/** DDh data type 0: data for a 2D barcode, the only type p.37 lists. */
export const DATA_TYPE_BARCODE = 0;
/** DEh "Длина данных штрих-кода" 1…7089 (the most a QR code holds, version 40, numeric). */
export const BARCODE_DATA_MAX = 7089;

/** DEh barcode types (p.37). */
export const Barcode2dType = { PDF417: 0, DATAMATRIX: 1, AZTEC: 2, QR: 3 } as const;
/** DEh alignment byte (p.38). */
export const BarcodeAlign = { LEFT: 0, CENTER: 1, RIGHT: 2 } as const;

/**
 * The QR code's meaning of DEh parameters 1–5 (p.38): 1 version (0 = automatic, up to 40), 2 mask (up to
 * 8; 0 taken as automatic), 3 dot size 3…8, 4 unused, 5 error correction level 0…3 = L, M, Q, H.
 */
export interface QrParams {
  version: number;
  mask: number;
  dotSize: number;
  errorCorrection: number;
}

/**
 * What the station prints: the smallest version that holds the data, the device's own mask, dots of 5
 * (the vendor's sample app; a 70-character receipt QR is then about 23 mm wide, within a 57 mm tape's
 * 48 mm) and level M (another Shtrih-M integration's choice; the FNS sets no level).
 */
export const RECEIPT_QR_PARAMS: QrParams = { version: 0, mask: 0, dotSize: 5, errorCorrection: 1 };

const QR_LIMITS = { version: [0, 40], mask: [0, 8], dotSize: [3, 8], errorCorrection: [0, 3] } as const;

/** Why these QR parameters are out of p.38's ranges, or null when they are within. */
export function qrParamsProblem(p: QrParams): string | null {
  for (const [name, [lo, hi]] of Object.entries(QR_LIMITS)) {
    const v = p[name as keyof QrParams];
    if (!Number.isInteger(v) || v < lo || v > hi) return `QR ${name} must be ${lo}…${hi}, not ${v}`;
  }
  return null;
}

/** How many DDh blocks `length` bytes take. */
export function blocksFor(length: number): number {
  return Math.ceil(length / DATA_BLOCK_BYTES);
}

/** Why `length` bytes from `startBlock` cannot be a DEh barcode, or null. */
export function barcodeSpanProblem(length: number, startBlock: number): string | null {
  if (!Number.isInteger(length) || length < 1 || length > BARCODE_DATA_MAX)
    return `barcode data must be 1…${BARCODE_DATA_MAX} bytes, not ${length}`;
  if (!Number.isInteger(startBlock) || startBlock < 0 || startBlock >= DATA_BLOCKS)
    return `start block must be 0…${DATA_BLOCKS - 1}, not ${startBlock}`;
  if (startBlock + blocksFor(length) > DATA_BLOCKS)
    return `${length} bytes from block ${startBlock} run past block ${DATA_BLOCKS - 1}`;
  return null;
}

// ---------------------------------------------------------------- DDh (p.37)

/** `DD | PWD | type 0 | block | data (64 bytes, zero-padded)` → `DD | ERR | operator`. */
export function loadDataRequest(password: number, block: number, data: Uint8Array): Buffer {
  if (!Number.isInteger(block) || block < 0 || block >= DATA_BLOCKS)
    throw new RangeError(`DDh: block number must be 0…${DATA_BLOCKS - 1}, not ${block}`);
  if (data.length > DATA_BLOCK_BYTES)
    throw new RangeError(`DDh: a block holds ${DATA_BLOCK_BYTES} bytes, not ${data.length}`);
  const w = new ByteWriter().u8(DATA_TYPE_BARCODE).u8(block).bytes(data);
  w.fill(0, DATA_BLOCK_BYTES - data.length);
  return withPassword(Cmd.LOAD_DATA, password, w.toBuffer());
}

/** The DDh requests that load `data` from block `startBlock` on. */
export function loadDataRequests(password: number, data: Uint8Array, startBlock = 0): Buffer[] {
  const problem = barcodeSpanProblem(data.length, startBlock);
  if (problem) throw new RangeError(`DDh: ${problem}`);
  const out: Buffer[] = [];
  for (let i = 0; i < blocksFor(data.length); i++) {
    const chunk = data.subarray(i * DATA_BLOCK_BYTES, (i + 1) * DATA_BLOCK_BYTES);
    out.push(loadDataRequest(password, startBlock + i, chunk));
  }
  return out;
}

export interface LoadDataArgs {
  dataType: number;
  block: number;
  data: Uint8Array;
}

/** The DDh fields after PWD (the emulator's side); a wrong length is a ProtocolError. */
export function parseLoadDataArgs(args: Uint8Array): LoadDataArgs {
  if (args.length !== 2 + DATA_BLOCK_BYTES)
    throw new ProtocolError(
      `DDh: ${2 + DATA_BLOCK_BYTES} bytes after the password expected, got ${args.length}`,
    );
  const r = new ByteReader(args, 'DDh');
  return { dataType: r.u8(), block: r.u8(), data: r.bytes(DATA_BLOCK_BYTES) };
}

// ---------------------------------------------------------------- DEh (p.37–38)

export interface Print2dArgs {
  type: number;
  length: number;
  startBlock: number;
  /** Parameters 1–5 as sent; their meaning depends on the type (QR: see QrParams). */
  params: [number, number, number, number, number];
  align: number;
}

/** `DE | PWD | type | length (2) | start block | P1…P5 | align` (15 bytes). */
export function print2dBarcodeRequest(password: number, a: Print2dArgs): Buffer {
  const span = barcodeSpanProblem(a.length, a.startBlock);
  if (span) throw new RangeError(`DEh: ${span}`);
  if (!(Object.values(BarcodeAlign) as number[]).includes(a.align))
    throw new RangeError(`DEh: alignment must be 0, 1 or 2, not ${a.align}`);
  const w = new ByteWriter().u8(a.type).u16(a.length).u8(a.startBlock);
  for (const p of a.params) w.u8(p);
  return withPassword(Cmd.PRINT_2D_BARCODE, password, w.u8(a.align).toBuffer());
}

/** DEh for a QR code of `length` bytes loaded from `startBlock`, with p.38's parameter ranges checked. */
export function printQrRequest(
  password: number,
  length: number,
  params: QrParams = RECEIPT_QR_PARAMS,
  align: number = BarcodeAlign.CENTER,
  startBlock = 0,
): Buffer {
  const problem = qrParamsProblem(params);
  if (problem) throw new RangeError(`DEh: ${problem}`);
  return print2dBarcodeRequest(password, {
    type: Barcode2dType.QR,
    length,
    startBlock,
    params: qrParamsBytes(params),
    align,
  });
}

export function qrParamsBytes(p: QrParams): Print2dArgs['params'] {
  return [p.version, p.mask, p.dotSize, 0, p.errorCorrection];
}

export function qrParamsOf(params: Print2dArgs['params']): QrParams {
  return { version: params[0], mask: params[1], dotSize: params[2], errorCorrection: params[4] };
}

/** The DEh fields after PWD (the emulator's side); a wrong length is a ProtocolError. */
export function parsePrint2dArgs(args: Uint8Array): Print2dArgs {
  if (args.length !== 10)
    throw new ProtocolError(`DEh: 10 bytes after the password expected, got ${args.length}`);
  const r = new ByteReader(args, 'DEh');
  const type = r.u8();
  const length = r.u16();
  const startBlock = r.u8();
  const params: Print2dArgs['params'] = [r.u8(), r.u8(), r.u8(), r.u8(), r.u8()];
  return { type, length, startBlock, params, align: r.u8() };
}

/** DEh's answer for a QR code: the parameters the device used and the printed size (p.37, note 2). */
export interface Print2dResult {
  operator: number;
  /** Absent in the short (3-byte) answer other barcode types get. */
  qr?: { params: QrParams; widthDots: number; heightDots: number };
}

/** The long answer's data after ERR: operator, P1…P5, width (2), height (2). */
export function print2dAnswerData(
  operator: number,
  used: QrParams,
  widthDots: number,
  heightDots: number,
): Buffer {
  const w = new ByteWriter().u8(operator);
  for (const p of qrParamsBytes(used)) w.u8(p);
  return w.u16(widthDots).u16(heightDots).toBuffer();
}

/** The data after ERR: 1 byte (operator) or 10 (operator, P1…P5, width, height); anything else throws. */
export function parsePrint2dAnswer(data: Uint8Array): Print2dResult {
  const r = new ByteReader(data, 'DEh');
  if (data.length === 1) return { operator: r.u8() };
  if (data.length !== 10)
    throw new ProtocolError(`DEh: answer of 1 or 10 bytes after ERR expected, got ${data.length}`);
  const operator = r.u8();
  const params = qrParamsOf([r.u8(), r.u8(), r.u8(), r.u8(), r.u8()]);
  return { operator, qr: { params, widthDots: r.u16(), heightDots: r.u16() } };
}

/** The bytes a QR of `text` carries: the receipt QR is ASCII; anything else goes as cp1251, like 17h text. */
export function qrDataBytes(text: string): Buffer {
  return encodeCp1251(text);
}
