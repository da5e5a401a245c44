// A barcode scanner in serial (COM / USB-CDC) mode: each scan arrives as one line (the code, then CR,
// LF or both). A line that is not a possible code (noise on the line, a scanner's menu answer) is
// logged and dropped, never passed on. What is possible is what some screen takes (a receipt QR on
// «Возврат» is longer than a barcode: shared/scanner-line.ts); the open screen decides the rest. The GS1
// group separator (0x1D) a DataMatrix carries comes raw from a serial scanner and is passed on as it is:
// the till's marking-code parser takes it like a keyboard scanner's "{GS}". When the port is lost (the
// cable pulled, the device reset) it is reopened every few seconds, so the cashier only has to plug it
// back in.
import { SerialPort } from 'serialport';
import { SCANNER_LINE_MAX_LENGTH, SCANNER_LINE_PATTERN } from '../../../shared/scanner-line.ts';
import type { Logger } from '../logger.ts';

export interface SerialScannerOptions {
  path: string;
  baudRate: number;
  log: Logger;
  onScan(code: string): void;
  /** How long to wait before reopening a lost port (default 3 s). */
  reopenMs?: number;
}

/** A line longer than any code means the line has no terminator: it is dropped, not grown forever. */
const MAX_LINE = SCANNER_LINE_MAX_LENGTH + 2;

export interface SerialScanner {
  close(): Promise<void>;
}

export function startSerialScanner(o: SerialScannerOptions): SerialScanner {
  let port: SerialPort | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  let pending = '';
  let lastError = '';

  const take = (chunk: Buffer) => {
    pending += chunk.toString('latin1');
    let m: RegExpExecArray | null;
    while ((m = /\r\n|\r|\n/.exec(pending))) {
      const line = pending.slice(0, m.index).trim();
      pending = pending.slice(m.index + m[0].length);
      if (!line) continue;
      if (SCANNER_LINE_PATTERN.test(line)) o.onScan(line);
      else
        o.log.warn(
          `Scanner ${o.path}: dropped a line that is not a barcode or a code (${JSON.stringify(line.slice(0, 40))})`,
        );
    }
    if (pending.length > MAX_LINE) {
      o.log.warn(`Scanner ${o.path}: ${pending.length} bytes without a line end dropped`);
      pending = '';
    }
  };

  const open = () => {
    timer = null;
    if (closed) return;
    const p = new SerialPort({ path: o.path, baudRate: o.baudRate, autoOpen: false });
    p.on('data', take);
    p.on('close', () => {
      if (closed) return;
      o.log.warn(`Scanner ${o.path}: the port closed; reopening`);
      retry();
    });
    p.on('error', (e) => o.log.warn(`Scanner ${o.path}: ${e.message}`));
    p.open((err) => {
      if (err) {
        if (err.message !== lastError) o.log.warn(`Scanner ${o.path} could not be opened: ${err.message}`);
        lastError = err.message;
        return retry();
      }
      lastError = '';
      port = p;
      pending = '';
      o.log.info(`Scanner ${o.path} @${o.baudRate} open`);
    });
  };
  const retry = () => {
    port = null;
    if (!closed) timer ??= setTimeout(open, o.reopenMs ?? 3_000);
  };
  open();

  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const p = port;
      port = null;
      if (p?.isOpen) await new Promise<void>((resolve) => p.close(() => resolve()));
    },
  };
}
