import { test } from 'node:test';
import { isUsableOfdToken } from '../src/shared/ofd-token.ts';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/main/core/config.ts';
import { bundlePath } from './helpers/bundles.ts';
import { tempDir } from './helpers/fixture.ts';

test('defaults: port 8000, capacity 200, breaker 5/60 s, 20 attempts, and a generated token kept in the data dir', (t) => {
  const dir = tempDir(t);
  const c = loadConfig({ STATION_DATA_DIR: dir });
  assert.equal(c.apiPort, 8000);
  assert.equal(c.bufferCapacity, 200);
  assert.equal(c.breakerThreshold, 5);
  assert.equal(c.breakerResetMs, 60_000);
  assert.equal(c.maxAttempts, 20);
  assert.equal(c.syncIntervalMs, 10_000);
  assert.equal(c.kkt, 'emulator');
  assert.ok(c.apiToken.length >= 24);
  assert.equal(loadConfig({ STATION_DATA_DIR: dir }).apiToken, c.apiToken, 'generated once, then reused');
  assert.equal(statSync(join(dir, 'api-token')).mode & 0o077, 0, 'readable by the owner only');
});

test('an empty or truncated token file is replaced, never used as an empty token', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'api-token'), '');
  const c = loadConfig({ STATION_DATA_DIR: dir });
  assert.ok(c.apiToken.length >= 24);
  assert.equal(readFileSync(join(dir, 'api-token'), 'utf8').trim(), c.apiToken);
  writeFileSync(join(dir, 'api-token'), 'abc\n');
  assert.notEqual(loadConfig({ STATION_DATA_DIR: dir }).apiToken, 'abc');
});

test('environment beats the config file, which beats the defaults', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ bufferCapacity: 50, posId: 'FILE' }));
  const c = loadConfig({ STATION_DATA_DIR: dir, STATION_POS_ID: 'ENV' });
  assert.equal(c.bufferCapacity, 50);
  assert.equal(c.posId, 'ENV');
});

test('a bad value names the variable or the key and what a good value looks like', (t) => {
  const dir = tempDir(t);
  const bad: [Record<string, string>, RegExp][] = [
    [{ STATION_API_PORT: 'eighty' }, /^STATION_API_PORT="eighty": /],
    [{ STATION_API_PORT: '70000' }, /^STATION_API_PORT="70000"/],
    [{ STATION_BUFFER_CAPACITY: '0' }, /^STATION_BUFFER_CAPACITY="0"/],
    [{ STATION_OFD_URL: 'ftp://x' }, /^STATION_OFD_URL="ftp:\/\/x": must be an http\(s\) URL/],
    [{ STATION_KKT_BAUD: '1234' }, /^STATION_KKT_BAUD="1234": must be one of/],
    // A secret is not echoed back.
    [{ STATION_API_TOKEN: 'short' }, /^STATION_API_TOKEN=\(hidden\): must be at least 16 characters/],
    [{ STATION_OFD_TOKEN: 'токен ОФД' }, /^STATION_OFD_TOKEN=\(hidden\): must be printable Latin characters/],
    [
      { STATION_TAX_SYSTEM: 'usn' },
      /^STATION_TAX_SYSTEM="usn": must be one of osn, usn_income, usn_income_expense, esn, patent\.$/,
    ],
    [
      { STATION_EMULATOR_TAX_SYSTEMS: 'osn,envd' },
      /^STATION_EMULATOR_TAX_SYSTEMS="osn,envd": unknown tax system "envd"; allowed: osn, usn_income, /,
    ],
    [
      { STATION_EMULATOR_FN_EXPIRES: '31.12.2026' },
      /^STATION_EMULATOR_FN_EXPIRES="31.12.2026": .*YYYY-MM-DD/,
    ],
    [{ STATION_EMULATOR_FN_EXPIRES: '2026-02-29' }, /^STATION_EMULATOR_FN_EXPIRES="2026-02-29": /],
  ];
  for (const [env, message] of bad)
    assert.throws(
      () => loadConfig({ STATION_DATA_DIR: dir, ...env }),
      (e: unknown) => e instanceof ConfigError && message.test(e.message),
      JSON.stringify(env),
    );
  writeFileSync(join(dir, 'config.json'), '{"taxSystem": "envd"}');
  assert.throws(
    () => loadConfig({ STATION_DATA_DIR: dir }),
    /config\.json: "taxSystem" must be one of osn, /,
  );
  writeFileSync(join(dir, 'config.json'), '{"taxSystem": "patent"}');
  assert.equal(loadConfig({ STATION_DATA_DIR: dir }).taxSystem, 'patent');
  writeFileSync(join(dir, 'config.json'), '{"bufferCapacity": "lots"}');
  assert.throws(() => loadConfig({ STATION_DATA_DIR: dir }), /config\.json: "bufferCapacity"/);
  writeFileSync(join(dir, 'config.json'), '{"bufferCapacity": 10, "typo": 1}');
  assert.throws(() => loadConfig({ STATION_DATA_DIR: dir }), /config\.json/);
  writeFileSync(join(dir, 'config.json'), '{not json');
  assert.throws(() => loadConfig({ STATION_DATA_DIR: dir }), /is not valid JSON/);
});

test('an OFD token is printable Latin characters without spaces: one rule for the config and the settings form', () => {
  for (const good of ['dev-ofd-token', 'A1b2_C3.d4~', 'x'.repeat(200)])
    assert.equal(isUsableOfdToken(good), true, good);
  for (const bad of ['', 'токен', 'abc def', 'abc\n', 'abc\t'])
    assert.equal(isUsableOfdToken(bad), false, JSON.stringify(bad));
});

test('npm run headless refuses to start on a bad variable, naming it, with exit code 2', (t) => {
  const dir = tempDir(t);
  const r = spawnSync(process.execPath, [bundlePath('headless')], {
    env: { ...process.env, STATION_DATA_DIR: dir, STATION_MAX_ATTEMPTS: '-3' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /Configuration error: STATION_MAX_ATTEMPTS="-3"/);
  assert.throws(() => readFileSync(join(dir, 'buffer.sqlite')), 'nothing was created');
});

test('a config.json that is not an object (null, an array, a number) is a configuration error saying so', (t) => {
  const dir = tempDir(t);
  for (const [content, holds] of [
    ['null', 'null'],
    ['[1, 2]', 'an array'],
    ['42', 'a number'],
    ['"apiPort"', 'a string'],
  ] as const) {
    writeFileSync(join(dir, 'config.json'), content);
    assert.throws(
      () => loadConfig({ STATION_DATA_DIR: dir }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message.includes(`config.json must hold one JSON object of settings`) &&
        e.message.includes(`but holds ${holds}`),
      content,
    );
  }
  writeFileSync(join(dir, 'config.json'), '{"bufferCapacity": 10, "typo": 1}');
  assert.throws(
    () => loadConfig({ STATION_DATA_DIR: dir }),
    /config\.json: "typo" /,
    'an unknown key is named, not every key of the file',
  );
});

test('npm run headless with a config.json of null exits 2 with the configuration error', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'config.json'), 'null\n');
  const r = spawnSync(process.execPath, [bundlePath('headless')], {
    env: { ...process.env, STATION_DATA_DIR: dir },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^Configuration error: .*config\.json must hold one JSON object.*but holds null/m);
  assert.throws(() => readFileSync(join(dir, 'buffer.sqlite')), 'nothing was created');
});

test('loadConfig creates a missing data directory private (0700)', (t) => {
  if (process.platform === 'win32') return t.skip('Unix modes');
  const dir = join(tempDir(t), 'new', 'data');
  loadConfig({ STATION_DATA_DIR: dir });
  assert.equal(statSync(dir).mode & 0o777, 0o700);
});
