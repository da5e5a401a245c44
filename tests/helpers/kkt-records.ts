// The KKT's own record of what it fiscalised, read from the emulator's durable state file in the data
// directory, for tests that check "printed once" against the device rather than the station's buffer.
// This is the ONE place that knows the emulator's file name and layout: when the KKT emulator changes,
// adapt this file only. The byte-level emulator's state is a snapshot plus a journal of the documents
// since (src/kkt-emulator/state-journal.ts): it is read as a fresh emulator would load it, so a station
// killed with -9 leaves nothing unread.
//
// Understood layouts:
// - SimulatedKkt (src/main/core/kkt/simulated-kkt.ts): kkt-emulator.json,
//   { lastFd, archive: [{ fdNumber, kind: 'receipt' | ..., operation, totalKop }] }, archive capped at 1000.
// - the byte-level emulator's DurableState (src/kkt-emulator/state.ts): { version: 1, lastFd,
//   archive: [{ fd, type: 3 for receipts, operation, amountKop }] }, with its journal beside it.
import { existsSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { readDurableState } from '../../src/kkt-emulator/state.ts';
import { JOURNAL_SUFFIX } from '../../src/kkt-emulator/state-journal.ts';

/** File names the emulator has used for its state in the data directory, newest first. */
export const KKT_STATE_FILES = ['kkt-emulator.json'];

export interface KktReceiptDocument {
  fdNumber: number;
  totalKop: number | null;
}

export interface KktRecords {
  file: string;
  /** The last fiscal document number the device issued (all kinds). */
  lastFd: number;
  /** Receipt documents in the archive, in FD order. */
  receipts: KktReceiptDocument[];
  /** Documents of every kind the archive holds (it may be capped: compare with lastFd). */
  archiveLength: number;
}

export function readKktRecords(dataDir: string): KktRecords {
  const file = KKT_STATE_FILES.map((f) => join(dataDir, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`No KKT emulator state file (${KKT_STATE_FILES.join(', ')}) in ${dataDir}`);
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
  const state = (raw.version === 1 ? readDurableState(file) : raw) as { lastFd?: unknown; archive?: unknown };
  if (typeof state.lastFd !== 'number' || !Array.isArray(state.archive))
    throw new Error(`${file}: unknown KKT state layout`);
  const receipts: KktReceiptDocument[] = [];
  for (const d of state.archive as Record<string, unknown>[]) {
    if (typeof d.fdNumber === 'number' && d.kind === 'receipt') {
      receipts.push({ fdNumber: d.fdNumber, totalKop: typeof d.totalKop === 'number' ? d.totalKop : null });
    } else if (typeof d.fd === 'number' && d.type === 3) {
      receipts.push({ fdNumber: d.fd, totalKop: typeof d.amountKop === 'number' ? d.amountKop : null });
    }
  }
  receipts.sort((a, b) => a.fdNumber - b.fdNumber);
  return { file, lastFd: state.lastFd, receipts, archiveLength: state.archive.length };
}

/**
 * Calls `onWrite` whenever the emulator writes its state file or journal, i.e. right after it fiscalised a
 * document and before the station has recorded the answer: the moment a crash test most wants to kill
 * the station at. Returns a function that stops watching.
 */
export function watchKktWrites(dataDir: string, onWrite: () => void): () => void {
  const watcher = watch(dataDir, (_event, name) => {
    const file = String(name ?? '');
    if (KKT_STATE_FILES.some((f) => file === f || file === f + JOURNAL_SUFFIX)) onWrite();
  });
  watcher.on('error', () => undefined);
  return () => watcher.close();
}
