// A non-fiscal printout (a receipt copy): text lines with 17h, and QR codes the KKT draws itself with
// DDh (the data, 64 bytes a block) then DEh (protocol v1.17 p.37–38; docs/kkt.md «Receipt copy»). A KKT
// that will not draw it — a firmware without DDh/DEh answers 37h, another may refuse the parameters or the
// length — gets the QR's text in 17h lines instead, as every copy had before: the buyer can still type it
// in, and the copy never fails because of its QR. Whatever refused the QR stops that piece only; a printer
// that is really out of paper then fails the text line after it, as it would any copy.
import type { PrintLine, PrintTextResult, QrPrintedAsText } from '../kkt.ts';
import { KktError } from '../../../../shared/errors.ts';
import {
  loadDataRequests,
  parsePrint2dAnswer,
  printQrRequest,
  qrDataBytes,
  type Print2dResult,
} from '../../../../shtrih-protocol/barcode-commands.ts';
import { printStringRequest, splitPrintLine } from '../../../../shtrih-protocol/print-commands.ts';
import type { ShtrihSession } from './session.ts';

/** DDh block by block from block 0, then DEh with the receipt QR's parameters; its answer is checked. */
export async function printQrCode(
  session: ShtrihSession,
  password: number,
  text: string,
): Promise<Print2dResult> {
  const data = qrDataBytes(text);
  for (const block of loadDataRequests(password, data)) await session.exec(block);
  return session.query(printQrRequest(password, data.length), parsePrint2dAnswer);
}

/** Prints `lines` in order; a refused QR is printed as text and reported. The caller owns the queue. */
export async function printLines(
  session: ShtrihSession,
  password: number,
  lines: readonly PrintLine[],
  log: (line: string) => void,
): Promise<PrintTextResult> {
  const qrAsText: QrPrintedAsText[] = [];
  const text = async (t: string) => void (await session.exec(printStringRequest(password, t)));
  for (const line of lines) {
    if (typeof line === 'string') {
      await text(line);
      continue;
    }
    try {
      await printQrCode(session, password, line.qr);
    } catch (err) {
      // RangeError: data our builders will not send (longer than DEh takes); a bug elsewhere still throws.
      if (!(err instanceof KktError) && !(err instanceof RangeError)) throw err;
      const deviceCode = err instanceof KktError ? (err.deviceCode ?? null) : null;
      log(`QR code not printed by the KKT (${err.message}): printing its text instead`);
      const why = err instanceof KktError ? 'kkt_refused' : 'not_sendable';
      qrAsText.push({ data: line.qr, why, reason: err.message, deviceCode });
      for (const part of splitPrintLine(line.qr)) await text(part);
    }
  }
  return { qrAsText };
}
