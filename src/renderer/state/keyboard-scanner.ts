// A USB barcode scanner in keyboard mode types the code a few milliseconds a key and presses Enter.
// This tells such a burst from a person typing, wherever the focus is, so a scan is never text in a
// field: the first key of a burst is let through (nothing can know yet that it starts one), every
// later key that follows within HOLD_GAP_MS is held back, and an Enter that ends a burst of at least
// MIN_LENGTH keys averaging at most SCAN_AVERAGE_MS apart takes the first key back out of the field
// and reports the code. Held keys that turn out to be typing (no Enter, or too slow on average) are
// put into the field as typed, before the next key lands.
//
// Why these numbers: scanners send a key every 1–10 ms; a person's keys are 80–250 ms apart on
// average (a rollover of two keys can be 20 ms, never a whole code); the shortest code a shop scans
// (EAN-8) has 8 characters, internal codes at least 4. HOLD_GAP_MS is generous because a busy till's
// event loop can deliver a scanner's keys in clumps with a pause between them.

import { SCAN_PATTERN } from '../../shared/barcode.ts';
import { scannedChar } from './scanner-keys.ts';

export const HOLD_GAP_MS = 100;
export const SCAN_AVERAGE_MS = 50;
export const MIN_LENGTH = 4;

interface Start {
  target: EventTarget | null;
  /** A field for codes only (data-scan-ascii, the marking code's): held keys go back in as the scanner
   * meant them (scanner-keys.ts), not as the Russian layout typed them. */
  ascii: boolean;
  /** The field's value and caret before the burst's first key landed in it. */
  before: { value: string; start: number | null; end: number | null } | null;
}

function inputOf(t: EventTarget | null): HTMLInputElement | HTMLTextAreaElement | null {
  return t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement ? t : null;
}

/** Sets a field's value as typing would, so React's onChange sees it. */
export function setFieldValue(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  const proto = el instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Listens on the window (capture phase, before any field or React handler) and calls `onScan` with
 * the code and the field the burst began in. Returns the function that stops listening.
 */
export function listenForScans(
  onScan: (code: string, field: HTMLInputElement | HTMLTextAreaElement | null) => void,
  /** What counts as a scan: a barcode by default; the refund screen also takes a receipt's longer QR,
   * the sale screen a marking code while it asks for one. */
  accept: { test(code: string): boolean } = SCAN_PATTERN,
): () => void {
  let chars = '';
  let held = '';
  let last = -Infinity;
  let first = 0;
  let start: Start | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  /** No Enter came: the held keys were typing after all; put them where they would have gone. */
  const release = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const el = inputOf(start?.target ?? null);
    if (held && el && el.isConnected && !el.readOnly && !el.disabled) {
      const at = el.selectionStart ?? el.value.length;
      const to = el.selectionEnd ?? at;
      setFieldValue(el, el.value.slice(0, at) + held + el.value.slice(to));
      el.setSelectionRange?.(at + held.length, at + held.length);
    }
    chars = '';
    held = '';
    start = null;
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.isComposing) return;
    if (e.ctrlKey || e.altKey || e.metaKey) return release();
    const now = e.timeStamp;
    const inBurst = chars !== '' && now - last <= HOLD_GAP_MS;
    if (e.key === 'Enter') {
      const fast = (now - first) / chars.length <= SCAN_AVERAGE_MS; // n keys + Enter: n gaps
      if (inBurst && chars.length >= MIN_LENGTH && fast && accept.test(chars)) {
        e.preventDefault();
        e.stopImmediatePropagation();
        const el = inputOf(start?.target ?? null);
        if (el && start?.before) {
          setFieldValue(el, start.before.value);
          if (start.before.start !== null)
            el.setSelectionRange?.(start.before.start, start.before.end ?? start.before.start);
        }
        const code = chars;
        if (timer) clearTimeout(timer);
        timer = null;
        chars = '';
        held = '';
        start = null;
        onScan(code, el);
        return;
      }
      return release();
    }
    if (e.key === 'Shift' || e.key === 'CapsLock') return; // a scanner shifts for capitals
    if (e.key.length !== 1) return release();
    if (inBurst) {
      e.preventDefault();
      e.stopImmediatePropagation();
      chars += scannedChar(e);
      held += start?.ascii ? scannedChar(e) : e.key;
    } else {
      release();
      const el = inputOf(e.target);
      chars = scannedChar(e);
      first = now;
      start = {
        target: e.target,
        ascii: el?.dataset.scanAscii !== undefined,
        before: el ? { value: el.value, start: el.selectionStart, end: el.selectionEnd } : null,
      };
    }
    last = now;
    if (timer) clearTimeout(timer);
    timer = setTimeout(release, HOLD_GAP_MS + 20);
  };

  window.addEventListener('keydown', onKeyDown, { capture: true });
  return () => {
    window.removeEventListener('keydown', onKeyDown, { capture: true });
    release();
  };
}
