// Beside the sale: «Копия чека» (the button, or F9 anywhere on the sale screen) prints a non-fiscal copy
// of the receipt just printed, else of the last printed one; and the notice when the cash drawer did not
// open after that receipt (the sale stands: the journal's drawer_failed entry for it is shown here).
import { useEffect, useState } from 'react';
import type { ReceiptView } from '../../../shared/contract.ts';
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

  async function printCopy() {
    setDone(null);
    const r = await command.run(() => call('receipt.printCopy', receipt ? { id: receipt.id } : {}));
    if (r?.ok) setDone(r.value.fiscal?.fdNumber ?? null);
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== COPY_KEY || document.querySelector('dialog[open]')) return;
      e.preventDefault();
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
      {drawerFailure ? <ErrorAlert error={t.drawerFailed(kktWords(drawerFailure.message))} /> : null}
    </section>
  );
}

/** The journal says "Cash drawer did not open (receipt): <the KKT's words>"; the cashier reads the KKT's words. */
function kktWords(message: string): string {
  return message.replace(/^Cash drawer did not open \([^)]*\): /, '');
}
