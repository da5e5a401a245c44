// What a scanned code is: a GTIN (EAN-13, EAN-8, UPC-A) with its check digit verified, a weight
// barcode (a scale's label: prefix 20–29, the item's code, the weight in grams), or any other code the
// shop uses (Code 128 and internal codes: the scanner verifies Code 128's own check character and
// sends only the data). Browser-safe: the main process decides, the renderer words the answer.

/** A scan as the scanner sends it: printable ASCII, 1–64 characters (Code 128 holds no more on a label). */
export const SCAN_PATTERN = /^[\x21-\x7e]{1,64}$/;

/** The GTIN lengths whose last digit is a mod-10 check digit. */
const GTIN_LENGTHS = new Set([8, 12, 13, 14]);

/** True when `digits` ends in the right GS1 mod-10 check digit (EAN-8, UPC-A, EAN-13, GTIN-14). */
export function gtinCheckDigitOk(digits: string): boolean {
  if (!/^\d+$/.test(digits) || !GTIN_LENGTHS.has(digits.length)) return false;
  return gtinCheckDigit(digits.slice(0, -1)) === Number(digits[digits.length - 1]);
}

/** The check digit for the digits before it: weights 3,1,3,… from the right. */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True for an all-digit code of a GTIN length: it must carry a right check digit. */
export function looksLikeGtin(code: string): boolean {
  return /^\d+$/.test(code) && GTIN_LENGTHS.has(code.length);
}

/**
 * The other spellings a catalogue may hold a GTIN under: a UPC-A (12 digits) is the EAN-13 with a
 * leading 0, and scanners send either.
 */
export function gtinVariants(code: string): string[] {
  if (/^\d{12}$/.test(code)) return [code, `0${code}`];
  if (/^0\d{12}$/.test(code)) return [code, code.slice(1)];
  return [code];
}

/**
 * The layout of a weight barcode, one letter per digit: P the prefix, C the item's code, W the weight
 * in grams, K the EAN-13 check digit. The default is the usual scale label: `2` + one prefix digit +
 * 5-digit code + 5-digit grams + check.
 */
export const DEFAULT_WEIGHT_LAYOUT = 'PPCCCCCWWWWWK';
export const WEIGHT_LAYOUT_PATTERN = /^P+C+W+K$/;

export interface WeightLayout {
  layout: string;
  /** The prefixes that mark a weight label, e.g. 20–29. */
  prefixes: readonly string[];
}

export const DEFAULT_WEIGHT: WeightLayout = {
  layout: DEFAULT_WEIGHT_LAYOUT,
  prefixes: ['20', '21', '22', '23', '24', '25', '26', '27', '28', '29'],
};

export interface WeightScan {
  /** The item code on the label (leading zeros kept). */
  itemCode: string;
  grams: number;
}

/** The item code and the weight of a weight label; null when the code is not one in this layout. */
export function parseWeightBarcode(code: string, w: WeightLayout = DEFAULT_WEIGHT): WeightScan | null {
  if (code.length !== w.layout.length || !/^\d+$/.test(code)) return null;
  const prefixLen = w.layout.indexOf('C');
  if (!w.prefixes.includes(code.slice(0, prefixLen))) return null;
  if (!gtinCheckDigitOk(code)) return null;
  const itemCode = code.slice(prefixLen, w.layout.lastIndexOf('C') + 1);
  const grams = Number(code.slice(w.layout.indexOf('W'), w.layout.lastIndexOf('W') + 1));
  if (grams === 0) return null;
  return { itemCode, grams };
}

/** Parses "20-29" or "20,21,22" into the list of prefixes; null when malformed. */
export function parsePrefixes(text: string, length: number): string[] | null {
  const out: string[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (range[1]!.length !== length || range[2]!.length !== length || from > to) return null;
      for (let n = from; n <= to; n++) out.push(String(n).padStart(length, '0'));
    } else if (new RegExp(`^\\d{${length}}$`).test(part)) out.push(part);
    else return null;
  }
  return out.length ? out : null;
}
