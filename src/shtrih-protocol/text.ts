// Text encodings the protocol uses (protocol v1.17 p.13, p.20, p.30): printed text and item names are
// Windows-1251; TLV string values (FF0Ch) are CP866 because that is what the FN stores.

import iconv from 'iconv-lite';

export function encodeCp1251(text: string): Buffer {
  return iconv.encode(text, 'win1251');
}

export function decodeCp1251(bytes: Uint8Array): string {
  return iconv.decode(Buffer.from(bytes), 'win1251');
}

export function encodeCp866(text: string): Buffer {
  return iconv.encode(text, 'cp866');
}

export function decodeCp866(bytes: Uint8Array): string {
  return iconv.decode(Buffer.from(bytes), 'cp866');
}

/** Encodes and cuts to maxBytes (both encodings are one byte per character). */
export function encodeCp1251Max(text: string, maxBytes: number): Buffer {
  return encodeCp1251(text).subarray(0, maxBytes);
}

/** ASCII fields (FN number, reg. number, INN) are padded with NUL or spaces: trim both. */
export function trimAscii(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString('latin1')
    .replace(/[\0 ]+$/g, '')
    .replace(/^[\0 ]+/g, '');
}
