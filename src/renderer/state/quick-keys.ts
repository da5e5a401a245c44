// The sale screen's quick keys and the one way a picked item (a quick key, the search dialog) joins the
// receipt: the scan's path (scan-sale.ts addItem), so a weighed item asks for its weight and a piece
// item adds to its line exactly as a scan would. The list is fetched when the sale screen opens and
// again when the catalogue changes (the journal's catalog_changed: a price, a deleted item, new keys).
import { create } from 'zustand';
import type { CatalogItemView, QuickKeyView } from '../../shared/contract.ts';
import type { CommandError } from '../../shared/errors.ts';
import { call, station } from './api.ts';
import { useSale } from './sale.ts';
import { addItem, useScan, type FocusRequest } from './scan-sale.ts';

export const useQuickKeys = create<{ keys: QuickKeyView[]; error: CommandError | null }>()(() => ({
  keys: [],
  error: null,
}));

export async function loadQuickKeys(): Promise<void> {
  const r = await call('quickKeys.list');
  useQuickKeys.setState(r.ok ? { keys: r.value, error: null } : { error: r.error });
}

/** Loads the keys now and whenever the catalogue changes; returns the function that stops listening. */
export function followQuickKeys(): () => void {
  void loadQuickKeys();
  try {
    return station().on('journal.entry', (e) => {
      if (e.kind === 'catalog_changed') void loadQuickKeys();
    });
  } catch {
    return () => {}; // no transport: TransportUnavailable is shown instead
  }
}

/**
 * Adds a picked item to the sale being rung up, as a scan of it would; answers which form field wants
 * the cashier (a weighed item's weight, a price set at the till). A receipt being paid is not changed.
 */
export function pickItem(item: CatalogItemView): FocusRequest | 'ignored' {
  const sale = useSale.getState();
  if (sale.payOpen || sale.busy) return 'ignored';
  useScan.setState({ notice: null });
  return addItem(item, null);
}
