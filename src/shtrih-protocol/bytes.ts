// Little-endian writer/reader for command payloads. Every read is bounds-checked so that a short or
// malformed answer becomes a clear ProtocolError instead of a silent zero.

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export class ByteWriter {
  private readonly parts: number[] = [];

  u8(v: number): this {
    return this.uint(v, 1);
  }
  u16(v: number): this {
    return this.uint(v, 2);
  }
  u32(v: number): this {
    return this.uint(v, 4);
  }
  /** Money: 5 bytes, kopecks. */
  money(v: number): this {
    return this.uint(v, 5);
  }

  /** Unsigned little-endian integer of `size` bytes (≤ 6, so it stays exact in a JS number). */
  uint(v: number, size: number): this {
    if (!Number.isSafeInteger(v) || v < 0 || v >= 2 ** (8 * size)) {
      throw new RangeError(`value ${v} does not fit in ${size} unsigned byte(s)`);
    }
    let rest = v;
    for (let i = 0; i < size; i++) {
      this.parts.push(rest % 256);
      rest = Math.floor(rest / 256);
    }
    return this;
  }

  bytes(b: Uint8Array | readonly number[]): this {
    for (const x of b) this.parts.push(x & 0xff);
    return this;
  }

  /** `n` copies of a byte (e.g. the FF×5 "not set" marker). */
  fill(byte: number, n: number): this {
    for (let i = 0; i < n; i++) this.parts.push(byte);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.parts);
  }
}

export class ByteReader {
  private pos = 0;

  constructor(
    private readonly data: Uint8Array,
    /** What is being parsed, for error messages. */
    private readonly what: string,
  ) {}

  get remaining(): number {
    return this.data.length - this.pos;
  }

  need(n: number): void {
    if (this.remaining < n) {
      throw new ProtocolError(
        `${this.what}: answer too short (need ${n} more byte(s) at offset ${this.pos}, have ${this.remaining})`,
      );
    }
  }

  u8(): number {
    return this.uint(1);
  }
  u16(): number {
    return this.uint(2);
  }
  u32(): number {
    return this.uint(4);
  }
  money(): number {
    return this.uint(5);
  }

  uint(size: number): number {
    this.need(size);
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + (this.data[this.pos + i] ?? 0);
    this.pos += size;
    return v;
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }

  skip(n: number): void {
    this.bytes(n);
  }
}

// ---------------------------------------------------------------- FN DATE_TIME field

export interface DateTimeYMDHM {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** FN DATE_TIME: YY MM DD hh mm (YY = year − 2000). */
export function readDateTime(r: ByteReader): DateTimeYMDHM {
  const [yy, month, day, hour, minute] = [r.u8(), r.u8(), r.u8(), r.u8(), r.u8()];
  return { year: 2000 + yy, month, day, hour, minute };
}

export function dateTimeIso(d: DateTimeYMDHM, seconds = 0): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.year}-${p(d.month)}-${p(d.day)}T${p(d.hour)}:${p(d.minute)}:${p(seconds)}`;
}
