// Station-wide renderer state (zustand 5). Push handlers write it with setState at module level
// (see api.ts); components read it with selectors that return stable values (useShallow for objects).
import { create } from 'zustand';
import type { JournalEntryView, StationSnapshot, SyncProgressView } from '../../shared/contract.ts';
import type { Lang } from '../format.ts';

export type Screen = 'sale' | 'refund' | 'shift' | 'status' | 'manager' | 'support';
export const SCREENS: readonly Screen[] = ['sale', 'refund', 'shift', 'status', 'manager', 'support'];

const LANG_KEY = 'cashier-station.lang';
const JOURNAL_MAX = 500;

function initialLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(LANG_KEY);
    if (saved === 'ru' || saved === 'en') return saved;
  } catch {
    // storage unavailable (privacy mode): Russian
  }
  return 'ru';
}

export interface StationState {
  /** null until the first snapshot arrives. */
  snapshot: StationSnapshot | null;
  /** Why the first snapshot could not be fetched (shown while retrying). */
  connectError: string | null;
  /** The station stopped answering after it had answered: the header says so instead of the last state. */
  hostLost: boolean;
  journal: JournalEntryView[];
  syncProgress: SyncProgressView | null;
  lang: Lang;
  screen: Screen;
  /** Ticks every 15 s so "oldest X min" and shift ages stay current. */
  now: number;
}

export const useStation = create<StationState>()(() => ({
  snapshot: null,
  connectError: null,
  hostLost: false,
  journal: [],
  syncProgress: null,
  lang: initialLang(),
  screen: 'sale',
  now: Date.now(),
}));

export function setLang(lang: Lang): void {
  try {
    globalThis.localStorage?.setItem(LANG_KEY, lang);
  } catch {
    // not remembered, still switched
  }
  useStation.setState({ lang });
}

export function setScreen(screen: Screen): void {
  useStation.setState({ screen });
}

/** Accepts a pushed or fetched snapshot unless it is older than the one we have. */
export function acceptSnapshot(snapshot: StationSnapshot): void {
  const current = useStation.getState().snapshot;
  if (current && Date.parse(snapshot.at) < Date.parse(current.at)) return;
  useStation.setState({ snapshot, connectError: null });
}

/** Merges journal entries (pushed one by one or fetched in bulk), newest first, without duplicates. */
export function mergeJournal(entries: JournalEntryView[]): void {
  if (entries.length === 0) return;
  useStation.setState((s) => {
    const byId = new Map<number, JournalEntryView>();
    for (const e of s.journal) byId.set(e.id, e);
    for (const e of entries) byId.set(e.id, e);
    const journal = [...byId.values()].sort((a, b) => b.id - a.id).slice(0, JOURNAL_MAX);
    return { journal };
  });
}
