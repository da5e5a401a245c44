// The INN (ИНН) check digits, once for the core (which refuses a wrong one) and the renderer (which says
// so before sending). A person's INN is 12 digits, the last two check digits over the first ten and
// eleven; an organisation's is 10 digits with one. Browser-safe: no node: imports.

const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const W11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const W12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function checkDigit(digits: number[], weights: number[]): number {
  return (weights.reduce((sum, w, i) => sum + w * digits[i]!, 0) % 11) % 10;
}

/** A person's INN (a cashier's): 12 digits with both check digits right. */
export function isValidPersonInn(inn: string): boolean {
  if (!/^\d{12}$/.test(inn)) return false;
  const d = [...inn].map(Number);
  return checkDigit(d, W11) === d[10] && checkDigit(d, W12) === d[11];
}

/** An organisation's INN: 10 digits with the check digit right. */
export function isValidOrgInn(inn: string): boolean {
  if (!/^\d{10}$/.test(inn)) return false;
  const d = [...inn].map(Number);
  return checkDigit(d, W10) === d[9];
}
