// The current language lives in the store (remembered in localStorage); components read messages with useT().
import { useStation } from '../state/store.ts';
import type { Lang } from '../format.ts';
import { en } from './en.ts';
import { ru, type Messages } from './ru.ts';

export type { Messages };
export const MESSAGES: Record<Lang, Messages> = { ru, en };

export function useT(): Messages {
  return MESSAGES[useStation((s) => s.lang)];
}

export function useLang(): Lang {
  return useStation((s) => s.lang);
}
