// TLV records for FF0Ch (protocol v1.17 p.46): `tag u16 | length u16 | value`, little-endian; string
// values are CP866 because that is what the FN stores (p.13; FFD tags).

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

export function writeTlvRequest(password: number, tlvBytes: Uint8Array): Buffer {
  if (tlvBytes.length > 250) throw new RangeError(`FF0Ch: TLV of ${tlvBytes.length} bytes exceeds 250`);
  return withPassword(Cmd.WRITE_TLV, password, tlvBytes);
}
