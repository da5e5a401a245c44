// The catalogue behind the manager's PIN: import a CSV file (all rows or none; every bad row and
// column listed), find items by name, code or barcode, add or edit one. A barcode the cashier could
// not find (the sale screen's «Добавить в каталог») opens the form with it filled in.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { CatalogImportView, CatalogItemView } from '../../../shared/contract.ts';
import type { CommandError } from '../../../shared/errors.ts';
import { catalogIssueRu } from '../../../shared/catalog-issues.ts';
import { unitShort } from '../../../shared/units.ts';
import { call } from '../../state/api.ts';
import { useT } from '../../state/language.ts';
import { useScan } from '../../state/scan-sale.ts';
import { ErrorAlert, Money, Notice, TextField, RowAction } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';
import { CatalogItemForm } from './CatalogItemForm.tsx';
import { ManagerList } from './ManagerList.tsx';
import { useManagerList } from './useManagerList.ts';
import type { PinProps } from './session.ts';

/** A file's bytes as base64, in chunks (a spread of a whole 10 MB file would overflow the stack). */
function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** A refused search keeps the list the manager last saw (the search needs no PIN; nothing to sign out). */
const keepLastList = () => {};

export function CatalogPanel({ pin, onPinRejected }: PinProps) {
  const t = useT();
  const fileRef = useRef<HTMLInputElement>(null);
  const [imported, setImported] = useState<CatalogImportView | null>(null);
  const [rejected, setRejected] = useState<CommandError | null>(null);
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<CatalogItemView | null>(null);
  const newBarcode = useScan((s) => s.addBarcode);
  const importCommand = useCommand(onPinRejected);

  const search = useCallback(() => call('catalog.search', { query, limit: 20 }), [query]);
  const { items, reload } = useManagerList(search, keepLastList, null);
  // The barcode the cashier asked for is taken once: the form keeps it, the store forgets it.
  useEffect(() => {
    if (newBarcode) setEditing(null);
  }, [newBarcode]);

  async function importFile(e: FormEvent) {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) return;
    setImported(null);
    setRejected(null);
    const base64 = toBase64(new Uint8Array(await file.arrayBuffer()));
    const r = await importCommand.run(() => call('catalog.import', { pin, fileName: file.name, base64 }));
    if (!r) return;
    if (r.ok) {
      setImported(r.value);
      void reload();
    } else if (r.error.code === 'validation_error') setRejected(r.error);
  }

  const issues = Array.isArray(rejected?.details)
    ? (rejected.details as { field: string; message: string }[])
    : [];
  return (
    <section className="panel" aria-labelledby="catalog-title">
      <h3 id="catalog-title">{t.catalogTitle}</h3>

      <form
        className="settings-form"
        onSubmit={(e) => void importFile(e)}
        aria-labelledby="catalog-import-title"
      >
        <h4 id="catalog-import-title">{t.catalogImportTitle}</h4>
        <div className="field">
          <label htmlFor="catalog-file">{t.catalogFile}</label>
          <input
            id="catalog-file"
            ref={fileRef}
            type="file"
            accept=".csv,text/csv,text/plain"
            aria-describedby="catalog-file-hint"
          />
          <p id="catalog-file-hint" className="hint">
            {t.catalogImportHint}
          </p>
        </div>
        <button type="submit" className="btn" disabled={importCommand.busy}>
          {t.catalogImport}
        </button>
        {imported ? (
          <Notice>
            {t.catalogImported(imported.rows, imported.inserted, imported.updated, imported.encoding)}
          </Notice>
        ) : null}
        {rejected ? (
          <div role="alert" className="alert alert-error">
            <p>{t.catalogRejected}</p>
            <ul aria-label={t.catalogRejected}>
              {issues.slice(0, 50).map((i) => (
                <li key={`${i.field}:${i.message}`}>{catalogIssueRu(i)}</li>
              ))}
            </ul>
          </div>
        ) : importCommand.error ? (
          <ErrorAlert error={importCommand.error} />
        ) : null}
      </form>

      <TextField label={t.catalogSearch} value={query} onValue={setQuery} type="search" autoComplete="off" />
      <ManagerList
        items={items}
        name={{ label: t.catalogList }}
        rowKey={(it) => it.code}
        columns={[
          { title: t.catalogCode, cell: (it) => it.code },
          {
            title: t.catalogName,
            cell: (it) => (
              <>
                {it.name} <span className="hint">{unitShort(it.unit)}</span>
              </>
            ),
          },
          { title: t.price, numeric: true, cell: (it) => <Money kop={it.priceKop} /> },
          { title: t.vat, cell: (it) => t.vatOptions[it.vat] ?? it.vat },
          { title: t.catalogBarcodes, cell: (it) => it.barcodes.join(', ') },
        ]}
        actions={(it) => (
          <RowAction
            label={t.catalogEdit(it.name)}
            icon="✎"
            onClick={() => {
              useScan.setState({ addBarcode: null });
              setEditing(it);
            }}
          />
        )}
      />
      {editing ? (
        <button type="button" className="btn btn-ghost" onClick={() => setEditing(null)}>
          {t.catalogNew}
        </button>
      ) : null}
      <CatalogItemForm
        pin={pin}
        onPinRejected={onPinRejected}
        editing={editing}
        newBarcode={editing ? null : newBarcode}
        onSaved={() => {
          useScan.setState({ addBarcode: null });
          void reload();
        }}
      />
    </section>
  );
}
