// «Поиск товара»: type words of the name, a code or a barcode; the catalogue's search (FTS5 on the
// station) answers after a short pause in typing; ↑/↓ choose, Enter or a click adds the item, Esc
// closes and the focus goes back where it was (Modal). The field is a combobox over a listbox (the
// ARIA pattern), so a screen reader hears the chosen item while the focus stays in the field. A scan
// while it is open is a scan (keyboard-scanner.ts never lets it into the field): ItemsPanel closes it.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { CatalogItemView } from '../../../shared/contract.ts';
import type { CommandError } from '../../../shared/errors.ts';
import { unitShort } from '../../../shared/units.ts';
import { call } from '../../state/api.ts';
import { useT } from '../../state/language.ts';
import { ErrorAlert, Modal, Money, TextField } from '../ui.tsx';

/** A pause in typing this long sends the search: a cashier's keys are 80–250 ms apart. */
export const SEARCH_DEBOUNCE_MS = 200;
const RESULTS = 20;

export function ItemSearchDialog({
  onClose,
  onPick,
}: {
  onClose: () => void;
  onPick: (item: CatalogItemView) => void;
}) {
  const t = useT();
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId();
  const [query, setQuery] = useState('');
  // What was found, and for which text: Enter acts only on the results of what is in the field now.
  const [found, setFound] = useState<{ for: string; items: CatalogItemView[] } | null>(null);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<CommandError | null>(null);
  const q = query.trim();

  useEffect(() => {
    if (!q) {
      setFound(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      void call('catalog.search', { query: q.slice(0, 128), limit: RESULTS }).then((r) => {
        if (!live) return;
        if (r.ok) {
          setFound({ for: q, items: r.value });
          setActive(0);
          setError(null);
        } else setError(r.error);
      });
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);

  const items = found?.items ?? [];
  const optionId = (i: number) => `${listId}-${i}`;
  useEffect(() => {
    document.getElementById(optionId(active))?.scrollIntoView?.({ block: 'nearest' });
  });

  function onKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!items.length) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (a + step + items.length) % items.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const item = found?.for === q ? items[active] : undefined;
      if (item) onPick(item);
    }
  }

  const open = items.length > 0;
  return (
    <Modal title={t.itemSearchTitle} onClose={onClose} initialFocus={inputRef} className="item-search-dialog">
      <TextField
        label={t.itemSearchField}
        value={query}
        onValue={setQuery}
        onKeyDown={onKey}
        inputRef={inputRef}
        hint={t.itemSearchHint}
        autoComplete="off"
        maxLength={128}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open ? optionId(active) : undefined}
      />
      {error ? <ErrorAlert error={error} /> : null}
      <ul id={listId} role="listbox" aria-label={t.itemSearchResults} className="item-search-results">
        {items.map((it, i) => (
          <li
            key={it.code}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            onMouseMove={() => setActive(i)}
            onClick={() => onPick(it)}
          >
            <span className="item-search-name">{it.name}</span>
            <span className="item-search-code">{it.code}</span>
            <span className="item-search-price">
              <Money kop={it.priceKop} />
              {` / ${unitShort(it.unit)}`}
            </span>
          </li>
        ))}
      </ul>
      {found && found.for === q && !items.length ? <p role="status">{t.itemSearchNothing(q)}</p> : null}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          {t.itemSearchClose}
        </button>
      </div>
    </Modal>
  );
}
