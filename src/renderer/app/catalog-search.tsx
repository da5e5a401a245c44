// The catalogue search as the cashier's «Поиск товара» (F3) and the manager's quick keys both use it:
// the station's search (FTS5) is asked after a short pause in typing, an answer for text no longer in
// the field is dropped, and the outcome is said in words in both places — the items, «Ничего не
// найдено» or why the search failed (SearchOutcome).
import { useEffect, useState } from 'react';
import type { CatalogItemView } from '../../shared/contract.ts';
import type { CommandError } from '../../shared/errors.ts';
import { call } from '../state/api.ts';
import { useT } from '../state/language.ts';
import { ErrorAlert } from './ui.tsx';

/** A pause in typing this long sends the search: a cashier's keys are 80–250 ms apart. */
export const SEARCH_DEBOUNCE_MS = 200;
/** The station takes at most this much search text (the fields' maxLength too). */
export const SEARCH_MAX_LENGTH = 128;

const NONE: CatalogItemView[] = [];

type Answer = { for: string; items: CatalogItemView[] } | { for: string; error: CommandError };

export interface CatalogSearch {
  /** The text searched for: the field's, trimmed. */
  query: string;
  /** The last items found (kept while the next answer is on its way); none after a failure. */
  items: CatalogItemView[];
  /** `items` answer the text in the field now: Enter may act on them. */
  current: boolean;
  /** The last search failed (until one succeeds or the field is emptied). */
  error: CommandError | null;
  /** The station answered the text in the field now with no item. */
  nothing: boolean;
}

export function useCatalogSearch(text: string, limit: number): CatalogSearch {
  const query = text.trim().slice(0, SEARCH_MAX_LENGTH);
  const [answer, setAnswer] = useState<Answer | null>(null);

  useEffect(() => {
    if (!query) {
      setAnswer(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      void call('catalog.search', { query, limit }).then((r) => {
        if (live) setAnswer(r.ok ? { for: query, items: r.value } : { for: query, error: r.error });
      });
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, limit]);

  const found = query && answer && 'items' in answer ? answer : null;
  const current = found !== null && found.for === query;
  return {
    query,
    items: found?.items ?? NONE,
    current,
    error: query && answer && 'error' in answer ? answer.error : null,
    nothing: current && found.items.length === 0,
  };
}

/** What the search came to when it is not a list: why it failed (alert) or that nothing matched (status). */
export function SearchOutcome({ search }: { search: CatalogSearch }) {
  const t = useT();
  if (search.error) return <ErrorAlert error={t.itemSearchFailed(t.errorText(search.error))} />;
  if (search.nothing) return <p role="status">{t.itemSearchNothing(search.query)}</p>;
  return null;
}
