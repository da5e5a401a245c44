// The FFD 1.2 requisites the host adds to a document beside FF46h/FF45h, as TLVs: the cashier (1021,
// 1203) on every fiscal document, the unit of each line (2108, FF4Dh right after its FF46h), and a
// correction receipt's type and reason (1173, STLV 1174 {1178, 1179}). Why each goes where it goes is
// in docs/kkt.md («FFD 1.2 requisites»); the bytes are the protocol's (src/shtrih-protocol/tlv.ts).
import type { KktCorrection, KktReceiptLine } from '../kkt.ts';
import { stlv, tlvByte, tlvString, tlvUnixTime } from '../../../../shtrih-protocol/tlv.ts';

export const TAG_CASHIER = 1021;
export const TAG_CASHIER_INN = 1203;
export const TAG_MEASURE = 2108;
export const TAG_CORRECTION_TYPE = 1173;
export const TAG_CORRECTION_REASON = 1174;
export const TAG_CORRECTED_DATE = 1178;
export const TAG_REASON_NUMBER = 1179;

/** Who signs a document when the caller names nobody: FFD requires 1021 whenever a person settles. */
export const DEFAULT_CASHIER = 'Кассир';

/** 1021 (≤ 64 characters) and, when known, 1203: one FF0Ch record each. */
export function cashierTlvs(name: string | undefined, inn: string | undefined): Buffer[] {
  const out = [tlvString(TAG_CASHIER, (name?.trim() || DEFAULT_CASHIER).slice(0, 64))];
  if (inn) out.push(tlvString(TAG_CASHIER_INN, inn));
  return out;
}

/** The FF4Dh records of one line: its unit (2108), always sent under FFD 1.2 (0 = шт). */
export function itemTlvs(line: KktReceiptLine): Buffer[] {
  return [tlvByte(TAG_MEASURE, line.measure ?? 0)];
}

/**
 * 1173 and STLV 1174 {1178 date, 1179 number}. The date is the calendar day at 00:00 written as
 * UnixTime in the KKT's local reckoning (the FN keeps local time in its UnixTime fields), so it reads
 * back as the same date whatever the station's time zone.
 */
export function correctionTlvs(c: KktCorrection): Buffer[] {
  const [y, m, d] = c.reasonDate.split('-').map(Number) as [number, number, number];
  const seconds = Date.UTC(y, m - 1, d) / 1000;
  return [
    tlvByte(TAG_CORRECTION_TYPE, c.kind === 'order' ? 1 : 0),
    stlv(TAG_CORRECTION_REASON, [
      tlvUnixTime(TAG_CORRECTED_DATE, seconds),
      tlvString(TAG_REASON_NUMBER, c.reasonNumber.slice(0, 32)),
    ]),
  ];
}
