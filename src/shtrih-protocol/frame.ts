// Shtrih-M "standard lower level" framing (protocol v1.17 p.8–9): STX | LEN | CMD+DATA | LRC,
// where LEN counts CMD+DATA (1…255) and LRC = XOR of LEN and every CMD/DATA byte.
// The decoder is incremental and byte-driven so that the host link and the emulator share it.

export const STX = 0x02;
export const ENQ = 0x05;
export const ACK = 0x06;
export const NAK = 0x15;
export const MAX_PAYLOAD = 255;

/** XOR checksum over LEN and the payload. */
export function lrc(payload: Uint8Array): number {
  let x = payload.length & 0xff;
  for (const b of payload) x ^= b;
  return x;
}

/** Wraps a payload (command code + data, or an answer) into a frame. */
export function encodeFrame(payload: Uint8Array): Buffer {
  if (payload.length < 1 || payload.length > MAX_PAYLOAD) {
    throw new RangeError(`frame payload must be 1…${MAX_PAYLOAD} bytes, got ${payload.length}`);
  }
  const out = Buffer.alloc(payload.length + 3);
  out[0] = STX;
  out[1] = payload.length;
  out.set(payload, 2);
  out[payload.length + 2] = lrc(payload);
  return out;
}

export type DecoderEvent =
  /** ENQ, ACK or NAK received outside a frame. */
  | { type: 'control'; byte: number }
  /** A complete frame with a valid checksum. */
  | { type: 'frame'; payload: Buffer }
  /** A complete frame whose LRC does not match: the receiver answers NAK. */
  | { type: 'bad_lrc'; payload: Buffer; expected: number; got: number }
  /** LEN = 0 is never valid. */
  | { type: 'bad_length' }
  /** Any other byte outside a frame (line noise, the 0xFF a TCP KKT sends after ACK). */
  | { type: 'noise'; byte: number };

/**
 * Incremental frame decoder. Feed it one byte at a time; it returns an event when a byte completes
 * something, or null while a frame is still being read. Inter-byte timeouts belong to the caller,
 * which calls reset() to drop a half-read frame.
 */
export class FrameDecoder {
  private expected = -1; // payload length of the frame being read; -1 = idle, 0 = waiting for LEN
  private body: number[] = [];

  /** True while a frame has started (STX seen) but is not complete yet. */
  get inFrame(): boolean {
    return this.expected >= 0;
  }

  reset(): void {
    this.expected = -1;
    this.body = [];
  }

  push(byte: number): DecoderEvent | null {
    if (this.expected < 0) {
      if (byte === STX) {
        this.expected = 0;
        this.body = [];
        return null;
      }
      if (byte === ENQ || byte === ACK || byte === NAK) return { type: 'control', byte };
      return { type: 'noise', byte };
    }
    if (this.expected === 0) {
      if (byte === 0) {
        this.reset();
        return { type: 'bad_length' };
      }
      this.expected = byte;
      return null;
    }
    if (this.body.length < this.expected) {
      this.body.push(byte);
      return null;
    }
    // This byte is the LRC.
    const payload = Buffer.from(this.body);
    this.reset();
    const expected = lrc(payload);
    if (expected !== byte) return { type: 'bad_lrc', payload, expected, got: byte };
    return { type: 'frame', payload };
  }
}

/** Hex dump for logs and error messages: "02 05 10 1E". */
export function hex(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}
