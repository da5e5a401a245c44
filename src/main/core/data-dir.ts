// One station per data directory, and a data directory only its owner can read.
//
// The lock. Two stations on one data directory (two `npm run headless`, headless + the browser host,
// the app + headless) would both open the buffer and the emulator's state: both emulators issue the same
// FD numbers and each station's receipts fall back to `accepted` under the other. So every host takes an
// exclusive lock on the directory before it opens anything (startStationApp does it first, before the
// KKT, the emulator's state or the buffer), holds it while it runs and releases it after the station
// has stopped. Electron's single-instance lock is not enough: it knows nothing of headless or the web host.
//
// Design choice: the lock is an OS file lock, so the OS releases it when the process dies, however it
// dies (kill -9, a power cut, a crash): there is never a stale lock to clean up by hand, and no pid-file
// guessing (a pid reused after a reboot looks alive). Node's fs has no flock/fcntl, so the lock is held
// through better-sqlite3 (already a dependency; no new native code): `station.lock` is a tiny SQLite
// database opened with `locking_mode=EXCLUSIVE` and written once, after which SQLite keeps its
// EXCLUSIVE lock (fcntl on POSIX, LockFileEx on Windows) until the connection closes or the process
// dies. A second station's `BEGIN EXCLUSIVE` answers SQLITE_BUSY at once (busy timeout 0).
// Caveat (POSIX fcntl semantics): closing ANY descriptor of station.lock in the holding process drops
// the lock, so nothing in the station may open that file (diagnostics reads logs/ only).
//
// A locked database cannot be read by the refused process, so the holder describes itself in a plain
// file beside it, `station.owner.json` ({pid, host, started_at}), written after the lock is taken. The
// refused station names the running one from it: "pid 4242 (headless), started at …". The file may be
// left behind by a killed station; it is only ever read by someone the lock refused, and overwritten
// by the next holder.
//
// Privacy: the buffer holds PIN hashes and buyers' contacts, the data directory the API token. The
// directory is made 0700 (loadConfig creates it so) and the files in it 0600: the process umask becomes
// 077 when the station starts, so everything it creates afterwards (the buffer, its WAL and SHM, the
// emulator's state, logs, temp files) is private, and files left 0644 by an older version are chmod-ed
// once at start. On Windows the ACLs of the user's profile do this job and modes are left alone.
import { chmodSync, lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from './durable-file.ts';
import { openSqlite } from './sqlite.ts';

export const LOCK_FILE_NAME = 'station.lock';
export const OWNER_FILE_NAME = 'station.owner.json';

/** Which host runs the station: named to the operator whose second start is refused. */
export type HostKind = 'headless' | 'browser' | 'electron';

export interface DataDirOwner {
  pid: number;
  host: HostKind | string;
  started_at: string;
}

/** Another process holds the data directory: start-up stops before anything is opened. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: DataDirOwner | null,
  ) {
    super(
      `Another Cashier Station is already running on the data directory ${dataDir}: ${describeOwner(owner)}. ` +
        'Stop that one first, or give this one its own data directory (STATION_DATA_DIR) and API port.',
    );
    this.name = 'DataDirLockedError';
  }
}

/** The process exit code of a host that found its data directory held by another station. */
export const EXIT_DATA_DIR_LOCKED = 3;

export interface DataDirLock {
  readonly dataDir: string;
  /** Lets the next station in. Safe to call twice. */
  release(): void;
}

/**
 * Takes the data directory's exclusive lock or throws DataDirLockedError naming the holder. Also makes
 * the directory and its files private (see the header). Call before opening anything in the directory.
 */
export function lockDataDir(dataDir: string, host: HostKind | 'data-dir-move'): DataDirLock {
  makePrivate(dataDir);
  const lockFile = join(dataDir, LOCK_FILE_NAME);
  const ownerFile = join(dataDir, OWNER_FILE_NAME);
  const db = openSqlite(lockFile, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the EXCLUSIVE lock; in this locking mode COMMIT keeps it until close().
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS lock (id INTEGER PRIMARY KEY)');
    db.exec('COMMIT');
  } catch (e) {
    db.close();
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
      throw new DataDirLockedError(dataDir, readOwner(ownerFile));
    throw new Error(
      `The data directory's lock file ${lockFile} cannot be used (${(e as Error).message}). ` +
        'Make sure no station runs on this directory, then delete the file and start again.',
    );
  }
  const owner: DataDirOwner = { pid: process.pid, host, started_at: new Date().toISOString() };
  try {
    writeFileDurably(ownerFile, `${JSON.stringify(owner)}\n`);
  } catch (e) {
    db.close();
    throw e;
  }
  let held = true;
  return {
    dataDir,
    release() {
      if (!held) return;
      held = false;
      rmSync(ownerFile, { force: true }); // still ours: nobody else can hold the lock yet
      db.close();
    },
  };
}

function readOwner(file: string): DataDirOwner | null {
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Partial<DataDirOwner> | null;
    if (!o || typeof o.pid !== 'number' || typeof o.started_at !== 'string') return null;
    // The holder writes this file just after taking the lock: in that instant the file may still be a
    // killed predecessor's. A dead pid is not the holder.
    if (!pidAlive(o.pid)) return null;
    return { pid: o.pid, host: String(o.host ?? 'unknown host'), started_at: o.started_at };
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

function describeOwner(owner: DataDirOwner | null): string {
  if (!owner) return 'a process that is just starting (its details are not written yet)';
  return `pid ${owner.pid} (${owner.host}), started at ${owner.started_at}`;
}

/**
 * Directory 0700, files 0600, umask 077 for what the process creates from now on. Best effort on
 * file systems without Unix modes (a chmod that fails leaves the file as it is: the directory's own
 * 0700 is what keeps other users out).
 */
export function makePrivate(dataDir: string): void {
  if (process.platform === 'win32') return;
  process.umask(0o077);
  for (const dir of [dataDir, join(dataDir, 'logs')]) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue; // no logs yet
    }
    tryChmod(dir, 0o700);
    for (const name of names) {
      const file = join(dir, name);
      try {
        const st = lstatSync(file);
        // Regular files only: the Electron profile's directories and its Singleton* symlinks are Chromium's.
        if (st.isFile() && (st.mode & 0o077) !== 0) tryChmod(file, 0o600);
      } catch {
        // gone meanwhile
      }
    }
  }
}

function tryChmod(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch {
    // not ours to change (see makePrivate)
  }
}
