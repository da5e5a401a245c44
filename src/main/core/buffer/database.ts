// The durable buffer's SQLite file: opened in WAL mode with synchronous=FULL (better-sqlite3's bundled
// SQLite defaults to NORMAL in WAL, which can lose the last commits on a power cut), both checked
// after setting, and migrated to the current schema version before anything else touches it.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations.ts';

export type Db = Database.Database;

export function openDatabase(file: string): Db {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
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

/** Applies the migrations newer than PRAGMA user_version, each in its own transaction. */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `The buffer database has schema version ${current}, newer than this build knows (${MIGRATIONS.length}); update the application.`,
    );
  }
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version - 1]!);
      db.pragma(`user_version = ${version}`);
    })();
  }
}
