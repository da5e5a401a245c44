// Marking codes (Честный ЗНАК, GS1 DataMatrix) as a scanner delivers them: the forms scanners really
// send are normalised to the one form the KKT wants (the GS1 element string with GS = 0x1D between
// variable-length elements, no symbology prefix), then parsed by the GS1 application-identifier table.
// Browser-safe: the station validates with it, the emulator decides with it, the renderer may show it.
//
// Parsing goes by AI and fixed lengths, never by searching for "91"/"92"/"93": those digits also occur
// inside serials and crypto tails (docs/kkt.md «Marking codes»).

export const GS = '\u001d';

/** The longest marking code a scanner types into the till: (01)+(21) up to 40, a 91/92 crypto tail up to
 * 2×(2+90) with its GS separators (codes in the field run 85–150); the station takes up to 400. */
export const MARK_SCAN_MAX_LENGTH = 200;
/** What a scanned marking code is made of: printable ASCII, and GS itself, which a serial (COM) scanner
 * sends raw (a keyboard-mode scanner types a replacement such as "{GS}"; normaliseMarkCode takes both). */
export const MARK_SCAN_CHARS = '\\x1d\\x21-\\x7e';
/** MARK_SCAN_CHARS, at most `max` of them, at least one printable: a line of GS bytes alone is noise. */
export function scanLinePattern(max: number): RegExp {
  return new RegExp(`^(?=[^\\x21-\\x7e]*[\\x21-\\x7e])[${MARK_SCAN_CHARS}]{1,${max}}$`);
}
/** A marking code as a scanner sends it: longer than a barcode's SCAN_PATTERN, so the till takes it only
 * while it asks for a code. */
export const MARK_SCAN_PATTERN = scanLinePattern(MARK_SCAN_MAX_LENGTH);

/**
 * What a scanner or an integrator may send for the group separator. Real GS first; then the forms
 * keyboard-wedge scanners and JSON tools produce: the visible symbol ␝ (U+241D), "{GS}" and "<GS>"
 * (configurable "GS replacement" strings of common scanners). None of them is in the GS1 character set
 * 82 except "<" and ">", and no serial of a Честный ЗНАК code holds "<GS>".
 */
const GS_FORMS = ['\u241d', '{GS}', '<GS>', '{gs}', '<gs>'];

/** Symbology identifiers a scanner may put in front (]d2 DataMatrix, ]C1 GS1-128, ]Q3 GS1 QR). */
const SYMBOLOGY_PREFIX = /^\](?:d2|C1|Q3|e0)/;

/** GS1 character set 82 (the serial, the key and the crypto tail use it). */
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;

/** Application identifiers a Честный ЗНАК code carries: fixed length, or variable up to `max`. */
const AIS: Record<string, { fixed?: number; max?: number; digits?: boolean; name: string }> = {
  '01': { fixed: 14, digits: true, name: 'GTIN' },
  '21': { max: 20, name: 'serial' },
  '91': { max: 90, name: 'verification key' },
  '92': { max: 90, name: 'crypto tail' },
  '93': { max: 90, name: 'check code' },
  '17': { fixed: 6, digits: true, name: 'expiry date' },
  '11': { fixed: 6, digits: true, name: 'production date' },
  '10': { max: 20, name: 'batch' },
  '240': { max: 30, name: 'additional product id' },
  '8005': { fixed: 6, digits: true, name: 'maximum retail price' },
  '7003': { fixed: 10, digits: true, name: 'expiry date and time' },
  // 310n: net weight in kg with n decimals (weighed goods: dairy, cheese).
  ...Object.fromEntries(
    [0, 1, 2, 3, 4, 5].map((n) => [`310${n}`, { fixed: 6, digits: true, name: 'net weight, kg' }]),
  ),
};

/** Tag 2100 тип кода маркировки as the station classifies it (emulator and OFD payload). */
export type MarkCodeKind =
  | 'crypto88' // 91 + 92 with an 88-character crypto tail (shoes, perfume…)
  | 'crypto44' // 91 + 92 with a 44-character crypto tail (textiles, tyres, dairy…)
  | 'check93' // 93: a 4-character check code (tobacco blocks, water…)
  | 'short' // GTIN + serial only: the FN cannot check it locally
  | 'tobacco_pack'; // 29 characters, no AIs: GTIN(14) serial(7) МРЦ(4) check(4)

export interface MarkCode {
  /** The code exactly as the KKT is sent it (GS = 0x1D, no prefix). */
  code: string;
  gtin: string;
  serial: string;
  kind: MarkCodeKind;
  /** AI 91 / 92 / 93 when present. */
  key?: string;
  crypto?: string;
  check?: string;
  /** AI 310n: the net weight the code carries, in grams (a weighed good may be sold by weight). */
  netWeightG?: number;
}

export class MarkCodeError extends Error {}

/** The forms scanners send → the element string with real GS, or the reason it is not a marking code. */
export function normaliseMarkCode(raw: string): string {
  let s = raw.trim().replace(SYMBOLOGY_PREFIX, '');
  for (const form of GS_FORMS) s = s.split(form).join(GS);
  if (s.startsWith('(')) s = fromParentheses(s);
  while (s.startsWith(GS)) s = s.slice(1); // a leading FNC1 read as GS
  while (s.endsWith(GS)) s = s.slice(0, -1);
  return restoreDroppedSeparators(s);
}

/** Parses a marking code; throws MarkCodeError saying what is wrong, in words for an integrator. */
export function parseMarkCode(raw: string): MarkCode {
  if (typeof raw !== 'string' || raw.trim() === '') throw new MarkCodeError('the marking code is empty');
  const code = normaliseMarkCode(raw);
  if (code.length > 200) throw new MarkCodeError(`is ${code.length} characters long; a КМ has at most 200`);
  if (/^\d{14}[!-~]{15}$/.test(code) && !code.includes(GS) && !code.startsWith('01')) {
    return tobaccoPack(code);
  }
  const fields = new Map<string, string>();
  let i = 0;
  while (i < code.length) {
    const ai = ['01', '21', '91', '92', '93', '17', '11', '10'].includes(code.slice(i, i + 2))
      ? code.slice(i, i + 2)
      : code.slice(i, i + 4) in AIS
        ? code.slice(i, i + 4)
        : code.slice(i, i + 3) in AIS
          ? code.slice(i, i + 3)
          : null;
    if (!ai)
      throw new MarkCodeError(
        `position ${i + 1}: "${code.slice(i, i + 4)}…" is not an application identifier of a marking code (01, 21, 91, 92, 93…)`,
      );
    if (fields.has(ai)) throw new MarkCodeError(`AI (${ai}) occurs twice`);
    const spec = AIS[ai]!;
    const start = i + ai.length;
    let value: string;
    if (spec.fixed !== undefined) {
      value = code.slice(start, start + spec.fixed);
      if (value.length !== spec.fixed)
        throw new MarkCodeError(`AI (${ai}) ${spec.name} needs ${spec.fixed} characters`);
      i = start + spec.fixed;
      if (code[i] === GS) i++; // a GS after a fixed-length element is tolerated
    } else {
      const end = code.indexOf(GS, start);
      value = code.slice(start, end < 0 ? code.length : end);
      i = end < 0 ? code.length : end + 1;
      if (value.length === 0 || value.length > spec.max!)
        throw new MarkCodeError(`AI (${ai}) ${spec.name} must be 1–${spec.max} characters`);
    }
    if (spec.digits ? !/^\d+$/.test(value) : !CSET82.test(value))
      throw new MarkCodeError(
        `AI (${ai}) ${spec.name} holds characters outside ${spec.digits ? 'digits' : 'the GS1 character set'}`,
      );
    fields.set(ai, value);
  }
  const gtin = fields.get('01');
  const serial = fields.get('21');
  if (!gtin || !code.startsWith('01')) throw new MarkCodeError('must start with AI (01), the 14-digit GTIN');
  if (!gtinValid(gtin)) throw new MarkCodeError(`GTIN ${gtin} has a wrong check digit`);
  if (!serial) throw new MarkCodeError('has no AI (21) serial number');
  const key = fields.get('91');
  const crypto = fields.get('92');
  const check = fields.get('93');
  if (Boolean(key) !== Boolean(crypto))
    throw new MarkCodeError('AI (91) verification key and AI (92) crypto tail come together');
  const weightAi = [...fields.keys()].find((k) => k.startsWith('310'));
  const mc: MarkCode = { code, gtin, serial, kind: 'short' };
  if (key && crypto) {
    Object.assign(mc, { key, crypto, kind: crypto.length >= 88 ? 'crypto88' : 'crypto44' });
  } else if (check) {
    Object.assign(mc, { check, kind: 'check93' });
  }
  if (weightAi) {
    const decimals = Number(weightAi[3]);
    const grams = Math.round((Number(fields.get(weightAi)) / 10 ** decimals) * 1000);
    if (grams <= 0) throw new MarkCodeError(`AI (${weightAi}) net weight must be above 0`);
    mc.netWeightG = grams;
  }
  return mc;
}

/** GS1 mod-10 check digit of a GTIN-14. */
export function gtinValid(gtin: string): boolean {
  if (!/^\d{14}$/.test(gtin)) return false;
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(gtin[i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === Number(gtin[13]);
}

/**
 * FFD 1.05 tag 1162 (код товара) of a GS1 DataMatrix: type 0x444D, the GTIN as a 6-byte big-endian
 * number, then the serial in ASCII (javapos barcodeTo1162Value). Hex, for the OFD payload.
 */
export function productCode1162Hex(mc: MarkCode): string {
  const gtin = BigInt(mc.gtin).toString(16).padStart(12, '0');
  const serial = [...mc.serial].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  return `444d${gtin}${serial}`.toUpperCase();
}

/** "Short" form for logs and messages: GTIN and serial, never the crypto tail. */
export function markCodeLabel(mc: Pick<MarkCode, 'gtin' | 'serial'>): string {
  return `(01)${mc.gtin}(21)${mc.serial}`;
}

function tobaccoPack(code: string): MarkCode {
  const gtin = code.slice(0, 14);
  if (!gtinValid(gtin)) throw new MarkCodeError(`GTIN ${gtin} has a wrong check digit`);
  return { code, gtin, serial: code.slice(14, 21), check: code.slice(25, 29), kind: 'tobacco_pack' };
}

/** "(01)046…(21)abc(91)…" → "01046…21abc␝91…": the human-readable form some integrators store. */
function fromParentheses(s: string): string {
  const parts = [...s.matchAll(/\((\d{2,4})\)([^(]*)/g)];
  if (parts.length === 0 || parts.map((m) => m[0]).join('') !== s) return s;
  return parts
    .map(([, ai, value], n) => {
      const variable = AIS[ai!]?.fixed === undefined;
      return `${ai}${value}${variable && n < parts.length - 1 ? GS : ''}`;
    })
    .join('');
}

/**
 * A scanner that drops GS leaves "01 GTIN 21 serial 91 key 92 crypto" run together. For the one layout
 * where that is unambiguous (13-character serial, 4-character key, 44/88-character tail: shoes, textiles,
 * tyres, perfume) the separators are put back; any other run-together code fails to parse later.
 */
function restoreDroppedSeparators(s: string): string {
  if (s.includes(GS) || !s.startsWith('01') || s.slice(16, 18) !== '21') return s;
  if ((s.length === 83 || s.length === 127) && s.slice(31, 33) === '91' && s.slice(37, 39) === '92')
    return `${s.slice(0, 31)}${GS}${s.slice(31, 37)}${GS}${s.slice(37)}`;
  return s;
}
