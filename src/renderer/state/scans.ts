// Every scan a screen takes, from either kind of scanner: a keyboard-mode scanner's burst
// (keyboard-scanner.ts) and a serial (COM) scanner's line, which the main process pushes as the
// `scanner.scan` event (core/catalog/serial-scanner.ts). Both go through the screen's one `accept` rule
// and its one handler, so a code means the same on a screen whichever scanner read it (a receipt QR on
// «Возврат», a barcode or a marking code on «Продажа»).
import { SCAN_PATTERN } from '../../shared/barcode.ts';
import { station } from './api.ts';
import { listenForScans } from './keyboard-scanner.ts';

type Field = HTMLInputElement | HTMLTextAreaElement;

/**
 * Calls `onScan` with each accepted code and the field it concerns: for a keyboard burst the field it
 * began in, for a serial read the field that has the focus. Returns the function that stops listening.
 */
export function listenForAnyScanner(
  onScan: (code: string, field: Field | null) => void,
  accept: { test(code: string): boolean } = SCAN_PATTERN,
): () => void {
  const stopKeyboard = listenForScans(onScan, accept);
  let stopSerial = () => {};
  try {
    stopSerial = station().on('scanner.scan', ({ code }) => {
      if (typeof code !== 'string' || !accept.test(code)) return;
      const el = document.activeElement;
      onScan(code, el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el : null);
    });
  } catch {
    /* no transport: the app shows TransportUnavailable instead */
  }
  return () => {
    stopKeyboard();
    stopSerial();
  };
}
