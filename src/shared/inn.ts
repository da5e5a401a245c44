// ИНН checks (the FNS control-digit algorithm): a cashier's INN (tag 1203) is the 12-digit INN of a
// person; its last two digits are check digits over the first ten and eleven. In src/shared because
// the till's screens check it as the API does.

const WEIGHTS_11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const WEIGHTS_12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function checkDigit(digits: readonly number[], weights: readonly number[]): number {
  return (weights.reduce((s, w, i) => s + w * digits[i]!, 0) % 11) % 10;
}

/** True for a 12-digit personal INN whose two check digits are right. */
export function isValidPersonInn(inn: string): boolean {
  if (!/^\d{12}$/.test(inn)) return false;
  const d = [...inn].map(Number);
  return checkDigit(d, WEIGHTS_11) === d[10] && checkDigit(d, WEIGHTS_12) === d[11];
}
