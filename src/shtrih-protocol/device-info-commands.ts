// Builders and parsers of what a device says about itself: FCh device type (the one command without a
// password), 11h full status, FF03h FN validity date, and the FFD version from KKT table 17 (1Fh). Layouts:
// protocol v1.17 (pages next to each); 11h as pyshtrih reads it and a real ШТРИХ-МИНИ-01Ф trace shows it
// (docs/kkt.md «Device information»).

import { ByteReader, ByteWriter } from './bytes.ts';
import { Cmd, withPassword } from './codes.ts';
import { decodeCp1251 } from './text.ts';

// ---------------------------------------------------------------- FCh device type (p.41)

export interface DeviceType {
  type: number;
  subtype: number;
  protocolVersion: number;
  protocolSubversion: number;
  model: number;
  /** 0 Russian. */
  language: number;
  name: string;
}

export const deviceTypeRequest = (): Buffer => Buffer.from([Cmd.DEVICE_TYPE]);

export function parseDeviceType(data: Uint8Array): DeviceType {
  const r = new ByteReader(data, 'FCh');
  r.need(6);
  return {
    type: r.u8(),
    subtype: r.u8(),
    protocolVersion: r.u8(),
    protocolSubversion: r.u8(),
    model: r.u8(),
    language: r.u8(),
    name: decodeCp1251(r.rest()).replace(/\0+$/, ''),
  };
}

// ---------------------------------------------------------------- 11h full status (p.18–19)

export interface Dmy {
  day: number;
  month: number;
  year: number;
}

export interface FullStatus {
  operator: number;
  /** Two cp1251 characters with a dot between: "A4" → "A.4". */
  firmwareVersion: string;
  firmwareBuild: number;
  firmwareDate: Dmy;
  documentNumber: number;
  /** The same flags word as 10h's. */
  flags: number;
  mode: number;
  submode: number;
  port: number;
  /** Legacy fiscal-memory date (FN devices still send a real date here). */
  fpDate: Dmy;
  date: Dmy;
  time: { hour: number; minute: number; second: number };
  serial: number;
  lastClosedShift: number;
  reregistrations: number;
  reregistrationsLeft: number;
  inn: string;
}

export const fullStatusRequest = (password: number): Buffer => withPassword(Cmd.FULL_STATUS, password);

function readDmy(r: ByteReader): Dmy {
  const [day, month, yy] = [r.u8(), r.u8(), r.u8()];
  return { day, month, year: 2000 + yy };
}

export function parseFullStatus(data: Uint8Array): FullStatus {
  const r = new ByteReader(data, '11h');
  r.need(46);
  const operator = r.u8();
  const v = r.bytes(2);
  const firmwareVersion = `${String.fromCharCode(v[0]!)}.${String.fromCharCode(v[1]!)}`;
  const firmwareBuild = r.u16();
  const firmwareDate = readDmy(r);
  r.skip(1); // number in hall
  const documentNumber = r.u16();
  const flags = r.u16();
  const modeByte = r.u8();
  const submode = r.u8();
  const port = r.u8();
  r.skip(4); // legacy FP version, build
  const fpDate = readDmy(r);
  const date = readDmy(r);
  const time = { hour: r.u8(), minute: r.u8(), second: r.u8() };
  r.skip(1); // legacy FP flags
  const serial = r.u32();
  const lastClosedShift = r.u16();
  r.skip(2); // legacy free FP records
  const reregistrations = r.u8();
  const reregistrationsLeft = r.u8();
  const innValue = r.uint(6);
  return {
    operator,
    firmwareVersion,
    firmwareBuild,
    firmwareDate,
    documentNumber,
    flags,
    mode: modeByte & 0x0f,
    submode,
    port,
    fpDate,
    date,
    time,
    serial,
    lastClosedShift,
    reregistrations,
    reregistrationsLeft,
    inn: innValue === 2 ** 48 - 1 ? '' : String(innValue),
  };
}

// ---------------------------------------------------------------- FF03h FN validity (p.43)

export interface FnExpiry {
  /** YYYY-MM-DD. */
  expiresOn: string;
  /** Present in the 8-byte answer (javapos, pyshtrih); the v1.17 text gives the date only. */
  reregistrationsLeft: number | null;
  reregistrationsDone: number | null;
}

export const fnExpiryRequest = (password: number): Buffer => withPassword(Cmd.FN_EXPIRY, password);

export function parseFnExpiry(data: Uint8Array): FnExpiry {
  const r = new ByteReader(data, 'FF03h');
  r.need(3);
  const [yy, mm, dd] = [r.u8(), r.u8(), r.u8()];
  const p = (n: number) => String(n).padStart(2, '0');
  const long = r.remaining >= 2;
  return {
    expiresOn: `${2000 + yy}-${p(mm)}-${p(dd)}`,
    reregistrationsLeft: long ? r.u8() : null,
    reregistrationsDone: long ? r.u8() : null,
  };
}

// ---------------------------------------------------------------- 1Fh read table (p.23): the FFD version

/** KKT table 17 «Региональные настройки», row 1, field 17 «Rus формат ФД» (javapos getFDVersion). */
export const FFD_VERSION_FIELD = { table: 17, row: 1, field: 17 } as const;

/** The field's values equal tag 1209's: 2 = FFD 1.05, 3 = 1.1, 4 = 1.2. */
export const FFD_VERSIONS: Readonly<Record<number, string>> = { 1: '1.0', 2: '1.05', 3: '1.1', 4: '1.2' };

export function readTableRequest(password: number, table: number, row: number, field: number): Buffer {
  return withPassword(Cmd.READ_TABLE, password, new ByteWriter().u8(table).u16(row).u8(field).toBuffer());
}

export const ffdVersionRequest = (password: number): Buffer =>
  readTableRequest(password, FFD_VERSION_FIELD.table, FFD_VERSION_FIELD.row, FFD_VERSION_FIELD.field);

/** The FFD version name ("1.2"), or `code N` for a value no source names. */
export function parseFfdVersion(data: Uint8Array): string {
  const r = new ByteReader(data, '1Fh');
  const v = r.u8();
  return FFD_VERSIONS[v] ?? `code ${v}`;
}
