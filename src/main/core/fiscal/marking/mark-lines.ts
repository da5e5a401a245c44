// The marking-code rules of a receipt request (Честный ЗНАК), applied by receipt-request.ts: a code is a
// GS1 element string the station can parse (in any common scanner form), one code is one piece (or
// a weighed quantity the code itself allows), and no code appears twice in one receipt. Each problem is
// a 422 naming the field; nothing is stored.
import { z } from 'zod';
import { MarkCodeError, parseMarkCode } from '../../../../shared/marking-code.ts';
import type { FieldIssue } from '../../../../shared/errors.ts';
import type { KktLineMark, KktReceiptLine } from '../../kkt/kkt.ts';

/** FFD 1.2 tag 1212 for a good with a marking code (ТМ), the default on a marked line. */
export const SUBJECT_MARKED_GOOD = 33;

export const markCodeField = z
  .string({ error: 'mark_code must be the marking code as text (the DataMatrix as scanned)' })
  .max(400, { error: 'mark_code must be at most 400 characters' })
  .optional()
  .meta({
    description:
      'Честный ЗНАК marking code, the GS1 DataMatrix text as scanned: (01) GTIN-14, (21) serial, then (91)+(92) ' +
      'or (93); group separator as \\u001d (also accepted: ␝, {GS}, <GS>, the "(01)…(21)…" form, a ]d2 prefix). ' +
      'A marked line is one piece (quantity 1), or a weight up to the AI (310n) weight the code carries.',
  });

/** The line's mark, or undefined; pushes an issue for each problem. */
export function markOfItem(
  raw: string | undefined,
  index: number,
  quantityMilli: number,
  issues: FieldIssue[],
): KktLineMark | undefined {
  if (raw === undefined) return undefined;
  let mc;
  try {
    mc = parseMarkCode(raw);
  } catch (e) {
    if (!(e instanceof MarkCodeError)) throw e;
    issues.push({
      field: `items[${index}].mark_code`,
      message: `is not a GS1 marking code: ${e.message}`,
    });
    return undefined;
  }
  const measured = mc.netWeightG !== undefined;
  if (!measured && quantityMilli !== 1000) {
    issues.push({
      field: `items[${index}].quantity`,
      message:
        'a marked good is sold one piece per code: quantity must be 1 (one line for each scanned code)',
    });
  }
  if (measured && quantityMilli > mc.netWeightG!) {
    issues.push({
      field: `items[${index}].quantity`,
      message: `the marking code carries ${mc.netWeightG! / 1000} kg; at most that can be sold with it`,
    });
  }
  return { code: mc.code, gtin: mc.gtin, serial: mc.serial, measured };
}

/** The same unit cannot be sold (or returned) twice in one receipt. */
export function checkDistinctMarks(lines: KktReceiptLine[], issues: FieldIssue[]): void {
  const seen = new Map<string, number>();
  lines.forEach((line, i) => {
    if (!line.mark) return;
    const first = seen.get(line.mark.code);
    if (first !== undefined)
      issues.push({
        field: `items[${i}].mark_code`,
        message: `the same marking code as items[${first}]: one code is one unit`,
      });
    else seen.set(line.mark.code, i);
  });
}
