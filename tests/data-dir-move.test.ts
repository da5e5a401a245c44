// One data directory for every host (src/main/core/config.ts defaultDataDir) and the move of an older
// version's data into it (src/main/core/data-dir-move.ts), on real folders and a real buffer: what moves
// and what stays, a till with data in both places, an older station still
// running in the old folder, and a relative STATION_DATA_DIR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { defaultDataDir, loadConfig } from '../src/main/core/config.ts';
import {
  legacyDataDirs,
  moveLegacyData,
  takeMoveNote,
  MOVE_NOTE_FILE,
} from '../src/main/core/data-dir-move.ts';
import { DataDirLockedError, lockDataDir } from '../src/main/core/data-dir.ts';
import { openDatabase } from '../src/main/core/buffer/database.ts';
import { tempDir } from './helpers/fixture.ts';

test('the default data directory: %LOCALAPPDATA% on Windows (not the roaming profile), XDG elsewhere', () => {
  assert.equal(
    defaultDataDir(
      { LOCALAPPDATA: 'C:\\Users\\k\\AppData\\Local', APPDATA: 'C:\\Users\\k\\AppData\\Roaming' },
      'win32',
      'C:\\Users\\k',
    ),
    join('C:\\Users\\k\\AppData\\Local', 'cashier-station'),
  );
  assert.equal(
    defaultDataDir({}, 'win32', '/home/k'),
    join('/home/k', 'AppData', 'Local', 'cashier-station'),
  );
  assert.equal(defaultDataDir({ XDG_DATA_HOME: '/x/data' }, 'linux', '/home/k'), '/x/data/cashier-station');
  assert.equal(defaultDataDir({}, 'linux', '/home/k'), '/home/k/.local/share/cashier-station');
  // Where older versions kept it: Electron's userData, and on Windows the roaming headless default.
  assert.deepEqual(legacyDataDirs({ XDG_CONFIG_HOME: '/x/config' }, 'linux', '/home/k'), [
    '/x/config/Cashier Station',
  ]);
  assert.deepEqual(legacyDataDirs({}, 'linux', '/home/k'), ['/home/k/.config/Cashier Station']);
  assert.deepEqual(legacyDataDirs({ APPDATA: 'R' }, 'win32', 'H'), [
    join('R', 'Cashier Station'),
    join('R', 'cashier-station'),
  ]);
});

test('a relative STATION_DATA_DIR is made absolute against the working directory', (t) => {
  const dir = tempDir(t, 'relative-');
  const config = loadConfig({ STATION_DATA_DIR: relative(process.cwd(), dir) });
  assert.equal(config.dataDir, resolve(dir));
});

/** An older version's Electron folder: a buffer with a row of its own, the settings, logs, and Chromium's files. */
function legacyFolder(root: string): string {
  const legacy = join(root, 'config', 'Cashier Station');
  mkdirSync(join(legacy, 'logs'), { recursive: true });
  const db = openDatabase(join(legacy, 'buffer.sqlite'));
  db.prepare(`INSERT INTO meta (key, value) VALUES ('moved-row', 'kept')`).run();
  db.close();
  writeFileSync(join(legacy, 'config.json'), '{"posId":"POS-OLD"}');
  writeFileSync(join(legacy, 'api-token'), 'legacy-token-0123456789abcdef\n');
  writeFileSync(join(legacy, 'logs', 'station.log'), 'old log\n');
  writeFileSync(join(legacy, 'Preferences'), '{}');
  mkdirSync(join(legacy, 'GPUCache'));
  return legacy;
}

test("the station's files move into the empty data directory; Chromium's stay; the note is read once (the station journals it)", (t) => {
  const root = tempDir(t, 'move-');
  const legacy = legacyFolder(root);
  const dataDir = join(root, 'data', 'cashier-station');
  const result = moveLegacyData(dataDir, legacyDataDirs({ XDG_CONFIG_HOME: join(root, 'config') }, 'linux'));
  assert.deepEqual(result, { movedFrom: legacy, leftBehind: [] });
  assert.deepEqual(readdirSync(legacy).sort(), ['GPUCache', 'Preferences', 'station.lock'].sort());
  for (const name of [
    'buffer.sqlite',
    'config.json',
    'api-token',
    join('logs', 'station.log'),
    MOVE_NOTE_FILE,
  ])
    assert.ok(existsSync(join(dataDir, name)), name);
  const db = new Database(join(dataDir, 'buffer.sqlite'), { readonly: true });
  assert.deepEqual(db.prepare(`SELECT value FROM meta WHERE key = 'moved-row'`).get(), { value: 'kept' });
  db.close();
  assert.equal(loadConfig({ STATION_DATA_DIR: dataDir }).posId, 'POS-OLD');

  // The second start has nothing to move; the note is read once.
  assert.deepEqual(moveLegacyData(dataDir, [legacy]), { movedFrom: null, leftBehind: [] });
  const note = takeMoveNote(dataDir)!;
  assert.equal(note.kind, 'moved');
  assert.equal(note.from, legacy);
  assert.ok(note.files.includes('buffer.sqlite') && !note.files.includes('Preferences'));
  assert.equal(takeMoveNote(dataDir), null);
});

test('data in both places: the data directory keeps its own, the old folder is untouched and named', (t) => {
  const root = tempDir(t, 'both-');
  const legacy = legacyFolder(root);
  const dataDir = join(root, 'data');
  openDatabase(join(dataDir, 'buffer.sqlite')).close();
  const before = readdirSync(legacy).sort();
  assert.deepEqual(moveLegacyData(dataDir, [legacy]), { movedFrom: null, leftBehind: [legacy] });
  assert.deepEqual(readdirSync(legacy).sort(), before);
  const note = takeMoveNote(dataDir)!;
  assert.equal(note.kind, 'left_behind');
  assert.equal(note.from, legacy);
});

test('an older station still running in the old folder: the move is refused, nothing moved', (t) => {
  const root = tempDir(t, 'busy-');
  const legacy = legacyFolder(root);
  const dataDir = join(root, 'data');
  const running = lockDataDir(legacy, 'electron');
  t.after(() => running.release());
  assert.throws(
    () => moveLegacyData(dataDir, [legacy]),
    (e: Error) => e instanceof DataDirLockedError && e.message.includes(legacy),
  );
  assert.ok(existsSync(join(legacy, 'buffer.sqlite')));
  assert.ok(!existsSync(join(dataDir, 'buffer.sqlite')));
});
