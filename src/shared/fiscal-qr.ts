// The QR code on a fiscal receipt (FNS format, built by fiscalQr in src/main/core/kkt/kkt.ts):
// `t=20261130T1002&s=123.45&fn=9999078900012345&i=42&fp=3522609126&n=1`. A refund finds its sale by
// it: i (the FD number) and s (the total) always, fn when the station knows the sale's FN. Browser-safe:
// the refund screen tells a scanned QR from a search, the main process parses it again at its boundary.

/** What a refund needs from the QR. `operation` is tag 1054: 1 sale, 2 refund of a sale, 3–4 expenses. */
export interface FiscalQr {
  fdNumber: number;
  totalKop: number;
  fnNumber: string | null;
  /** As printed, YYYYMMDDTHHMM[SS]; null when the QR has no t. */
  datetime: string | null;
  operation: number | null;
}

export type FiscalQrParse = { ok: true; qr: FiscalQr } | { ok: false; problem: string };

/** A receipt QR is short (about 80 characters); anything much longer is not one. */
export const FISCAL_QR_MAX_LENGTH = 256;

const FIELDS: Record<string, RegExp> = {
  t: /^\d{8}T\d{4}(\d{2})?$/,
  s: /^\d{1,10}(\.\d{1,2})?$/,
  fn: /^\d{16}$/,
  i: /^\d{1,10}$/,
  fp: /^\d{1,10}$/,
  n: /^[1-4]$/,
};

/** True for text that is meant as a receipt QR (has both i= and s=), malformed or not. */
export function looksLikeFiscalQr(text: string): boolean {
  return /(^|&)i=/.test(text) && /(^|&)s=/.test(text);
}

/** The QR's FD number, total and FN, or what is wrong with it (English, for the REST answer). */
export function parseFiscalQr(text: string): FiscalQrParse {
  const raw = text.trim();
  if (raw.length === 0 || raw.length > FISCAL_QR_MAX_LENGTH)
    return { ok: false, problem: `a receipt QR is 1–${FISCAL_QR_MAX_LENGTH} characters` };
  const values = new Map<string, string>();
  for (const part of raw.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, problem: `"${part.slice(0, 20)}" is not a key=value pair` };
    const key = part.slice(0, eq).toLowerCase();
    const value = part.slice(eq + 1);
    if (values.has(key)) return { ok: false, problem: `${key} is given twice` };
    const pattern = FIELDS[key];
    if (pattern && !pattern.test(value))
      return { ok: false, problem: `${key}=${value.slice(0, 20)} is malformed` };
    values.set(key, value); // unknown keys are left alone: the FNS may add some
  }
  const s = values.get('s');
  const i = values.get('i');
  if (s === undefined) return { ok: false, problem: 'the QR has no total (s=)' };
  if (i === undefined) return { ok: false, problem: 'the QR has no FD number (i=)' };
  const [rub, kop = ''] = s.split('.');
  const fdNumber = Number(i);
  if (fdNumber <= 0) return { ok: false, problem: 'the FD number (i=) must be above 0' };
  return {
    ok: true,
    qr: {
      fdNumber,
      totalKop: Number(rub) * 100 + Number(kop.padEnd(2, '0')),
      fnNumber: values.get('fn') ?? null,
      datetime: values.get('t') ?? null,
      operation: values.has('n') ? Number(values.get('n')) : null,
    },
  };
}

/** A keyboard scanner's burst that may be a receipt QR: printable ASCII up to the QR's length. */
export const RECEIPT_SCAN_PATTERN = new RegExp(`^[\\x21-\\x7e]{1,${FISCAL_QR_MAX_LENGTH}}$`);
