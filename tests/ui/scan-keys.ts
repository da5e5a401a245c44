// The keys a USB scanner in keyboard mode sends, for the UI specs (the till's scans, search, marked
// goods, the refund screen's receipt QR).
import type { Page } from '@playwright/test';

/**
 * What a USB scanner in keyboard mode does: the code's keys 10 ms apart, then Enter, at whatever has
 * the focus. The keys are dispatched in the page, each stamped 10 ms after the one before: this
 * machine's load (average 26 on 2 cores while the suite ran) delivers Playwright's keys 150–700 ms
 * apart and preempts the page itself for 200 ms at a time, which no scanner at a till does. Each key
 * is a keydown (and keyup) on the focused element; a key nothing prevented is typed into the focused
 * field as the browser would, so the first key of a burst lands there as it does at a real till.
 */
export async function scan(page: Page, code: string, layout: 'us' | 'ru' = 'us'): Promise<void> {
  const keys = [
    ...[...code].map((ch) => keyOf(ch, layout)),
    { key: 'Enter', code: 'Enter', shiftKey: false },
  ];
  await page.evaluate(
    ({ keys, gapMs }) => {
      const base = performance.now();
      keys.forEach(({ key, code, shiftKey }, i) => {
        const target = document.activeElement ?? document.body;
        const init = { key, code, shiftKey, bubbles: true, cancelable: true, composed: true };
        const down = new KeyboardEvent('keydown', init);
        Object.defineProperty(down, 'timeStamp', { value: base + i * gapMs });
        const typed = target.dispatchEvent(down);
        if (typed && key.length === 1 && target instanceof HTMLInputElement) {
          const at = target.selectionStart ?? target.value.length;
          const value = target.value.slice(0, at) + key + target.value.slice(target.selectionEnd ?? at);
          Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(target, value);
          target.setSelectionRange(at + 1, at + 1);
          target.dispatchEvent(new Event('input', { bubbles: true }));
        }
        target.dispatchEvent(new KeyboardEvent('keyup', init));
      });
    },
    { keys, gapMs: 10 },
  );
}

const RU_LETTERS = 'фисвуапршолдьтщзйкыегмцчня'; // the keys A…Z under the Russian (ЙЦУКЕН) layout
const RU_SHIFTED_DIGITS = ')!"№;%:?*(';
/** Punctuation keys: the US characters (unshifted, shifted) and what the Russian layout types there. */
const PUNCTUATION: [code: string, us: string, ru: string][] = [
  ['Minus', '-_', '-_'],
  ['Equal', '=+', '=+'],
  ['BracketLeft', '[{', 'хХ'],
  ['BracketRight', ']}', 'ъЪ'],
  ['Period', '.>', 'юЮ'],
  ['Slash', '/?', '.,'],
];

/** The key a scanner presses for a character (its US position) and what the layout types with it. */
function keyOf(ch: string, layout: 'us' | 'ru'): { key: string; code: string; shiftKey: boolean } {
  const upper = ch.toUpperCase();
  if (/^[A-Z]$/.test(upper)) {
    const shiftKey = ch === upper;
    const ru = RU_LETTERS[upper.charCodeAt(0) - 65]!;
    return { key: layout === 'us' ? ch : shiftKey ? ru.toUpperCase() : ru, code: `Key${upper}`, shiftKey };
  }
  if (/^\d$/.test(ch)) return { key: ch, code: `Digit${ch}`, shiftKey: false };
  const shiftedDigit = ')!@#$%^&*('.indexOf(ch);
  if (shiftedDigit >= 0)
    return {
      key: layout === 'us' ? ch : RU_SHIFTED_DIGITS[shiftedDigit]!,
      code: `Digit${shiftedDigit}`,
      shiftKey: true,
    };
  for (const [code, us, ru] of PUNCTUATION) {
    const at = us.indexOf(ch);
    if (at >= 0) return { key: layout === 'us' ? ch : ru[at]!, code, shiftKey: at === 1 };
  }
  return { key: ch, code: '', shiftKey: false };
}
