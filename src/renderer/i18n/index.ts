// The words of the till, per language; state/language.ts knows which language is chosen.
import type { Lang } from '../format.ts';
import { en } from './en.ts';
import { ru, type Messages } from './ru.ts';

export type { Messages };
export const MESSAGES: Record<Lang, Messages> = { ru, en };
