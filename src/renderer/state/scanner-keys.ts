// Which character a keyboard-mode scanner meant by a key it pressed (keyboard-scanner.ts). Kept free of
// the DOM so the Node tests check it against the Russian layout.

/** US-layout characters of the punctuation keys, unshifted and shifted (by KeyboardEvent.code). */
const PUNCTUATION: Record<string, [string, string]> = {
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  Comma: [',', '<'],
  Period: ['.', '>'],
  Slash: ['/', '?'],
  Backquote: ['`', '~'],
};
const SHIFTED_DIGITS = ')!@#$%^&*(';

/**
 * The character a scanner meant: a scanner types the code's keys by position (as on a US keyboard), so
 * with the Russian layout on, Code 128's "ABC-12" arrives as «ФИС-12», and a receipt QR's
 * "&s=1.00" as "?s=1ю00" (Shift+7 is «?», the full-stop key «ю»). The physical key (`code`) gives it
 * back. A digit or punctuation key is read by its position even when the layout typed ASCII (the
 * Russian Shift+7 «?» is still «&»); a letter key keeps an ASCII letter as typed (Caps Lock).
 */
export function scannedChar(e: { key: string; code?: string; shiftKey: boolean }): string {
  const letter = /^Key([A-Z])$/.exec(e.code ?? '');
  if (letter) {
    if (/^[A-Za-z]$/.test(e.key)) return e.key;
    return e.shiftKey ? letter[1]! : letter[1]!.toLowerCase();
  }
  const digit = /^Digit(\d)$/.exec(e.code ?? '');
  if (digit) return e.shiftKey ? SHIFTED_DIGITS[Number(digit[1])]! : digit[1]!;
  const p = PUNCTUATION[e.code ?? ''];
  return p ? p[e.shiftKey ? 1 : 0] : e.key;
}
