// FN → OFD exchange through the host (kkt-protocol.md §7.7): the buffer commands FF30h–FF33h, the table
// commands 1Eh/1Fh for table 21 «Режим обмена с ОФД», and the one part of the FN's message the host
// reads: the 30-byte session header (its body length). The container behind it is opaque to the host.
// Layouts: protocol v1.17 p.23 (1Eh/1Fh), p.47–48 (FF30h–FF33h); the header after yandex/ofd SessionHeader.

import { ByteReader, ByteWriter, ProtocolError } from './bytes.ts';
import { withPassword } from './codes.ts';

/** Command codes of this exchange (FF-commands as 0xFFxx, like `Cmd`). */
export const FnExchangeCmd = {
  WRITE_TABLE: 0x1e,
  READ_TABLE: 0x1f,
  /** FF30h «Запросить о наличие данных в буфере». */
  BUFFER_STATUS: 0xff30,
  /** FF31h «Прочитать блок данных из буфера». */
  READ_BLOCK: 0xff31,
  /** FF32h «Начать запись данных в буфер». */
  START_WRITE: 0xff32,
  /** FF33h «Записать блок данных в буфер». */
  WRITE_BLOCK: 0xff33,
} as const;

/** Table 21 «Сетевые интерфейсы», row 1, field 2 «Режим обмена с ОФД» [GUIDE p.70–71; javapos FDO_MODE_*]. */
export const OFD_MODE_FIELD = { table: 21, row: 1, field: 2 } as const;
export const OfdExchangeMode = { HOST: 0, KKT: 1 } as const;

/** The session header every FN↔OFD message starts with; the body length is at 24–25. */
export const SESSION_HEADER_LENGTH = 30;
export const SESSION_SIGNATURE = Buffer.from([0x2a, 0x08, 0x41, 0x0a]);
/** Largest container the FN exchanges (yandex/ofd MAX_LEN). */
export const MAX_CONTAINER_LENGTH = 32 * 1024;

// ---------------------------------------------------------------- 1Eh / 1Fh tables (p.23)

export function readTableRequest(password: number, table: number, row: number, field: number): Buffer {
  return withPassword(
    FnExchangeCmd.READ_TABLE,
    password,
    new ByteWriter().u8(table).u16(row).u8(field).toBuffer(),
  );
}

export function writeTableRequest(
  password: number,
  table: number,
  row: number,
  field: number,
  value: Uint8Array,
): Buffer {
  return withPassword(
    FnExchangeCmd.WRITE_TABLE,
    password,
    new ByteWriter().u8(table).u16(row).u8(field).bytes(value).toBuffer(),
  );
}

// ---------------------------------------------------------------- FF30h–FF33h (p.47–48)

export interface BufferStatus {
  /** Bytes of the FN's message waiting for the OFD; 0 = nothing to send. */
  size: number;
  /** Largest block FF31h may ask for. */
  blockSize: number;
}

export const bufferStatusRequest = (password: number): Buffer =>
  withPassword(FnExchangeCmd.BUFFER_STATUS, password);

export function parseBufferStatus(data: Uint8Array): BufferStatus {
  const r = new ByteReader(data, 'FF30h');
  r.need(3);
  const size = r.u16();
  const blockSize = r.u8();
  if (size > 0 && blockSize === 0) throw new ProtocolError('FF30h: block size 0 with data waiting');
  return { size, blockSize };
}

export function readBlockRequest(password: number, offset: number, count: number): Buffer {
  return withPassword(FnExchangeCmd.READ_BLOCK, password, new ByteWriter().u16(offset).u8(count).toBuffer());
}

export function startWriteRequest(password: number, totalSize: number): Buffer {
  return withPassword(FnExchangeCmd.START_WRITE, password, new ByteWriter().u16(totalSize).toBuffer());
}

/** FF32h answer: the largest block FF33h may carry. */
export function parseStartWrite(data: Uint8Array): number {
  const r = new ByteReader(data, 'FF32h');
  r.need(1);
  const blockSize = r.u8();
  if (blockSize === 0) throw new ProtocolError('FF32h: block size 0');
  return blockSize;
}

export function writeBlockRequest(password: number, offset: number, chunk: Uint8Array): Buffer {
  return withPassword(
    FnExchangeCmd.WRITE_BLOCK,
    password,
    new ByteWriter().u16(offset).u8(chunk.length).bytes(chunk).toBuffer(),
  );
}

// ---------------------------------------------------------------- session header

/**
 * The length of the whole message a 30-byte session header announces (header + body), or a
 * ProtocolError when these bytes are not a session header. The host needs nothing else from it.
 */
export function sessionMessageLength(header: Uint8Array): number {
  if (header.length < SESSION_HEADER_LENGTH)
    throw new ProtocolError(`session header: ${header.length} of ${SESSION_HEADER_LENGTH} bytes`);
  if (!SESSION_SIGNATURE.equals(Buffer.from(header.subarray(0, 4))))
    throw new ProtocolError('session header: wrong signature (not an FN/OFD message)');
  const body = header[24]! | (header[25]! << 8);
  if (body > MAX_CONTAINER_LENGTH)
    throw new ProtocolError(`session header: body of ${body} bytes is over ${MAX_CONTAINER_LENGTH}`);
  return SESSION_HEADER_LENGTH + body;
}
