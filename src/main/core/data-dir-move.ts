// One data directory for every host, and the move of an older version's data into it.
//
// Before, the desktop app kept its data in Electron's userData (~/.config/Cashier Station, Windows
// %APPDATA%\Cashier Station, in the roaming profile) and headless / the browser host in
// ~/.local/share/cashier-station (%APPDATA%\cashier-station): a till that ran the browser fallback once
// and Electron later stranded its unsent receipts in the other folder. Now every host uses
// defaultDataDir() (config.ts), and on a start with the default directory the station files found in a
// legacy location are moved into it, once, before anything opens them:
//   - only when the default directory has no buffer yet (a till with data in both keeps the new one, and
//     every start journals where the other is: never a merge, never a silent start over old data);
//   - under the legacy directory's lock (data-dir.ts), so an older version still running there refuses
//     the move instead of losing the receipts it is writing;
//   - the buffer is checkpointed first (its WAL folded in), so the move is one rename of one file;
//   - only the station's own files: Chromium's profile, which shared Electron's old folder, stays behind;
//   - a note (data-dir-moved.json) is written first and turned into a journal entry by the station's
//     next start (takeMoveNote), so support can see when and from where the data came.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileDurably } from './durable-file.ts';
import { lockDataDir } from './data-dir.ts';
import { openSqlite } from './sqlite.ts';

const BUFFER_FILE = 'buffer.sqlite';
/** What the station keeps in its data directory (station.lock and station.owner.json are per run). */
const STATION_FILES = [
  BUFFER_FILE,
  `${BUFFER_FILE}-wal`,
  `${BUFFER_FILE}-shm`,
  'buffer.reserve',
  'config.json',
  'api-token',
  'kkt-emulator.json',
  'kkt-emulator.json.journal', // the emulator's journal of documents since the snapshot (state-journal.ts)
  'logs',
];
const isStationFile = (name: string) =>
  STATION_FILES.includes(name) || name.startsWith(`${BUFFER_FILE}.corrupt-`);

export const MOVE_NOTE_FILE = 'data-dir-moved.json';

export interface MoveNote {
  /** moved: `files` came from `from`; left_behind: `from` still holds a buffer this station does not use. */
  kind: 'moved' | 'left_behind';
  from: string;
  files: string[];
  at: string;
}

/** The folders older versions kept their data in, for this platform and environment. */
export function legacyDataDirs(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string[] {
  if (platform === 'win32') {
    const roaming = env.APPDATA || join(home, 'AppData', 'Roaming');
    return [join(roaming, 'Cashier Station'), join(roaming, 'cashier-station')];
  }
  // Electron's appData: ~/Library/Application Support on macOS, $XDG_CONFIG_HOME or ~/.config elsewhere.
  const appData =
    platform === 'darwin'
      ? join(home, 'Library', 'Application Support')
      : env.XDG_CONFIG_HOME || join(home, '.config');
  return [join(appData, 'Cashier Station')];
}

const hasBuffer = (dir: string) => {
  try {
    return statSync(join(dir, BUFFER_FILE)).size > 0;
  } catch {
    return false;
  }
};

export interface MoveResult {
  /** The legacy folder whose files were moved, or null. */
  movedFrom: string | null;
  /** Legacy folders that still hold a buffer because the data directory has its own. */
  leftBehind: string[];
}

/**
 * Moves the station files of the first legacy folder that has a buffer into `dataDir` when `dataDir`
 * has none. Throws (and the station does not start) when the move cannot be done: a start over an
 * empty buffer while the receipts sit in the old folder is exactly what this exists to prevent.
 */
export function moveLegacyData(dataDir: string, legacyDirs: string[]): MoveResult {
  const candidates = legacyDirs.filter((d) => d !== dataDir && hasBuffer(d));
  if (candidates.length === 0) return { movedFrom: null, leftBehind: [] };
  if (hasBuffer(dataDir)) {
    writeNote(dataDir, { kind: 'left_behind', from: candidates.join(', '), files: [], at: now() });
    return { movedFrom: null, leftBehind: candidates };
  }
  const from = candidates[0]!;
  const lock = lockDataDir(from, 'data-dir-move'); // DataDirLockedError: an older station runs there
  try {
    foldWal(join(from, BUFFER_FILE));
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const names = readdirSync(from).filter(isStationFile);
    writeNote(dataDir, { kind: 'moved', from, files: names, at: now() });
    // A 0-byte buffer a failed start left here is no data: the moved one takes its place.
    for (const stale of [BUFFER_FILE, `${BUFFER_FILE}-wal`, `${BUFFER_FILE}-shm`])
      rmSync(join(dataDir, stale), { force: true });
    // The buffer last: until it has moved, the next start sees no buffer here and moves again.
    for (const name of [...names.filter((n) => n !== BUFFER_FILE), BUFFER_FILE])
      if (existsSync(join(from, name))) move(join(from, name), join(dataDir, name));
  } catch (e) {
    throw new Error(
      `The station's data in ${from} (an older version's folder) could not be moved to ${dataDir}: ` +
        `${(e as Error).message}. Nothing was deleted; fix the cause and start again, or start with ` +
        `STATION_DATA_DIR=${from}.`,
    );
  } finally {
    lock.release();
  }
  return { movedFrom: from, leftBehind: candidates.slice(1) };
}

const now = () => new Date().toISOString();

function writeNote(dataDir: string, note: MoveNote): void {
  writeFileDurably(join(dataDir, MOVE_NOTE_FILE), `${JSON.stringify(note)}\n`);
}

/** Folds the WAL into the database file and removes it, so the buffer is one self-contained file. */
function foldWal(file: string): void {
  const db = openSqlite(file, { fileMustExist: true });
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/** A rename; across file systems a copy, then the original removed. A folder merges into an existing one. */
function move(src: string, dst: string): void {
  if (existsSync(dst) && statSync(src).isDirectory() && statSync(dst).isDirectory()) {
    for (const name of readdirSync(src))
      if (!existsSync(join(dst, name))) move(join(src, name), join(dst, name));
    return;
  }
  if (existsSync(dst)) return; // the new folder's own file (a token, a config) wins
  try {
    renameSync(src, dst);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    cpSync(src, dst, { recursive: true, errorOnExist: true, force: false });
    rmSync(src, { recursive: true, force: true });
  }
}

/** The note of a move into `dataDir`, removed once read (the station journals it). Null when none. */
export function takeMoveNote(dataDir: string): MoveNote | null {
  const file = join(dataDir, MOVE_NOTE_FILE);
  if (!existsSync(file)) return null;
  let note: MoveNote | null = null;
  try {
    note = JSON.parse(readFileSync(file, 'utf8')) as MoveNote;
  } catch {
    note = { kind: 'moved', from: 'unknown (the note was unreadable)', files: [], at: now() };
  }
  rmSync(file, { force: true });
  return note;
}
