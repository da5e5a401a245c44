// Beside the sale: «Копия чека» (the button, or F9 anywhere on the sale screen) prints a non-fiscal copy
// of the receipt just printed, else of the last printed one; and the notice when the cash drawer did not
// open after that receipt (the sale stands: the journal's drawer_failed entry for it is shown here).
import { useEffect, useRef, useState } from 'react';
import type { JournalEntryView, ReceiptView } from '../../../shared/contract.ts';
import { call } from '../../state/api.ts';
import { useT } from '../../state/language.ts';
import { useStation } from '../../state/store.ts';
import { ErrorAlert, Notice } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';

/** The key of «Копия чека» (F2 pays; F9 is free on the sale screen and in the browsers we run in). */
const COPY_KEY = 'F9';

export function ReceiptTools({ receipt }: { receipt: ReceiptView | null }) {
  const t = useT();
  const command = useCommand();
  const [done, setDone] = useState<number | null>(null);
  const drawerFailure = useStation((s) =>
    receipt ? s.journal.find((e) => e.kind === 'drawer_failed' && e.receiptId === receipt.id) : undefined,
  );

  // One copy at a time: a second press (or the key held down) while one prints starts nothing.
  const printing = useRef(false);
  async function printCopy() {
    if (printing.current) return;
    printing.current = true;
    try {
      setDone(null);
      const r = await command.run(() => call('receipt.printCopy', receipt ? { id: receipt.id } : {}));
      if (r?.ok) setDone(r.value.fiscal?.fdNumber ?? null);
    } finally {
      printing.current = false;
    }
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== COPY_KEY || document.querySelector('dialog[open]')) return;
      // Plain F9 only: Alt/Ctrl/Shift/Meta+F9 belong to the browser or the system.
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      e.preventDefault();
      if (e.repeat) return; // a held key is one press, not a copy per auto-repeat
      void printCopy();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  useEffect(() => setDone(null), [receipt?.id]);

  return (
    <section className="panel receipt-tools" aria-label={t.receiptCopy}>
      <button
        type="button"
        className="btn"
        aria-keyshortcuts={COPY_KEY}
        onClick={() => void printCopy()}
        disabled={command.busy}
        aria-busy={command.busy}
      >
        {t.receiptCopy}
      </button>
      <p className="hint">{t.receiptCopyHint}</p>
      {done !== null ? <Notice>{t.receiptCopyDone(done)}</Notice> : null}
      {command.error ? <ErrorAlert error={command.error} /> : null}
      {drawerFailure ? <ErrorAlert error={t.drawerFailed(kktWords(drawerFailure))} /> : null}
    </section>
  );
}

/** The KKT's own words for the failure (the entry's `error`); an entry without them shows its stored line. */
function kktWords(entry: JournalEntryView): string {
  const error = entry.params?.error;
  return typeof error === 'string' && error ? error : entry.message;
}
