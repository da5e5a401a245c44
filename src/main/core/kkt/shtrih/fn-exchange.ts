// The Shtrih driver's FnExchangePort (kkt-protocol.md §7.7): each method is one command, run through
// `background`, which waits until no station operation is queued (shtrih-kkt.ts). Device errors are
// KktError('refused') with the device's code, as for every other command (session.ts).
import type { FnExchangePort } from '../fn-exchange-port.ts';
import { KktError } from '../../../../shared/errors.ts';
import type { ShtrihSession } from './session.ts';
import {
  OFD_MODE_FIELD,
  OfdExchangeMode,
  bufferStatusRequest,
  parseBufferStatus,
  parseStartWrite,
  readBlockRequest,
  readTableRequest,
  startWriteRequest,
  writeBlockRequest,
  writeTableRequest,
} from '../../../../shtrih-protocol/fn-exchange.ts';

/** Tables and the buffer commands FF30h–FF33h take the system administrator's password (30) [SPEC p.23, 47–48]. */
const SYSADMIN_PASSWORD = 30;

export function shtrihFnExchange(
  session: ShtrihSession,
  background: <T>(fn: () => Promise<T>) => Promise<T>,
): FnExchangePort {
  const pwd = SYSADMIN_PASSWORD;
  const { table, row, field } = OFD_MODE_FIELD;
  return {
    ensureHostMode: () =>
      background(async () => {
        const current = await session.exec(readTableRequest(SYSADMIN_PASSWORD, table, row, field));
        if (current[0] === OfdExchangeMode.HOST) return false;
        await session.exec(
          writeTableRequest(SYSADMIN_PASSWORD, table, row, field, Uint8Array.of(OfdExchangeMode.HOST)),
        );
        session.log('table 21: OFD exchange switched to "through the host"');
        return true;
      }),
    bufferStatus: () => background(() => session.query(bufferStatusRequest(pwd), parseBufferStatus)),
    readBlock: (offset, count) =>
      background(async () => {
        const data = await session.exec(readBlockRequest(pwd, offset, count));
        if (data.length !== count)
          throw new KktError('refused', `ККТ вернула ${data.length} байт вместо ${count} [FF31h]`);
        return data;
      }),
    startWrite: (total) => background(() => session.query(startWriteRequest(pwd, total), parseStartWrite)),
    writeBlock: (offset, chunk) =>
      background(async () => {
        await session.exec(writeBlockRequest(pwd, offset, chunk));
      }),
    unsentCount: () => background(async () => (await session.ofdStatus()).unsentCount),
  };
}
