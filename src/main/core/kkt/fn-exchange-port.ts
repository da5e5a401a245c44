// What the FN → OFD relay (src/main/core/fn-relay) may do with the KKT: the buffer commands of
// kkt-protocol.md §7.7, one command per call. A driver runs each call only when no station operation
// (a sale, a report, a status query) is waiting, so the relay never holds the device for long.
import type { BufferStatus } from '../../../shtrih-protocol/fn-exchange.ts';

export interface FnExchangePort {
  /** Switches table 21 «Режим обмена с ОФД» to "through the host" when it is not; true when it changed. */
  ensureHostMode(): Promise<boolean>;
  /** FF30h: bytes of the FN's message waiting for the OFD (0 = none) and the largest read block. */
  bufferStatus(): Promise<BufferStatus>;
  /** FF31h: `count` bytes of that message from `offset`. */
  readBlock(offset: number, count: number): Promise<Uint8Array>;
  /** FF32h: announces an OFD answer of `total` bytes; resolves with the largest write block. */
  startWrite(total: number): Promise<number>;
  /** FF33h: one block of the answer; the block that completes it is checked by the FN (20h = refused). */
  writeBlock(offset: number, chunk: Uint8Array): Promise<void>;
  /** FF39h: documents the FN still has to deliver. */
  unsentCount(): Promise<number>;
}
