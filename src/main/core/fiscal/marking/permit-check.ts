// The permit-mode check (разрешительный режим, ПП РФ № 1944): before a marked good is sold, the station
// asks the permit service whether this unit may be sold. A "no" refuses the sale (409 mark_rejected,
// nothing stored or printed). No service configured, no answer within the timeout, or an answer the
// station cannot read is the outage case the rules allow: the sale goes on and each line records the
// check as `not_done` with the reason. The contract (docs/ofd-mock.md «Permit service») is a subset of
// the ГИС МТ codes/check method: one POST with every code of the receipt, one verdict per code.
import { MarkRejectedError } from '../../../../shared/errors.ts';
import type { KktLineMark, MarkPermitResult } from '../../kkt/kkt.ts';
import type { ReceiptDraft } from '../../buffer/receipt-draft.ts';
import type { Logger } from '../../logger.ts';

export interface PermitCheckOptions {
  /** null: offline mode, every check is recorded as not done. */
  url: string | null;
  token?: string;
  timeoutMs: number;
  log: Logger;
}

/** One code's verdict as the service answers it (absent booleans count as "no"). */
interface PermitCodeAnswer {
  cis: string;
  found?: boolean;
  valid?: boolean;
  verified?: boolean;
  realizable?: boolean;
  sold?: boolean;
  isBlocked?: boolean;
  expireDate?: string;
  message?: string;
}

const MAX_ANSWER_BYTES = 1_000_000;

/** Why a unit may not be sold, or null when it may. The first rule that fails names the reason. */
export function permitRefusal(a: PermitCodeAnswer, now: Date): string | null {
  if (!a.found) return 'the code is unknown to the marking system';
  if (!a.valid) return 'the code is not valid';
  if (!a.verified) return 'the code failed its crypto check';
  if (a.isBlocked) return 'the sale of this good is blocked by a state authority';
  if (a.sold) return 'this unit is already sold';
  if (!a.realizable) return 'this unit is not in circulation';
  if (a.expireDate && Date.parse(a.expireDate) < now.getTime()) return `the good expired on ${a.expireDate}`;
  return null;
}

export class PermitChecker {
  constructor(
    private readonly o: PermitCheckOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The draft with each marked line's result; throws MarkRejectedError for the first refused code. */
  async check(draft: ReceiptDraft): Promise<ReceiptDraft> {
    const marked = draft.items.flatMap((l, i) => (l.mark ? [{ i, mark: l.mark }] : []));
    // The permit mode governs sales; a refund returns a unit that was sold with its code.
    if (marked.length === 0 || draft.type !== 'sale') return draft;
    const results = await this.ask(marked.map((m) => m.mark));
    marked.forEach(({ i, mark }, n) => {
      const r = results[n]!;
      if ('refusal' in r)
        throw new MarkRejectedError({
          line: i,
          gtin: mark.gtin,
          serial: mark.serial,
          rejectedBy: 'permit',
          reason: r.refusal,
        });
    });
    const items = draft.items.map((line) => {
      const n = marked.findIndex((m) => m.mark === line.mark);
      if (n < 0) return line;
      return { ...line, mark: { ...line.mark!, permit: results[n] as MarkPermitResult } };
    });
    return { ...draft, items };
  }

  private async ask(marks: KktLineMark[]): Promise<(MarkPermitResult | { refusal: string })[]> {
    const notDone = (reason: string) => {
      this.o.log.warn(`Permit check not done (${reason}): the sale goes on in offline mode`);
      return marks.map(() => ({ status: 'not_done' as const, reason }));
    };
    if (!this.o.url) return marks.map(() => ({ status: 'not_done', reason: 'no permit service configured' }));
    let body: unknown;
    try {
      const res = await fetch(this.o.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(this.o.token ? { Authorization: `Bearer ${this.o.token}` } : {}),
        },
        body: JSON.stringify({ codes: marks.map((m) => m.code) }),
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      const text = await res.text();
      if (!res.ok) return notDone(`HTTP ${res.status}`);
      if (text.length > MAX_ANSWER_BYTES) return notDone('answer too large');
      try {
        body = JSON.parse(text);
      } catch {
        return notDone('unreadable answer: not JSON');
      }
    } catch (e) {
      const err = e as Error;
      return notDone(
        err.name === 'TimeoutError'
          ? `no answer within ${this.o.timeoutMs} ms`
          : `unreachable: ${err.message}`,
      );
    }
    const answer = readAnswer(body, marks);
    if (typeof answer === 'string') return notDone(`unreadable answer: ${answer}`);
    return marks.map((_, n) => {
      const refusal = permitRefusal(answer.codes[n]!, this.now());
      return refusal
        ? { refusal: answer.codes[n]!.message ? `${refusal} (${answer.codes[n]!.message})` : refusal }
        : { status: 'passed' as const, reqId: answer.reqId, reqTimestamp: answer.reqTimestamp };
    });
  }
}

/** The answer, with one entry per code in request order; or what is wrong with it. */
function readAnswer(
  body: unknown,
  marks: KktLineMark[],
): { reqId: string; reqTimestamp: number; codes: PermitCodeAnswer[] } | string {
  const b = body as { code?: unknown; reqId?: unknown; reqTimestamp?: unknown; codes?: unknown } | null;
  if (typeof b !== 'object' || b === null) return 'not a JSON object';
  if (b.code !== 0) return `code ${JSON.stringify(b.code)}`;
  if (typeof b.reqId !== 'string' || b.reqId === '' || b.reqId.length > 64) return 'no reqId';
  if (typeof b.reqTimestamp !== 'number' || !Number.isSafeInteger(b.reqTimestamp)) return 'no reqTimestamp';
  if (!Array.isArray(b.codes)) return 'no codes';
  const byCode = new Map<string, PermitCodeAnswer>();
  for (const c of b.codes as PermitCodeAnswer[]) if (typeof c?.cis === 'string') byCode.set(c.cis, c);
  const codes: PermitCodeAnswer[] = [];
  for (const m of marks) {
    const c = byCode.get(m.code);
    if (!c) return `no verdict for (01)${m.gtin}(21)${m.serial}`;
    codes.push(c);
  }
  return { reqId: b.reqId, reqTimestamp: b.reqTimestamp, codes };
}
