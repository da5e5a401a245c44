// The durable buffer's SQLite file: opened in WAL mode with synchronous=FULL (better-sqlite3's bundled
// SQLite defaults to NORMAL in WAL, which can lose the last commits on a power cut), both checked
// after setting, and migrated to the current schema version before anything else touches it.
// One kind of commit opts out, through commitWithoutDiskWait(): see there why that one may.
//
// Integrity at start: `PRAGMA integrity_check`, not `quick_check`. Measured on a 97 MB buffer of 50,000
// synced receipts with their journal (about seven weeks of a busy till, seven times what retention
// keeps): quick_check 345–520 ms, integrity_check 485–550 ms. The difference is small, and only the full
// check verifies that the indexes match the rows: a broken idempotency-key or FD index could let a
// retried sale through as a new one, which is the one thing this buffer exists to prevent. The check
// runs on a read-only connection, so a damaged file is not checkpointed into before it is moved aside.
// On damage the station does not start: the file (with its -wal and -shm) is renamed to
// `buffer.sqlite.corrupt-<timestamp>` (never over an existing name, never deleted) and the error says
// what to do. The next start begins with an empty buffer, which Station treats as a lost one.
//
// The WAL is bounded: an automatic checkpoint every 256 pages (1 MB at 4 KB pages, SQLite's default is
// 1000) and `journal_size_limit` 1 MB truncates the file when it is reset; it used to grow 75–115 KB a
// sale up to about 4 MB. The disk space reserved for printed receipts is disk-guard.ts.
//
// A buffer created by this open (a missing or 0-byte file) carries `buffer_loss_check = pending` in meta,
// written in the same transaction as the schema: Station compares it with the KKT (buffer-loss.ts).
import type Database from 'better-sqlite3';
import { openSqlite, type SqliteDb } from '../sqlite.ts';
import { existsSync, linkSync, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations.ts';
import { BufferCorruptError } from '../../../shared/errors.ts';

export type Db = SqliteDb;

export const WAL_AUTOCHECKPOINT_PAGES = 256;
export const JOURNAL_SIZE_LIMIT_BYTES = 1024 * 1024;
/** The meta key Station reads to know the buffer was created empty at this or an earlier start. */
export const LOSS_CHECK_KEY = 'buffer_loss_check';

/** SQLite result codes that mean the file itself is damaged or not a database. */
const DAMAGE_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_VTAB',
]);

export function openDatabase(file: string): Db {
  mkdirSync(dirname(file), { recursive: true });
  checkIntegrity(file);
  const db = openSqlite(file);
  try {
    db.pragma('journal_mode = WAL');
  } catch (e) {
    db.close();
    throw damaged(file, e);
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
  const mode = db.pragma('journal_mode', { simple: true });
  const sync = db.pragma('synchronous', { simple: true });
  if (mode !== 'wal' || sync !== 2) {
    db.close();
    throw new Error(
      `The buffer database ${file} refused durable settings (journal_mode=${String(mode)}, synchronous=${String(sync)}); put the data directory on a local disk.`,
    );
  }
  migrate(db);
  return db;
}

/**
 * Runs `commit` (one transaction) with synchronous=NORMAL: its WAL frames are written (a crash of the
 * process loses nothing) but not fsynced, so a power cut right after may lose it. What makes that safe,
 * for the caller that passes the test below:
 * - WAL commits reach the disk in order: the next FULL commit fsyncs the WAL up to and including this
 *   one. So only the tail of the history can be lost, and nothing after it survives without it.
 * - Only a commit whose loss the station repairs by itself may use this. Today: the `printed` record
 *   (receipt-store.ts markPrinted: lost, the receipt is `printing` again, and start-up reconciliation
 *   finds it in the KKT archive above the durable FD high-water mark) and the `synced` record
 *   (markSynced, markSyncedMany: lost, the receipt is sent again and the OFD answers that it has it already).
 * The pragma is per connection and this is synchronous JavaScript, so no other commit runs relaxed.
 */
export function commitWithoutDiskWait<T>(db: Db, commit: () => T): T {
  // Nested in a caller's transaction: that one commits, with the connection's setting (FULL).
  if (db.inTransaction) return commit();
  let sync = syncPragmas.get(db);
  if (!sync) {
    sync = {
      normal: db.prepare('PRAGMA synchronous = NORMAL'),
      full: db.prepare('PRAGMA synchronous = FULL'),
    };
    syncPragmas.set(db, sync);
  }
  sync.normal.run();
  try {
    return commit();
  } finally {
    sync.full.run();
  }
}

const syncPragmas = new WeakMap<Db, { normal: Database.Statement; full: Database.Statement }>();

/** Applies the migrations newer than PRAGMA user_version, each in its own transaction. */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `The buffer database has schema version ${current}, newer than this build knows (${MIGRATIONS.length}); update the application.`,
    );
  }
  // Off around the migrations (it cannot change inside a transaction), so a table can be rebuilt;
  // each migration checks the keys itself before it commits.
  db.pragma('foreign_keys = OFF');
  try {
    for (let version = current + 1; version <= MIGRATIONS.length; version++) migrateTo(db, version);
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

function migrateTo(db: Db, version: number): void {
  db.transaction(() => {
    const step = MIGRATIONS[version - 1]!;
    if (typeof step === 'string') db.exec(step);
    else step(db);
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length) throw new Error(`migration ${version} broke ${broken.length} foreign key(s)`);
    // A buffer born now: it knows no KKT document yet, which Station compares with the KKT.
    if (version === 1) db.prepare(`INSERT INTO meta (key, value) VALUES (?, 'pending')`).run(LOSS_CHECK_KEY);
    db.pragma(`user_version = ${version}`);
  })();
}

/** Runs integrity_check on an existing, non-empty buffer; on damage moves it aside and throws BufferCorruptError. */
function checkIntegrity(file: string): void {
  if (!existsSync(file) || statSync(file).size === 0) return;
  let problems: string[];
  let ro: Db | null = null;
  try {
    ro = openSqlite(file, { readonly: true, fileMustExist: true });
    problems = (ro.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .filter((r) => r !== 'ok');
  } catch (e) {
    ro?.close();
    ro = null;
    if (!DAMAGE_CODES.has((e as { code?: string }).code ?? '')) throw e;
    problems = [(e as Error).message];
  } finally {
    ro?.close();
  }
  if (problems.length) {
    const more = problems.length > 3 ? ` and ${problems.length - 3} more problems` : '';
    throw new BufferCorruptError(file, moveAside(file), `${problems.slice(0, 3).join('; ')}${more}`);
  }
}

function damaged(file: string, e: unknown): Error {
  if (!DAMAGE_CODES.has((e as { code?: string }).code ?? '')) return e as Error;
  return new BufferCorruptError(file, moveAside(file), (e as Error).message);
}

/**
 * Renames the buffer (and its -wal and -shm, which may hold committed pages) to a timestamped name that
 * does not exist yet; a hard link then an unlink, so an existing file is never replaced. Null if it failed.
 */
function moveAside(file: string): string | null {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let n = 0; n < 100; n++) {
    const aside = `${file}.corrupt-${stamp}${n ? `-${n}` : ''}`;
    if ([aside, `${aside}-wal`, `${aside}-shm`].some((f) => existsSync(f))) continue;
    try {
      for (const suffix of ['-wal', '-shm', '']) {
        if (!existsSync(file + suffix)) continue;
        try {
          linkSync(file + suffix, aside + suffix);
          unlinkSync(file + suffix);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw e;
          renameSync(file + suffix, aside + suffix); // a file system without hard links
        }
      }
      return aside;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      return null;
    }
  }
  return null;
}
