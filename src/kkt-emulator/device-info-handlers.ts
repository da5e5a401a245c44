// The emulator's answers about itself: FCh device type (sent without a password, as pyshtrih and the
// vendor's drivers probe), FF03h FN validity, and 1Fh reads of the one table field hosts ask an FFD 1.2
// device for (table 17 field 17, the FFD version). Values the vendor's FCh table gives for ШТРИХ-М-01Ф
// (protocol v1.17 p.41): type 0, subtype 0, protocol 1.14, model 250, language 0 (Russian); the name
// says it is an emulator.

import { DeviceErrorCode as E } from '../shtrih-protocol/device-errors.ts';
import { encodeCp1251 } from '../shtrih-protocol/text.ts';
import type { EmulatedDevice } from './device.ts';

export const DEVICE_NAME = 'ШТРИХ-М-01Ф ЭМУЛЯТОР';

export function deviceType(): Buffer {
  return Buffer.concat([Buffer.from([0, 0, 1, 14, 250, 0]), encodeCp1251(DEVICE_NAME)]);
}

/** FF03h, the 8-byte form javapos and pyshtrih read: YY MM DD, re-registrations left, done. */
export function fnExpiry(d: EmulatedDevice): Buffer | number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d.st.identity.fnExpiresOn);
  if (!m) return E.NO_DATA;
  return Buffer.from([Number(m[1]) - 2000, Number(m[2]), Number(m[3]), 11, 1]);
}

/** 1Fh: table(1) row(2) field(1) → the value. Only table 17 row 1 field 17 (FFD version) exists here. */
export function readTable(d: EmulatedDevice, args: Buffer): Buffer | number {
  if (args.length < 4) return E.BAD_LENGTH;
  const [table, row, field] = [args[0]!, args.readUInt16LE(1), args[3]!];
  if (table === 17 && row === 1 && field === 17) return Buffer.from([d.st.identity.ffdVersion]);
  return E.NOT_SUPPORTED; // (choice) the emulator keeps no other table
}
