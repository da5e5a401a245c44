// The cashier's language: which one is chosen lives in the store (remembered in localStorage), the words
// live in i18n/. Components read messages with useT(); state modules with currentMessages().
import type { Lang } from '../format.ts';
import { MESSAGES, type Messages } from '../i18n/index.ts';
import { useStation } from './store.ts';

export function useT(): Messages {
  return MESSAGES[useStation((s) => s.lang)];
}

export function useLang(): Lang {
  return useStation((s) => s.lang);
}

/** The messages in the chosen language, outside React. */
export function currentMessages(): Messages {
  return MESSAGES[useStation.getState().lang];
}
