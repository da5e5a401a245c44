// What a failure to start means, the same for every host (src/main/app/start-failure.ts): a bad setting
// exits 2 with "Configuration error: …", another station on the data directory exits 3, anything else 1;
// the desktop app's dialog takes its Russian title from the same place. The console hosts and the
// catalogue CLI are run as the user runs them: from their bundles (tests/helpers/bundles.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../src/main/core/config.ts';
import { DataDirLockedError, EXIT_DATA_DIR_LOCKED } from '../src/main/core/data-dir.ts';
import { EXIT_BAD_SETTING, startFailure } from '../src/main/app/start-failure.ts';
import { bundlePath, type BundleName } from './helpers/bundles.ts';
import { tempDir } from './helpers/fixture.ts';
import { REPO_ROOT } from './helpers/headless.ts';

test('a bad setting is 2, a locked data directory 3, anything else 1 and unexpected', () => {
  const bad = startFailure(new ConfigError('STATION_MAX_ATTEMPTS="-3" must be …'));
  assert.deepEqual(bad, {
    exitCode: EXIT_BAD_SETTING,
    line: 'Configuration error: STATION_MAX_ATTEMPTS="-3" must be …',
    title: 'Ошибка конфигурации',
    unexpected: false,
  });
  const locked = startFailure(new DataDirLockedError('/data', null));
  assert.equal(locked.exitCode, EXIT_DATA_DIR_LOCKED);
  assert.equal(locked.title, 'Кассовая станция уже запущена');
  assert.equal(locked.unexpected, false);
  const other = startFailure(new Error('EACCES: /data'), 'Cashier Station browser host');
  assert.deepEqual(other, {
    exitCode: 1,
    line: 'Cashier Station browser host failed to start: EACCES: /data',
    title: 'Кассовая станция не запустилась',
    unexpected: true,
  });
});

const run = (program: BundleName, args: readonly string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [bundlePath(program), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });

test('the browser host, headless and the catalogue CLI refuse a bad variable the same way', (t) => {
  const renderer = tempDir(t); // the browser host checks its build first: a stand-in page
  writeFileSync(join(renderer, 'index.html'), '<!doctype html>');
  for (const [program, args] of [
    ['web', []],
    ['headless', []],
    ['catalog', ['export', 'items.csv']],
  ] as const) {
    const dir = tempDir(t);
    const r = run(program, args, {
      STATION_DATA_DIR: dir,
      STATION_MAX_ATTEMPTS: '-3',
      STATION_WEB_ROOT: renderer,
    });
    assert.equal(r.status, EXIT_BAD_SETTING, `${program}: ${r.stderr}`);
    assert.match(r.stderr, /^Configuration error: STATION_MAX_ATTEMPTS="-3"/m, program);
    assert.equal(r.stdout, '', `${program}: nothing on stdout`);
    assert.equal(existsSync(join(dir, 'buffer.sqlite')), false, `${program}: nothing created`);
  }
});

test('the browser host without its renderer build exits 2 with one line saying what to run', (t) => {
  const dir = tempDir(t);
  const r = run('web', [], { STATION_DATA_DIR: dir, STATION_WEB_ROOT: tempDir(t) });
  assert.equal(r.status, EXIT_BAD_SETTING, r.stderr);
  assert.match(
    r.stderr,
    /^The renderer is not built \(no .*index\.html\): run npm run build:renderer first\.\n$/,
  );
});
