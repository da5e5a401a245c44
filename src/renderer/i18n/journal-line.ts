// One journal entry as the support screen shows it (and as its filter searches it): the event's name
// and its sentence in the chosen language. An entry without a known code (written before codes
// existed, or by a newer station) shows the station's own English line.
import type { JournalEntryView } from '../../shared/contract.ts';
import { isJournalCode } from '../../shared/journal-codes.ts';
import type { Messages } from './ru.ts';

export interface JournalLine {
  kind: string;
  text: string;
}

export function journalLine(t: Messages, e: JournalEntryView): JournalLine {
  const kind = t.journalKind[e.kind] ?? e.kind;
  const text = isJournalCode(e.code) ? t.journalText[e.code](e.params ?? {}) : e.message;
  return { kind, text };
}

/** What the filter matches against: the words on screen, plus the receipt id support may paste. */
export function journalSearchText(line: JournalLine, e: JournalEntryView): string {
  return `${line.kind} ${line.text} ${e.receiptId ?? ''}`.toLowerCase();
}
