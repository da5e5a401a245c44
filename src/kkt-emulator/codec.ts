// Byte-level codec of the emulator: answer payloads, little-endian fields and the FN's DATE_TIME,
// written independently of the host's builders in src/shtrih-protocol on purpose: the golden vectors
// in tests/kkt pin both, and a layout mistake on one side shows up as a failing driver ↔ emulator test.
// Also the emulator's stand-in for a fiscal sign (a CRC32, never a real one).

export function answer(code: number, err: number, data: Uint8Array = new Uint8Array()): Buffer {
  const head = code > 0xff ? [0xff, code & 0xff, err] : [code, err];
  return err === 0 ? Buffer.concat([Buffer.from(head), data]) : Buffer.from(head);
}

export function errorAnswer(payload: Uint8Array, err: number): Buffer {
  return payload[0] === 0xff
    ? Buffer.from([0xff, payload[1] ?? 0, err])
    : Buffer.from([payload[0] ?? 0, err]);
}

export function readUint(b: Uint8Array, offset: number, size: number): number {
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + (b[offset + i] ?? 0);
  return v;
}

export function readMoney(b: Uint8Array, offset: number): number {
  return readUint(b, offset, 5);
}

export function isUnset(b: Uint8Array, offset: number): boolean {
  for (let i = 0; i < 5; i++) if (b[offset + i] !== 0xff) return false;
  return true;
}

export function writeUint(b: Buffer, v: number, offset: number, size: number): void {
  let rest = v;
  for (let i = 0; i < size; i++) {
    b[offset + i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
}

export function writeMoney(b: Buffer, v: number, offset: number): void {
  writeUint(b, v, offset, 5);
}

export function stripNul(s: string): string {
  const i = s.indexOf('\0');
  return i >= 0 ? s.slice(0, i) : s;
}

export function formatKop(kop: number): string {
  return `${Math.trunc(kop / 100)}.${String(kop % 100).padStart(2, '0')}`;
}

/** Local KKT time as YYYY-MM-DDTHH:MM:SS. */
export function localIso(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** FN DATE_TIME: YY MM DD hh mm (YY = year − 2000). */
export function dateTime5(d: Date): number[] {
  return [d.getFullYear() - 2000, d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()];
}

export function dateTime5FromIso(iso: string): number[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) return [0, 0, 0, 0, 0];
  return [Number(m[1]) - 2000, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
}

/** (choice) FP = CRC32 of "fn|fd|datetime|total": deterministic, never a real fiscal sign. */
export function fiscalSign(fnNumber: string, fd: number, datetime: string, totalKop: number): number {
  return crc32(Buffer.from(`${fnNumber}|${fd}|${datetime}|${totalKop}`, 'latin1'));
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
