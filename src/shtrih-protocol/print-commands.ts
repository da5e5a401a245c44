// Builders of the non-fiscal printer commands: 28h open the cash drawer, 17h print a text line (protocol
// v1.17 pages next to each). Neither makes a fiscal document. 8Ch «Повтор документа» is deliberately
// absent: the receipt copy is printed with 17h from the station's record (docs/kkt.md «Receipt copy»).

import { ByteReader } from './bytes.ts';
import { Cmd, withPassword } from './codes.ts';
import { encodeCp1251Max } from './text.ts';

// ---------------------------------------------------------------- 28h (p.24)

/** The KKT drives two drawers at most: 0 and 1. */
export const DRAWER_NUMBERS = [0, 1] as const;

/** `28 | PWD (operator) | drawer (0 or 1)` → `28 | ERR | operator`. Any mode. */
export function openDrawerRequest(password: number, drawer: number): Buffer {
  if (!(DRAWER_NUMBERS as readonly number[]).includes(drawer))
    throw new RangeError(`28h: drawer number must be 0 or 1, not ${drawer}`);
  return withPassword(Cmd.OPEN_DRAWER, password, Buffer.from([drawer]));
}

/** The operator byte of the 28h / 17h answers (some firmwares leave it out: 0 then). */
export function parseOperatorAnswer(data: Uint8Array, name: string): number {
  return data.length === 0 ? 0 : new ByteReader(data, name).u8();
}

// ---------------------------------------------------------------- 17h (p.21)

/** 17h flags: bit 0 the control tape (journal), bit 1 the receipt tape. */
export const PrintTarget = { JOURNAL: 0x01, RECEIPT: 0x02 } as const;

/**
 * The widest line every Shtrih-M model prints in font 1 without wrapping: 57 mm models print 32 characters
 * (the 80 mm ones 48, and 17h accepts 40 bytes), so text made for any till is cut at 32.
 */
export const PRINT_LINE_CHARS = 32;
/** `text` cut into lines of PRINT_LINE_CHARS (one empty line for empty text): nothing is lost to 17h's cut. */
export function splitPrintLine(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += PRINT_LINE_CHARS) out.push(text.slice(i, i + PRINT_LINE_CHARS));
  return out.length ? out : [''];
}

/** What 17h accepts at most (40 bytes in cp1251: one byte a character). */
const PRINT_STRING_MAX_BYTES = 40;

/** `17 | PWD | flags | text (cp1251, ≤ 40 bytes, unpadded like javapos)` → `17 | ERR | operator`. */
export function printStringRequest(
  password: number,
  text: string,
  flags: number = PrintTarget.RECEIPT,
): Buffer {
  const bytes = encodeCp1251Max(text, PRINT_STRING_MAX_BYTES);
  return withPassword(Cmd.PRINT_STRING, password, Buffer.concat([Buffer.from([flags]), bytes]));
}
