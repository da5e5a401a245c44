// VAT rate → the FF46h tax-rate byte (protocol v1.17 p.53; values from the vendor's javapos
// Doc/VatTable.txt and FiscalPrinterImpl.getVatCodeShtrih/getVatCodeShtrihNano of 18.02.2026). This is
// the vendor's bit-coded byte, not the tag 1199 value. 22 % = 0xCB and 22/122 = 0xCC are the 2026 codes
// of "big" Shtrih models; whether a given firmware accepts 0x81…0xCC is UNCONFIRMED per device, so the
// map is overridable.
//
// The keys are the station's VAT codes (VatCode in src/main/core/kkt/kkt.ts). This leaf cannot import
// that type, so the driver's `vatByte(line.vat)` is what checks, at compile time, that every VatCode
// has a byte here.

export const SHTRIH_VAT_BYTES = {
  vat20: 0x01,
  vat10: 0x02,
  vat0: 0x04,
  none: 0x08,
  vat120: 0x10,
  vat110: 0x20,
  vat5: 0x81,
  vat7: 0x82,
  vat105: 0x84,
  vat107: 0x88, // javapos code of 18.02.2026; older tables said 0x90 (UNCONFIRMED)
  vat22: 0xcb,
  vat122: 0xcc,
} as const;

export type VatRate = keyof typeof SHTRIH_VAT_BYTES;
export type VatByteMap = Readonly<Record<VatRate, number>>;

/** Shtrih-Nano uses other bytes for 22 % and 22/122. */
export const SHTRIH_NANO_VAT_BYTES: VatByteMap = { ...SHTRIH_VAT_BYTES, vat22: 0x90, vat122: 0xa0 };

export function vatByte(code: VatRate, map: VatByteMap = SHTRIH_VAT_BYTES): number {
  const b = map[code];
  if (b === undefined) throw new RangeError(`unknown VAT code ${String(code)}`);
  return b;
}

/** Every tax byte a device may accept (used by the emulator to validate FF46h). */
export const KNOWN_VAT_BYTES: ReadonlySet<number> = new Set([
  ...Object.values(SHTRIH_VAT_BYTES),
  ...Object.values(SHTRIH_NANO_VAT_BYTES),
]);
