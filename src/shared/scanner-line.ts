// What a barcode scanner may send, and who decides what it means. A scan is one code of printable
// ASCII (and a DataMatrix's GS, raw from a serial scanner), from a keyboard-mode scanner (a burst of
// keys) or a serial (COM) one (a line); how long it may be depends on the screen that takes it: a
// barcode on «Продажа» (barcode.ts SCAN_PATTERN, 64), a marking code while the sale asks for one
// (marking-code.ts MARK_SCAN_PATTERN, 200), a receipt QR on «Возврат» (fiscal-qr.ts RECEIPT_SCAN_PATTERN,
// 256). The serial scanner in the main process cannot know which screen is open, so it passes on
// whatever some screen may take; the screen then applies its own pattern, exactly as to a keyboard
// burst (renderer/state/scans.ts).
import { FISCAL_QR_MAX_LENGTH } from './fiscal-qr.ts';
import { MARK_SCAN_MAX_LENGTH, scanLinePattern } from './marking-code.ts';

export const SCANNER_LINE_MAX_LENGTH = Math.max(FISCAL_QR_MAX_LENGTH, MARK_SCAN_MAX_LENGTH);

/** A line a serial scanner passes on to the screens: printable ASCII, and the raw GS (0x1D) of a
 * DataMatrix, up to the longest code one takes. Every other control byte is noise. */
export const SCANNER_LINE_PATTERN = scanLinePattern(SCANNER_LINE_MAX_LENGTH);
