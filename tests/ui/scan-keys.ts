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
export async function scan(page: Page, code: string): Promise<void> {
  await page.evaluate(
    ({ code, gapMs }) => {
      const base = performance.now();
      [...code, 'Enter'].forEach((key, i) => {
        const target = document.activeElement ?? document.body;
        const down = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, composed: true });
        Object.defineProperty(down, 'timeStamp', { value: base + i * gapMs });
        const typed = target.dispatchEvent(down);
        if (typed && key.length === 1 && target instanceof HTMLInputElement) {
          const at = target.selectionStart ?? target.value.length;
          const value = target.value.slice(0, at) + key + target.value.slice(target.selectionEnd ?? at);
          Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(target, value);
          target.setSelectionRange(at + 1, at + 1);
          target.dispatchEvent(new Event('input', { bubbles: true }));
        }
        target.dispatchEvent(
          new KeyboardEvent('keyup', { key, bubbles: true, cancelable: true, composed: true }),
        );
      });
    },
    { code, gapMs: 10 },
  );
}
