// English words of the item search and the quick keys (the same keys as search-ru.ts; the type checks).
import type { searchRu } from './search-ru.ts';

export const searchEn: typeof searchRu = {
  itemSearchOpen: 'Find item',
  itemSearchTitle: 'Find item',
  itemSearchField: 'Name, code or barcode',
  itemSearchHint: '↑ ↓ to choose, Enter to add to the receipt, Esc to close.',
  itemSearchResults: 'Items found',
  itemSearchNothing: (q: string) => `Nothing found for “${q}”.`,
  itemSearchFailed: (why: string) => `The search failed: ${why}`,
  itemSearchClose: 'Close',
  itemsPanelTitle: 'Search and quick keys',
  quickKeysTitle: 'Quick keys',
  quickKeyName: (name: string, price: string) => `${name}, ${price}`,
  quickKeysManageTitle: 'Quick keys of the till',
  quickKeysManageHint: (max: number) =>
    `Buttons on the sale screen for items without a barcode: bags, bread, loose vegetables. At most ${max}; changes are saved at once.`,
  quickKeysEmpty: 'No keys yet: find an item below and add it.',
  quickKeysList: 'Keys in order',
  quickKeyUp: (name: string) => `Up: “${name}”`,
  quickKeyDown: (name: string) => `Down: “${name}”`,
  quickKeyRemove: (name: string) => `Remove the key “${name}”`,
  quickKeyFind: 'Find an item for a key',
  quickKeyLabel: 'Label on the key (optional)',
  quickKeyLabelHint: "Empty: the key shows the item's name.",
  quickKeyAdd: (name: string) => `Add the key “${name}”`,
  quickKeyOnKey: 'on a key already',
  quickKeysSaved: 'Quick keys saved.',
  quickKeysFull: (max: number) => `${max} keys already: no more fit. Remove one first.`,
};
