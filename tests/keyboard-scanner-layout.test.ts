// A 2D scanner in keyboard mode types a receipt's QR by key position, as on a US keyboard. With the
// Russian layout on, the keys arrive as Cyrillic letters and Russian punctuation (Shift+7 is «?», the
// full-stop key is «ю»); scannedChar must give back the QR's own characters, or the refund screen
// could not find the sale by it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scannedChar } from '../src/renderer/state/scanner-keys.ts';
import { RECEIPT_SCAN_PATTERN, parseFiscalQr } from '../src/shared/fiscal-qr.ts';
import { SCAN_PATTERN } from '../src/shared/barcode.ts';
import { GS, MARK_SCAN_PATTERN, parseMarkCode } from '../src/shared/marking-code.ts';

/** The US key (code, shift) for each character a QR or a barcode uses. */
function usKey(ch: string): { code: string; shiftKey: boolean } {
  if (/[a-z]/.test(ch)) return { code: `Key${ch.toUpperCase()}`, shiftKey: false };
  if (/[A-Z]/.test(ch)) return { code: `Key${ch}`, shiftKey: true };
  if (/\d/.test(ch)) return { code: `Digit${ch}`, shiftKey: false };
  const keys: Record<string, { code: string; shiftKey: boolean }> = {
    '&': { code: 'Digit7', shiftKey: true },
    '=': { code: 'Equal', shiftKey: false },
    '.': { code: 'Period', shiftKey: false },
    '-': { code: 'Minus', shiftKey: false },
    '/': { code: 'Slash', shiftKey: false },
    '!': { code: 'Digit1', shiftKey: true },
    _: { code: 'Minus', shiftKey: true },
    '+': { code: 'Equal', shiftKey: true },
    '{': { code: 'BracketLeft', shiftKey: true },
    '}': { code: 'BracketRight', shiftKey: true },
  };
  return keys[ch]!;
}

/** What the Russian (ЙЦУКЕН) layout types for that key. */
const RU_LETTERS: Record<string, string> = {
  A: 'ф',
  B: 'и',
  C: 'с',
  D: 'в',
  E: 'у',
  F: 'а',
  G: 'п',
  H: 'р',
  I: 'ш',
  J: 'о',
  K: 'л',
  L: 'д',
  M: 'ь',
  N: 'т',
  O: 'щ',
  P: 'з',
  Q: 'й',
  R: 'к',
  S: 'ы',
  T: 'е',
  U: 'г',
  V: 'м',
  W: 'ц',
  X: 'ч',
  Y: 'н',
  Z: 'я',
};
const RU_SHIFTED_DIGITS = ')!"№;%:?*(';
const RU_PUNCTUATION: Record<string, [string, string]> = {
  Equal: ['=', '+'],
  Minus: ['-', '_'],
  Period: ['ю', 'Ю'],
  Slash: ['.', ','],
  BracketLeft: ['х', 'Х'],
  BracketRight: ['ъ', 'Ъ'],
};
function ruKey({ code, shiftKey }: { code: string; shiftKey: boolean }): string {
  const letter = /^Key([A-Z])$/.exec(code);
  if (letter) return shiftKey ? RU_LETTERS[letter[1]!]!.toUpperCase() : RU_LETTERS[letter[1]!]!;
  const digit = /^Digit(\d)$/.exec(code);
  if (digit) return shiftKey ? RU_SHIFTED_DIGITS[Number(digit[1])]! : digit[1]!;
  return RU_PUNCTUATION[code]![shiftKey ? 1 : 0];
}

const typed = (text: string, layout: 'us' | 'ru') =>
  [...text]
    .map((ch) => {
      const k = usKey(ch);
      return scannedChar({ ...k, key: layout === 'us' ? ch : ruKey(k) });
    })
    .join('');

const QR = 't=20261130T1002&s=433.00&fn=9999078900012345&i=42&fp=3522609126&n=1';

test('a receipt QR scanned with the Russian layout on reads as the QR itself', () => {
  assert.equal(typed(QR, 'us'), QR);
  assert.equal(typed(QR, 'ru'), QR);
  const parsed = parseFiscalQr(typed(QR, 'ru'));
  assert.ok(parsed.ok && parsed.qr.fdNumber === 42 && parsed.qr.totalKop === 43300);
  assert.equal(typed('ABC-12/x', 'ru'), 'ABC-12/x', 'Code 128 with capitals, a dash and a slash');
});

test('letters keep Caps Lock; keys with no US position keep what they typed', () => {
  assert.equal(scannedChar({ code: 'KeyA', key: 'A', shiftKey: false }), 'A', 'Caps Lock on');
  assert.equal(scannedChar({ code: 'Numpad7', key: '7', shiftKey: false }), '7');
  assert.equal(scannedChar({ code: '', key: '&', shiftKey: false }), '&', 'a synthetic key with no code');
});

test('a QR is longer than a barcode: the refund screen accepts it, the till does not', () => {
  assert.equal(SCAN_PATTERN.test(QR), false);
  assert.equal(RECEIPT_SCAN_PATTERN.test(QR), true);
  assert.equal(RECEIPT_SCAN_PATTERN.test('x'.repeat(257)), false);
  assert.equal(RECEIPT_SCAN_PATTERN.test('s=1 i=2'), false, 'a space is typing, not a scan');
});

test('a long DataMatrix (91/92 crypto tail) under the Russian layout: read back as typed, taken only as a mark', () => {
  const tail = 'dGVzdIzSWNqFlCZrv+e0GSXQd6Qnar28rNj+8v2D+j0=dGVzdIzSWNqFlCZrv+e0GSXQd6Qnar28rNj+8v2D+j0=';
  // As a scanner with "{GS}" for the group separator types it.
  const code = `010464007801637221_X.g!8xnpuiFV{GS}91FFD0{GS}92${tail}`;
  assert.ok(code.length > 100, `${code.length} characters`);
  const read = typed(code, 'ru');
  assert.equal(read, code);
  assert.match(
    [...code].map((ch) => ruKey(usKey(ch))).join(''),
    /[а-яё]/i,
    'the layout alone types Cyrillic',
  );
  assert.equal(SCAN_PATTERN.test(read), false, 'longer than a barcode burst');
  assert.equal(MARK_SCAN_PATTERN.test(read), true, 'taken while the till asks for a marking code');
  assert.equal(MARK_SCAN_PATTERN.test('0'.repeat(201)), false);
  const mark = parseMarkCode(read.replaceAll('{GS}', GS));
  assert.equal(mark.gtin, '04640078016372');
  assert.equal(mark.serial, '_X.g!8xnpuiFV');
});
