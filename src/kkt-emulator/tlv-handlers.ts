// FF0Ch (a TLV for the open document: receipt tags, or the next shift report's) and FF4Dh (a TLV bound
// to the last item line, protocol v1.17 p.56). The emulator decodes the values it knows by their FFD
// type, so its archive reads as a document would: strings (CP866), one-byte codes (1173, 2108),
// UnixTime dates (1178, as YYYY-MM-DD) and STLV 1174 whose children are kept as "1174/1178", "1174/1179".
import { DeviceErrorCode as E } from '../shtrih-protocol/device-errors.ts';
import { decodeCp866 } from '../shtrih-protocol/text.ts';
import type { EmulatedDevice } from './device.ts';

const BYTE_TAGS = new Set([1173, 2108]);
const UNIXTIME_TAGS = new Set([1178]);
const STLV_TAGS = new Set([1174]);
/** The 2108 codes of FFD 1.2 (javapos TLVTags.addList2108); another value is refused (choice). */
const MEASURE_CODES = new Set([
  0, 10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51, 70, 71, 72, 73, 80, 81, 82, 83, 255,
]);

/** Decodes a TLV list into `tag → text`; null when it is malformed. */
function decodeTlvs(b: Buffer, prefix = ''): Record<string, string> | null {
  const tags: Record<string, string> = {};
  let pos = 0;
  while (pos < b.length) {
    if (pos + 4 > b.length) return null;
    const tag = b.readUInt16LE(pos);
    const len = b.readUInt16LE(pos + 2);
    if (pos + 4 + len > b.length) return null;
    const value = b.subarray(pos + 4, pos + 4 + len);
    pos += 4 + len;
    const key = `${prefix}${tag}`;
    if (STLV_TAGS.has(tag)) {
      const inner = decodeTlvs(value, `${key}/`);
      if (!inner) return null;
      tags[key] = 'STLV';
      Object.assign(tags, inner);
    } else if (BYTE_TAGS.has(tag)) {
      if (len !== 1) return null;
      tags[key] = String(value[0]);
    } else if (UNIXTIME_TAGS.has(tag)) {
      if (len !== 4) return null;
      tags[key] = new Date(value.readUInt32LE(0) * 1000).toISOString().slice(0, 10);
    } else {
      tags[key] = decodeCp866(value);
    }
  }
  return tags;
}

export function writeTlv(d: EmulatedDevice, args: Buffer): Buffer | number {
  if (args.length > 250) return E.TLV_TOO_LARGE;
  const tags = decodeTlvs(args);
  if (!tags) return E.BAD_FORMAT;
  Object.assign(d.receipt ? d.receipt.tags : d.shiftTags, tags);
  return Buffer.alloc(0);
}

/** FF4Dh: only inside a receipt, after at least one FF46h (mode 8, [GUIDE p.76]). */
export function writeItemTlv(d: EmulatedDevice, args: Buffer): Buffer | number {
  if (args.length > 250) return E.TLV_TOO_LARGE;
  const item = d.receipt?.items.at(-1);
  if (!d.receipt) return E.RECEIPT_CLOSED; // (choice)
  if (!item) return E.BAD_PARAMS; // nothing to bind it to (choice)
  const tags = decodeTlvs(args);
  if (!tags) return E.BAD_FORMAT;
  if (tags['2108'] !== undefined && !MEASURE_CODES.has(Number(tags['2108']))) return E.BAD_PARAMS;
  item.tags = { ...item.tags, ...tags };
  return Buffer.alloc(0);
}
