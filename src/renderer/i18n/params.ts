// Reading a journal entry's or DLQ reason's parameters (JSON from the station) for a sentence: a
// missing or odd value reads as a dash, never as "undefined".
import type { DlqReason } from '../../shared/dlq-reasons.ts';
import type { JournalParams } from '../../shared/journal-codes.ts';
import { asOfdFailureWhy, type OfdFailureWhy } from '../../shared/ofd-failure.ts';

export const str = (p: JournalParams, key: string): string => {
  const v = p[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '—';
};

export const num = (p: JournalParams, key: string): number => {
  const v = p[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
};

export const list = (p: JournalParams, key: string): string[] => {
  const v = p[key];
  return Array.isArray(v) ? v.map(String) : [];
};

/** Who made a change: a code's words, else the stored text (a name, or an old entry's); '' if none. */
export const byWord = (p: JournalParams, words: Readonly<Record<string, string>>, key = 'by'): string => {
  const v = p[key];
  if (typeof v !== 'string' || !v) return '';
  return Object.hasOwn(words, v) ? words[v]! : v;
};

/** The same in brackets after a sentence, or nothing. */
export const byText = (p: JournalParams, words: Readonly<Record<string, string>>, key = 'by'): string => {
  const w = byWord(p, words, key);
  return w ? ` (${w})` : '';
};

/** The detail is the device's or the OFD's own words, appended as they are. */
export const detail = (p: JournalParams, key = 'detail'): string => {
  const v = p[key];
  return typeof v === 'string' && v.trim() ? `: ${v.trim()}` : '';
};

/**
 * An OFD failure of an entry: its code (`whyKey`) in the shop's words, else the stored English text
 * (`textKey`, an entry written before the code was kept) as a detail.
 */
export const ofdFailureDetail = (
  p: JournalParams,
  words: (why: OfdFailureWhy) => string,
  whyKey = 'why',
  textKey = 'detail',
): string => {
  const why = asOfdFailureWhy(p[whyKey]);
  return why ? `: ${words(why)}` : detail(p, textKey);
};

/** A receipt_dead entry's reason (stored flat beside `attempts`), or null on an entry without one. */
export function dlqReasonOf(p: JournalParams): DlqReason | null {
  const d = typeof p.detail === 'string' ? p.detail : null;
  if (p.reason_code === 'ofd_rejected') return { code: 'ofd_rejected', status: num(p, 'status'), detail: d };
  if (p.reason_code === 'attempts_exhausted')
    return { code: 'attempts_exhausted', attempts: num(p, 'attempts'), detail: d };
  return null;
}
