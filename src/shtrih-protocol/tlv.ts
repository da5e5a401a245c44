// TLV records for FF0Ch (protocol v1.17 p.46) and FF4Dh (p.56, bound to the last item line):
// `tag u16 | length u16 | value`, little-endian; string values are CP866 because that is what the FN
// stores (p.13; FFD tags); an STLV's value is its child TLVs; UnixTime is 4 bytes LE (FFD 1.05 table 1).

import { ByteWriter } from './bytes.ts';
import { Cmd, withPassword } from './codes.ts';
import { encodeCp866 } from './text.ts';

export function tlv(tag: number, value: Uint8Array): Buffer {
  return new ByteWriter().u16(tag).u16(value.length).bytes(value).toBuffer();
}

/** String TLV: the FN stores CP866. */
export function tlvString(tag: number, text: string): Buffer {
  return tlv(tag, encodeCp866(text));
}

/** One-byte TLV (tags 1173, 2108, …). */
export function tlvByte(tag: number, value: number): Buffer {
  return tlv(tag, Buffer.from([value]));
}

/** UnixTime TLV (tag 1178): seconds since the epoch, 4 bytes LE. */
export function tlvUnixTime(tag: number, seconds: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(seconds >>> 0, 0);
  return tlv(tag, b);
}

/** STLV: a TLV whose value is the concatenated child TLVs (tag 1174 holds 1178 and 1179). */
export function stlv(tag: number, children: readonly Uint8Array[]): Buffer {
  return tlv(tag, Buffer.concat(children));
}

/** FF4Dh: the same layout as FF0Ch, bound to the last FF46h line (must follow it). */
export function writeItemTlvRequest(password: number, tlvBytes: Uint8Array): Buffer {
  if (tlvBytes.length > 250) throw new RangeError(`FF4Dh: TLV of ${tlvBytes.length} bytes exceeds 250`);
  return withPassword(Cmd.WRITE_ITEM_TLV, password, tlvBytes);
}

export function writeTlvRequest(password: number, tlvBytes: Uint8Array): Buffer {
  if (tlvBytes.length > 250) throw new RangeError(`FF0Ch: TLV of ${tlvBytes.length} bytes exceeds 250`);
  return withPassword(Cmd.WRITE_TLV, password, tlvBytes);
}
