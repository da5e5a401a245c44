// Marked goods on the emulated KKT + FN: FF61h check, FF69h accept/reject, FF67h bind to the last item,
// FF70h status (protocol v1.17 pp.58–65; layouts in src/shtrih-protocol/marking.ts). The FN's crypto
// check and the marking server's (ОИСМ) status check are played here: every well-formed code passes
// unless a test rejected it (KktEmulator.rejectMarkCode) or the server is switched off
// (setMarkServer). Tag values the emulator chooses are listed in docs/kkt.md «Marked goods».

import { DeviceErrorCode as E } from '../shtrih-protocol/device-errors.ts';
import {
  LocalCheckReason,
  Mark2106,
  MarkDecision,
  PlannedStatus,
  ServerAnswerCode,
  markCheckBlock,
  markStatusData,
  parseBindMarkArgs,
  parseCheckMarkArgs,
  type MarkCheckAnswer,
} from '../shtrih-protocol/marking.ts';
import { tlv } from '../shtrih-protocol/tlv.ts';
import { MarkCodeError, markCodeLabel, parseMarkCode, type MarkCode } from '../shared/marking-code.ts';
import type { EmulatedDevice } from './device.ts';
import { MAX_MARKS_PER_RECEIPT, type MarkCheck } from './marking-state.ts';

/** Tag 2100 by the code's layout (FFD 1.2 table; the emulator's reading, docs/kkt.md). */
const CODE_TYPE: Record<MarkCode['kind'], number> = {
  short: 1,
  crypto88: 2,
  crypto44: 4,
  check93: 5,
  tobacco_pack: 5,
};
/** FF67h Data Matrix type: 0 КМ 88, 1 КМ symmetric, 2 tobacco КМ, 3 КМ 44. */
const DM_TYPE: Record<MarkCode['kind'], number> = {
  short: 1,
  crypto88: 0,
  crypto44: 3,
  check93: 1,
  tobacco_pack: 2,
};
const TAG_REQUEST_CODE = 2105; // код обработки запроса
const TAG_STATUS_ANSWER = 2109; // ответ ОИСМ о статусе товара: 1 корректен, 2 некорректен

const PLANNED = new Set<number>(Object.values(PlannedStatus));

export function checkMark(d: EmulatedDevice, args: Buffer): Buffer | number {
  const req = parseCheckMarkArgs(args);
  if (!req) return E.BAD_LENGTH;
  if (req.mode !== 0 || !PLANNED.has(req.plannedStatus)) return E.BAD_PARAMS;
  const measured =
    req.plannedStatus === PlannedStatus.MEASURED_SOLD ||
    req.plannedStatus === PlannedStatus.MEASURED_RETURNED;
  if (measured && req.tlv.length === 0) return 0xa4; // the quantity and unit TLVs are required
  if (d.marks.table.size >= MAX_MARKS_PER_RECEIPT) return E.MARK_TABLE_FULL;
  const { answer, check } = runCheck(d, req.code, req.plannedStatus);
  d.marks.pending = check; // a new FF61h replaces a check left undecided (the emulator's choice)
  return markCheckBlock(answer);
}

export function acceptMark(d: EmulatedDevice, args: Buffer): Buffer | number {
  if (args.length !== 1) return E.BAD_LENGTH;
  const pending = d.marks.pending;
  if (!pending) return E.MARK_SEQUENCE;
  d.marks.pending = null;
  if (args[0] === MarkDecision.ACCEPT) d.marks.table.set(pending.code, pending);
  else if (args[0] !== MarkDecision.REJECT && args[0] !== 2) return E.BAD_PARAMS;
  return Buffer.from([pending.result2106]);
}

export function bindMark(d: EmulatedDevice, args: Buffer): Buffer | number {
  const code = parseBindMarkArgs(args);
  if (code === null) return E.BAD_LENGTH;
  const r = d.receipt;
  if (!r) return E.RECEIPT_CLOSED;
  const item = r.items.at(-1);
  if (!item || item.markCode !== undefined) return E.BAD_PARAMS; // one КМ per line, bound after its FF46h
  if (d.marks.pending) return E.MARK_SEQUENCE;
  let check = d.marks.table.get(code) ?? null;
  let block: Buffer | null = null;
  if (!check) {
    // Not checked by FF61h: the KKT runs the check itself and answers its result too [SPEC p.62].
    if (d.marks.table.size >= MAX_MARKS_PER_RECEIPT) return E.MARK_TABLE_FULL;
    const planned = r.type === 2 ? PlannedStatus.PIECE_RETURNED : PlannedStatus.PIECE_SOLD;
    const run = runCheck(d, code, planned);
    check = run.check;
    block = markCheckBlock(run.answer);
    d.marks.table.set(code, check);
  }
  item.markCode = code;
  item.mark2106 = check.result2106;
  let kind: MarkCode['kind'] = 'short';
  try {
    kind = parseMarkCode(code).kind;
  } catch {
    // an unrecognised code binds as "symmetric"; the FN check already said it is not valid
  }
  const head = Buffer.from([0x1a, 0x05, DM_TYPE[kind]]); // 1163 member 1306 (КТ GS1.М), LE
  return block ? Buffer.concat([head, block]) : head;
}

export function markStatus(d: EmulatedDevice): Buffer {
  const m = d.marks;
  return markStatusData({
    checkState: m.pending ? 2 : m.table.size >= MAX_MARKS_PER_RECEIPT ? 0 : 1,
    notificationState: 0,
    allowedCommands: 0x1f,
    savedResults: m.table.size,
    inNotification: 0,
    storageWarning: 0,
    unsentNotifications: 0,
  });
}

/** The FN's local check and the marking server's answer for one code. */
function runCheck(
  d: EmulatedDevice,
  code: string,
  plannedStatus: number,
): { answer: MarkCheckAnswer; check: MarkCheck } {
  let mc: MarkCode | null = null;
  try {
    mc = parseMarkCode(code);
  } catch (e) {
    if (!(e instanceof MarkCodeError)) throw e;
  }
  const rejection = mc ? d.marks.rejected.get(markCodeLabel(mc)) : undefined;
  const codeType = mc ? CODE_TYPE[mc.kind] : 0;
  const cryptoCheckable = mc?.kind === 'crypto88' || mc?.kind === 'crypto44';
  const codeValid = mc !== null && rejection !== 'crypto';
  const localResult = cryptoCheckable ? Mark2106.CODE_CHECKED | (codeValid ? Mark2106.CODE_VALID : 0) : 0;
  const localReason = cryptoCheckable
    ? LocalCheckReason.CHECKED
    : mc
      ? LocalCheckReason.NO_CRYPTO_TAIL
      : LocalCheckReason.OTHER;
  let result2106 = localResult;
  let server: MarkCheckAnswer['server'] = null;
  const mode = d.marks.server;
  if (mode === 'no_answer') server = { code: ServerAnswerCode.NO_ANSWER, tlv: new Uint8Array() };
  if (mode === 'online') {
    const statusValid = mc !== null && rejection !== 'status';
    result2106 =
      Mark2106.CODE_CHECKED |
      (codeValid ? Mark2106.CODE_VALID : 0) |
      Mark2106.STATUS_CHECKED |
      (statusValid ? Mark2106.STATUS_VALID : 0);
    server = {
      code: ServerAnswerCode.OK,
      result2106,
      tlv: Buffer.concat([
        tlv(TAG_REQUEST_CODE, Buffer.from([0])),
        tlv(TAG_STATUS_ANSWER, Buffer.from([statusValid ? 1 : 2])),
      ]),
    };
  }
  return {
    answer: { localResult, localReason, codeType, server },
    check: { code, plannedStatus, codeType, result2106 },
  };
}
