// Support: one diagnostics archive (downloaded through an <a download>: a save dialog in Electron, a
// download in the browser) and the event journal, live-appended from journal.entry events.
import { useMemo, useState } from 'react';
import { formatDateTime } from '../format.ts';
import { journalLine, journalSearchText } from '../i18n/journal-line.ts';
import { useLang, useT } from '../state/language.ts';
import { call } from '../state/api.ts';
import { mergeJournal, useStation } from '../state/store.ts';
import { ErrorAlert, Notice, TextField } from './ui.tsx';
import { useCommand } from './useCommand.ts';

function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

export function SupportScreen() {
  const t = useT();
  const lang = useLang();
  const journal = useStation((s) => s.journal);
  const { busy, error, run, fail } = useCommand();
  const [done, setDone] = useState<string | null>(null);
  const [filter, setFilter] = useState('');

  async function exportDiagnostics() {
    if (busy) return;
    setDone(null);
    const r = await run(() => call('diagnostics.export'));
    if (!r?.ok) return;
    const blob = new Blob([base64ToBytes(r.value.base64)], { type: 'application/gzip' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = r.value.fileName;
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    setDone(t.exportDone(r.value.fileName));
  }

  async function reload() {
    const r = await call('journal.recent', { limit: 200 });
    if (r.ok) mergeJournal(r.value);
    else fail(r.error);
  }

  // The filter searches the words on screen (Russian by default), not the stored codes.
  const lines = useMemo(() => journal.map((e) => ({ e, line: journalLine(t, e) })), [journal, t]);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f ? lines.filter(({ e, line }) => journalSearchText(line, e).includes(f)) : lines;
  }, [lines, filter]);

  return (
    <div className="screen support-screen">
      <h2>{t.supportTitle}</h2>
      <section className="panel" aria-labelledby="diag-title">
        <h3 id="diag-title">{t.exportDiag}</h3>
        <p className="hint">{t.exportDiagHint}</p>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void exportDiagnostics()}
          disabled={busy}
          aria-busy={busy}
        >
          {t.exportDiag}
        </button>
        {done ? <Notice>{done}</Notice> : null}
        {error ? <ErrorAlert error={error} /> : null}
      </section>
      <section className="panel" aria-labelledby="journal-title">
        <h3 id="journal-title">{t.journalTitle}</h3>
        <div className="inline-form">
          <TextField
            label={t.journalFilter}
            value={filter}
            onValue={setFilter}
            type="search"
            autoComplete="off"
          />
          <button type="button" className="btn" onClick={() => void reload()}>
            {t.reload}
          </button>
        </div>
        {shown.length === 0 ? (
          <p className="empty">{t.journalEmpty}</p>
        ) : (
          <div className="table-scroll">
            <table className="table journal-table" aria-label={t.journalTable}>
              <thead>
                <tr>
                  <th scope="col">{t.colTime}</th>
                  <th scope="col">{t.colKind}</th>
                  <th scope="col">{t.colMessage}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map(({ e, line }) => (
                  <tr key={e.id}>
                    <td className="nowrap">{formatDateTime(e.at, lang)}</td>
                    <td>{line.kind}</td>
                    <td>
                      {line.text}
                      {e.receiptId ? <span className="hint mono"> · {e.receiptId}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
