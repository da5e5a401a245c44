// The sale screen's ways to an item without a barcode: «Поиск товара» (F3, or the button) opens the
// search dialog, and the manager's quick keys add their item in one click. Both take the scan's path
// (state/quick-keys.ts pickItem): a weighed item asks for its weight in «Количество», as a scan does.
// No digit shortcuts for the keys: Alt+1…6 switch sections (App.tsx) and Ctrl+digits are the
// browser's; the keys are buttons in the tab order, and the scanner works anywhere anyway.
import { useEffect, useState } from 'react';
import type { CatalogItemView } from '../../../shared/contract.ts';
import { formatMoney } from '../../format.ts';
import { useLang, useT } from '../../state/language.ts';
import { followQuickKeys, pickItem, useQuickKeys } from '../../state/quick-keys.ts';
import { useSale } from '../../state/sale.ts';
import { useScan, type FocusRequest } from '../../state/scan-sale.ts';
import { Money } from '../ui.tsx';
import { ItemSearchDialog } from './ItemSearchDialog.tsx';

export function ItemsPanel({ onAdded }: { onAdded: (want: FocusRequest) => void }) {
  const t = useT();
  const lang = useLang();
  const keys = useQuickKeys((s) => s.keys);
  const saleBusy = useSale((s) => s.busy);
  const [searching, setSearching] = useState(false);

  useEffect(() => followQuickKeys(), []);

  // F3 opens the search from anywhere on the sale screen (F2 is the payment), unless a dialog is open.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'F3' || e.altKey || e.ctrlKey || e.metaKey) return;
      e.preventDefault(); // the browser's own F3 is «find in page»
      if (useSale.getState().payOpen || document.querySelector('dialog[open]')) return;
      setSearching(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // A scan while the dialog is open is a scan: the item joins the receipt and the dialog gets out of the way.
  useEffect(
    () =>
      useScan.subscribe((s, prev) => {
        if (s.busy && !prev.busy) setSearching(false);
      }),
    [],
  );

  function pick(item: CatalogItemView) {
    setSearching(false);
    const want = pickItem(item);
    // After the dialog has closed and given the focus back, so the form's field can take it.
    if (want !== 'ignored') setTimeout(() => onAdded(want), 0);
  }

  return (
    <section className="panel items-panel" aria-label={t.itemsPanelTitle}>
      <button
        type="button"
        className="btn"
        aria-keyshortcuts="F3"
        onClick={() => setSearching(true)}
        disabled={saleBusy}
      >
        {t.itemSearchOpen} <kbd aria-hidden="true">F3</kbd>
      </button>
      {keys.length ? (
        <ul className="quick-keys" aria-label={t.quickKeysTitle}>
          {keys.map((k) => {
            const name = k.label ?? k.item.name;
            return (
              <li key={k.code}>
                <button
                  type="button"
                  className="quick-key"
                  aria-label={t.quickKeyName(name, formatMoney(k.item.priceKop, lang))}
                  title={k.item.name}
                  onClick={() => pick(k.item)}
                >
                  <span className="quick-key-name">{name}</span>
                  <Money kop={k.item.priceKop} className="quick-key-price" />
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      {searching ? <ItemSearchDialog onClose={() => setSearching(false)} onPick={pick} /> : null}
    </section>
  );
}
