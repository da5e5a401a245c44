// Money rules, once for the core, the hosts and the renderer: money crosses the boundary as roubles (the
// old API's numbers or strings) and lives everywhere else as integer kopecks; quantities as integer
// thousandths. Conversion goes through the decimal text, never through float multiplication, so 0.29
// becomes 29 kopecks and not 28.999999, and a line total is rounded half up with BigInt. Browser-safe:
// no node: imports.

/** The largest amount the KKT's 5-byte money field (kopecks, protocol v1.17 p.13) and the FFD allow: 99 999 999.99 ₽. */
export const MAX_KOPECKS = 9_999_999_999;
/** The largest quantity the core accepts: 999 999.999. */
export const MAX_QUANTITY_MILLI = 999_999_999;

const DECIMAL = /^(\d{1,10})(?:\.(\d{1,2}))?$/;
const QUANTITY = /^(\d{1,6})(?:\.(\d{1,3}))?$/;

function decimalText(value: unknown): string | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return null;
    return String(value); // shortest round-trip text: 100.5 → "100.5", 1e21 → "1e+21" (rejected)
  }
  if (typeof value === 'string') return value.trim();
  return null;
}

/** Roubles (number or decimal string, at most 2 decimals) → kopecks, or null when it is not such an amount. */
export function roublesToKopecks(value: unknown): number | null {
  const text = decimalText(value);
  const m = text === null ? null : DECIMAL.exec(text);
  if (!m) return null;
  const kop = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return kop <= MAX_KOPECKS ? kop : null;
}

/** Quantity (at most 3 decimals, so at most MAX_QUANTITY_MILLI) → thousandths, or null. */
export function quantityToMilli(value: unknown): number | null {
  const text = decimalText(value);
  const m = text === null ? null : QUANTITY.exec(text);
  if (!m) return null;
  return Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
}

/** Kopecks → roubles as a number with 2 decimals, for the old API's response fields. */
export function kopecksToRoubles(kop: number): number {
  return kop / 100;
}

/**
 * Kopecks → the plain "1234.50": the REST body's amount strings and the core's messages. The grouped
 * "1 234,50 ₽" a cashier reads is the renderer's business (format.ts).
 */
export function formatKopecks(kop: number): string {
  const sign = kop < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(kop));
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** price × quantity rounded half up to kopecks; BigInt because the product can pass 2^53. */
export function lineTotalKop(priceKop: number, quantityMilli: number): number {
  return Number((BigInt(priceKop) * BigInt(quantityMilli) + 500n) / 1000n);
}
