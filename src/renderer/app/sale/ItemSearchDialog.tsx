// «Поиск товара»: type words of the name, a code or a barcode; the catalogue's search (catalog-search.tsx)
// answers after a short pause in typing, or says that nothing matched or why it failed; ↑/↓ choose, Enter or a click adds the item, Esc
// closes and the focus goes back where it was (Modal). The field is a combobox over a listbox (the
// ARIA pattern), so a screen reader hears the chosen item while the focus stays in the field. A scan
// while it is open is a scan (keyboard-scanner.ts never lets it into the field): ItemsPanel closes it.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { CatalogItemView } from '../../../shared/contract.ts';
import { unitShort } from '../../../shared/units.ts';
import { useT } from '../../state/language.ts';
import { SEARCH_MAX_LENGTH, SearchOutcome, useCatalogSearch } from '../catalog-search.tsx';
import { Modal, Money, TextField } from '../ui.tsx';

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
  const search = useCatalogSearch(query, RESULTS);
  const items = search.items;
  const [active, setActive] = useState(0);
  useEffect(() => setActive(0), [items]); // each answer starts at its first item
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
      // Enter acts only on the answer to what is in the field now.
      const item = search.current ? items[active] : undefined;
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
        maxLength={SEARCH_MAX_LENGTH}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open ? optionId(active) : undefined}
      />
      <SearchOutcome search={search} />
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
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          {t.itemSearchClose}
        </button>
      </div>
    </Modal>
  );
}
