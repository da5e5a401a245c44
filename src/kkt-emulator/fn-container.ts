// The emulated FN's side of the FN↔OFD protocol (docs/kkt.md «FN → OFD exchange»): the message it
// hands the host for its oldest unsent document, and the check of the OFD's answer (квитанция). The
// layout follows the FNS «сеансовый уровень» as yandex/ofd reads it: a 30-byte session header, then a
// container with a 32-byte frame header (CRC16-CCITT-FALSE) and an STLV body. A real FN encrypts the
// body and checks the operator's signature with its crypto module; this test device sends the body in
// plain and checks an HMAC-SHA256 under a published test key (EMULATOR_OFD_KEY) that the mock OFD
// (src/ofd-mock/fn-server.ts) signs with. The two sides share no code: tests check the contract.

import { createHmac } from 'node:crypto';
import type { ArchivedDocument } from './state.ts';

/** The test key the emulator and the mock OFD sign receipts with (never a real OFD key). */
export const EMULATOR_OFD_KEY = 'cashier-station-emulator-ofd-key';

const SIGNATURE = [0x2a, 0x08, 0x41, 0x0a];
const S_VERSION = [0x81, 0xa2];
/** P-version for FFD 1.2 as OFD servers expect it (kkt-protocol.md §7.7; the javapos rewrite). */
const P_VERSION = [0x01, 0x20];
const FLAG_CONTAINER = 0x0004;
const MSG_TYPE = 0xa5;
const FRAME_VERSION = 1;
/** FFD document type of the operator's confirmation (yandex/ofd DOCUMENTS[7]). */
export const DOC_OFD_RECEIPT = 7;
const FRAME_HEADER = 32;
const SESSION_HEADER = 30;

const TAG = { DATETIME: 1012, ANSWER_CODE: 1022, FD: 1040, FN: 1041, OPERATION: 1054, TOTAL: 1020 } as const;
const TAG_FISCAL_SIGN = 1077;
const TAG_OFD_SIGN = 1078;

/** The FN's message for the OFD about `doc`: the same bytes every time it is read. */
export function fnMessage(fnNumber: string, doc: ArchivedDocument): Buffer {
  const fields = [
    tlv(TAG.FD, u32(doc.fd)),
    tlv(TAG.FN, Buffer.from(fnNumber, 'latin1')),
    tlv(TAG.DATETIME, u32(unixOf(doc.datetime))),
    tlv(TAG_FISCAL_SIGN, Buffer.concat([Buffer.alloc(2), be32(doc.fp)])),
  ];
  if (doc.operation !== undefined) fields.push(tlv(TAG.OPERATION, Buffer.from([doc.operation])));
  if (doc.amountKop !== undefined) fields.push(tlv(TAG.TOTAL, vln(doc.amountKop)));
  const body = tlv(doc.type, Buffer.concat(fields));
  const container = frame(doc.type, fnNumber, doc.fd, body);
  return Buffer.concat([sessionHeader(fnNumber, container.length), container]);
}

/** What an accepted OFD answer confirms. */
export interface OfdReceipt {
  fd: number;
  /** Local-free Unix time the OFD put in 1012. */
  receivedAt: number;
  ofdSign: Buffer;
}

/**
 * Checks the OFD's answer for the document `expectedFd` of this FN; the reason it cannot be accepted
 * (FN error 20h) or the receipt. Everything is checked: framing, CRC, FN, FD and the signature.
 */
export function checkOfdAnswer(
  answer: Buffer,
  fnNumber: string,
  expectedFd: number,
): { ok: true; receipt: OfdReceipt } | { ok: false; reason: string } {
  const fail = (reason: string) => ({ ok: false as const, reason });
  if (answer.length < SESSION_HEADER + FRAME_HEADER)
    return fail(`answer of ${answer.length} bytes is too short`);
  if (!answer.subarray(0, 4).equals(Buffer.from(SIGNATURE))) return fail('wrong session signature');
  if (answer.readUInt16LE(24) !== answer.length - SESSION_HEADER) return fail('session length mismatch');
  if (answer.subarray(8, 24).toString('latin1') !== fnNumber.padEnd(16, ' ')) return fail('another FN');
  const c = answer.subarray(SESSION_HEADER);
  if (c.readUInt16LE(0) !== c.length) return fail('container length mismatch');
  if (c[4] !== MSG_TYPE || c[6] !== FRAME_VERSION) return fail('not a container of protocol version 1');
  if (c.readUInt16LE(2) !== frameCrc(c)) return fail('container CRC mismatch');
  if (c[5] !== DOC_OFD_RECEIPT) return fail(`document type ${c[5]} is not an OFD receipt`);
  if (!c.subarray(9, 17).equals(bcd(fnNumber))) return fail('container for another FN');
  const fd = c.readUIntBE(17, 3);
  if (fd !== expectedFd) return fail(`receipt for FD ${fd}, the FN waits for FD ${expectedFd}`);
  const doc = readTlvs(c.subarray(FRAME_HEADER));
  const inner = doc?.get(DOC_OFD_RECEIPT);
  const fields = inner && readTlvs(inner);
  const at = fields?.get(TAG.DATETIME);
  const sign = fields?.get(TAG_OFD_SIGN);
  const fdTag = fields?.get(TAG.FD);
  if (!fields || !at || at.length !== 4 || !sign || !fdTag || fdTag.length !== 4)
    return fail('receipt body without 1012, 1040 or 1078');
  if (fdTag.readUInt32LE(0) !== expectedFd) return fail('1040 differs from the container FD');
  const code = fields.get(TAG.ANSWER_CODE);
  if (code && code[0] !== 0) return fail(`the OFD answered code ${code[0]} (not accepted)`);
  const receivedAt = at.readUInt32LE(0);
  if (!sign.equals(ofdSign(fnNumber, expectedFd, receivedAt))) return fail('wrong OFD signature (1078)');
  return { ok: true, receipt: { fd: expectedFd, receivedAt, ofdSign: sign } };
}

/** 1078 as the mock OFD computes it: HMAC-SHA256(test key, "FN:FD:time"), first 18 bytes. */
export function ofdSign(fnNumber: string, fd: number, unixTime: number): Buffer {
  return createHmac('sha256', EMULATOR_OFD_KEY)
    .update(`${fnNumber}:${fd}:${unixTime}`)
    .digest()
    .subarray(0, 18);
}

function sessionHeader(fnNumber: string, bodyLength: number): Buffer {
  const h = Buffer.alloc(SESSION_HEADER);
  h.set(SIGNATURE, 0);
  h.set(S_VERSION, 4);
  h.set(P_VERSION, 6);
  h.write(fnNumber.padEnd(16, ' ').slice(0, 16), 8, 'latin1');
  h.writeUInt16LE(bodyLength, 24);
  h.writeUInt16LE(FLAG_CONTAINER, 26);
  // 28–29: session CRC not computed (00 00), as the FN and yandex/ofd's mock leave it.
  return h;
}

/** Frame header (length, CRC, A5h, doc type, version 1, service 1, FN BCD, FD 3 BE, service 2) + body. */
function frame(docType: number, fnNumber: string, fd: number, body: Buffer): Buffer {
  const c = Buffer.alloc(FRAME_HEADER + body.length);
  c.writeUInt16LE(c.length, 0);
  c[4] = MSG_TYPE;
  c[5] = docType;
  c[6] = FRAME_VERSION;
  c.set(bcd(fnNumber), 9);
  c.writeUIntBE(fd & 0xffffff, 17, 3);
  body.copy(c, FRAME_HEADER);
  c.writeUInt16LE(frameCrc(c), 2);
  return c;
}

/** CRC16-CCITT-FALSE over the container without its CRC field (yandex/ofd recalculate_crc). */
function frameCrc(c: Buffer): number {
  return crc16(Buffer.concat([c.subarray(0, 2), c.subarray(4)]));
}

function crc16(data: Uint8Array): number {
  let crc = 0xffff;
  for (const b of data) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** 16 decimal digits as 8 BCD bytes; anything else as zeros. */
function bcd(digits: string): Buffer {
  const b = Buffer.alloc(8);
  if (!/^\d{16}$/.test(digits)) return b;
  for (let i = 0; i < 8; i++) b[i] = (Number(digits[2 * i]) << 4) | Number(digits[2 * i + 1]);
  return b;
}

function tlv(tag: number, value: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt16LE(tag, 0);
  h.writeUInt16LE(value.length, 2);
  return Buffer.concat([h, value]);
}

function readTlvs(b: Buffer): Map<number, Buffer> | null {
  const out = new Map<number, Buffer>();
  let p = 0;
  while (p < b.length) {
    if (p + 4 > b.length) return null;
    const len = b.readUInt16LE(p + 2);
    if (p + 4 + len > b.length) return null;
    out.set(b.readUInt16LE(p), b.subarray(p + 4, p + 4 + len));
    p += 4 + len;
  }
  return out;
}

const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0, 0);
  return b;
};

const be32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0, 0);
  return b;
};

/** VLN: little-endian, as many bytes as the value needs (at least one). */
function vln(v: number): Buffer {
  const out: number[] = [];
  let rest = v;
  do {
    out.push(rest % 256);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  return Buffer.from(out);
}

/** 1012 is Unix time of the KKT's local clock reading (FFD writes local time as if it were UTC). */
function unixOf(localIso: string): number {
  const t = Date.parse(`${localIso}Z`);
  return Number.isFinite(t) ? Math.floor(t / 1000) : 0;
}
