// Marked goods in a receipt (FFD 1.2, docs/kkt.md «Marked goods»). When: every code of the receipt is
// checked (FF61h) and accepted or rejected (FF69h) BEFORE 8Dh opens the receipt, inside the same print
// slot, so a rejected code leaves nothing open and nothing printed; each line's code is then bound
// (FF67h) right after its FF46h, as [SPEC p.63] wants ("after all tags of the item").
//
// The FN's answer is mapped to one verdict here (judgeMarkCheck): a negative crypto check (2004) or a
// negative answer of the marking server (2106) rejects; a server that did not answer (0xFF), or a KKT
// without one (autonomous), lets the sale go on — the law allows it, and the FN records it as not checked.
import { KktError, MarkRejectedError, type MarkRejectedBy } from '../../../../shared/errors.ts';
import { DeviceErrorCode } from '../../../../shtrih-protocol/device-errors.ts';
import { ByteWriter } from '../../../../shtrih-protocol/bytes.ts';
import {
  Mark2106,
  MarkDecision,
  PlannedStatus,
  ServerAnswerCode,
  acceptMarkRequest,
  bindMarkRequest,
  checkMarkRequest,
  parseBindMark,
  parseCheckMark,
  type MarkCheckAnswer,
} from '../../../../shtrih-protocol/marking.ts';
import { tlv } from '../../../../shtrih-protocol/tlv.ts';
import type { KktReceiptLine, ReceiptOperation } from '../kkt.ts';
import type { ShtrihSession } from './session.ts';
import { UNIT_KG } from '../../../../shared/units.ts';

const TAG_MEASURE = 2108;
const TAG_QUANTITY = 1023;

export type MarkVerdict =
  | { accepted: true; checkedOnline: boolean; note: string }
  | { accepted: false; rejectedBy: Exclude<MarkRejectedBy, 'permit'>; reason: string };

/** One FF61h answer → accepted or rejected, with the reason in words. */
export function judgeMarkCheck(a: MarkCheckAnswer): MarkVerdict {
  const bits = (v: number, checked: number, valid: number) => (v & checked) !== 0 && (v & valid) === 0;
  if (bits(a.localResult, Mark2106.CODE_CHECKED, Mark2106.CODE_VALID))
    return { accepted: false, rejectedBy: 'fn', reason: 'the FN crypto check of the code failed (tag 2004)' };
  const s = a.server;
  if (s === null) return { accepted: true, checkedOnline: false, note: 'autonomous KKT: not checked online' };
  if (s.code === ServerAnswerCode.NO_ANSWER)
    return { accepted: true, checkedOnline: false, note: 'the marking server did not answer in time' };
  if (s.code !== ServerAnswerCode.OK)
    return {
      accepted: true,
      checkedOnline: false,
      note: `the FN refused the marking server's answer (code ${s.code}, reason ${s.invalidReason ?? '?'})`,
    };
  const r = s.result2106 ?? 0;
  if (bits(r, Mark2106.CODE_CHECKED, Mark2106.CODE_VALID))
    return { accepted: false, rejectedBy: 'marking_server', reason: 'the code is not valid (tag 2106)' };
  if (bits(r, Mark2106.STATUS_CHECKED, Mark2106.STATUS_VALID))
    return {
      accepted: false,
      rejectedBy: 'marking_server',
      reason: 'the good may not be sold: already sold, withdrawn or blocked (tag 2106)',
    };
  return { accepted: true, checkedOnline: true, note: 'checked online' };
}

/** FF61h status (tag 2003) and, for a weighed good, the unit and quantity TLVs it needs. */
function plannedStatus(line: KktReceiptLine, operation: ReceiptOperation): { status: number; tlv?: Buffer } {
  const sale = operation === 'sale';
  if (!line.mark?.measured) return { status: sale ? PlannedStatus.PIECE_SOLD : PlannedStatus.PIECE_RETURNED };
  // 1023 as FVLN: one byte of decimal places, then the little-endian integer (grams = kg × 10³).
  const grams = new ByteWriter().u8(3).uint(line.quantityMilli, 4).toBuffer();
  return {
    status: sale ? PlannedStatus.MEASURED_SOLD : PlannedStatus.MEASURED_RETURNED,
    tlv: Buffer.concat([tlv(TAG_MEASURE, Buffer.from([UNIT_KG])), tlv(TAG_QUANTITY, grams)]),
  };
}

/**
 * Checks every marked line of a receipt, in order, before the receipt is opened. A rejected code is
 * rejected on the FN too (FF69h 0) and throws MarkRejectedError; accepted ones stay in the FN's check
 * table for FF67h.
 */
export async function checkMarks(
  session: ShtrihSession,
  lines: KktReceiptLine[],
  operation: ReceiptOperation,
): Promise<void> {
  for (const [i, line] of lines.entries()) {
    if (!line.mark) continue;
    const planned = plannedStatus(line, operation);
    const request = checkMarkRequest({
      password: session.opPwd,
      code: line.mark.code,
      plannedStatus: planned.status,
      tlv: planned.tlv,
    });
    const answer = parseCheckMark(await execClearingStaleCheck(session, request));
    const verdict = judgeMarkCheck(answer);
    await session.exec(
      acceptMarkRequest(session.opPwd, verdict.accepted ? MarkDecision.ACCEPT : MarkDecision.REJECT),
    );
    if (!verdict.accepted)
      throw new MarkRejectedError({
        line: i,
        gtin: line.mark.gtin,
        serial: line.mark.serial,
        rejectedBy: verdict.rejectedBy,
        reason: verdict.reason,
      });
    session.log(`marking code of line ${i + 1} (${line.mark.gtin}): accepted, ${verdict.note}`);
  }
}

/**
 * FF61h; when the FN answers A1h (wrong sequence: a check left undecided, e.g. by a crash between FF61h
 * and FF69h), that check is rejected (FF69h 0) and FF61h sent once more [kkt-protocol.md §7.5.1 step 0].
 */
async function execClearingStaleCheck(session: ShtrihSession, request: Buffer): Promise<Uint8Array> {
  try {
    return await session.exec(request);
  } catch (e) {
    if (!(e instanceof KktError) || e.deviceCode !== DeviceErrorCode.MARK_SEQUENCE) throw e;
    session.log('marking: a check was left undecided on the FN; rejecting it and checking again');
    await session.exec(acceptMarkRequest(session.opPwd, MarkDecision.REJECT)).catch(() => undefined);
    return session.exec(request);
  }
}

/** FF67h for a line just registered; a check the KKT ran itself (not in the table) is judged too. */
export async function bindMark(session: ShtrihSession, line: KktReceiptLine, index: number): Promise<void> {
  if (!line.mark) return;
  const answer = parseBindMark(await session.exec(bindMarkRequest(session.opPwd, line.mark.code)));
  const verdict = answer.check ? judgeMarkCheck(answer.check) : null;
  if (verdict && !verdict.accepted)
    throw new MarkRejectedError({
      line: index,
      gtin: line.mark.gtin,
      serial: line.mark.serial,
      rejectedBy: verdict.rejectedBy,
      reason: verdict.reason,
    });
}
