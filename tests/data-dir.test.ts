// One station per data directory (src/main/core/data-dir.ts), with real processes: a second headless
// station or browser host on the same STATION_DATA_DIR is refused, naming the running one, and opens
// nothing; the first keeps selling; a kill -9 leaves no stale lock. And the directory is private: 0700,
// its files 0600, including those an older version left 0644.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/main/core/config.ts';
import { silentLogger } from '../src/main/core/logger.ts';
import { DataDirLockedError, EXIT_DATA_DIR_LOCKED } from '../src/main/core/data-dir.ts';
import { startStationApp } from '../src/main/app/station-app.ts';
import { startRestApi } from '../src/main/rest/rest-api.ts';
import { saleBody, tempDir, TEST_TOKEN } from './helpers/fixture.ts';
import { bundlePath, type BundleName } from './helpers/bundles.ts';
import { REPO_ROOT, spawnHeadless, type HeadlessStation } from './helpers/headless.ts';
import { httpJson } from './helpers/http-client.ts';
import { freePort } from './helpers/ports.ts';
import { waitFor } from './helpers/wait.ts';
import { programEnv } from './helpers/program-env.ts';

const OFFLINE_OFD = { STATION_OFD_URL: 'http://127.0.0.1:9', STATION_SYNC_INTERVAL_MS: '60000' };

function childEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  return programEnv({ ...OFFLINE_OFD, ...vars });
}

/** Runs a host to its end (a refused one ends at once); its exit code and everything it printed. */
function runToEnd(host: BundleName, vars: Record<string, string>): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [bundlePath(host)], {
    cwd: REPO_ROOT,
    env: childEnv(vars),
    encoding: 'utf8',
    timeout: 30_000, // a refused host is gone in a few seconds; one that runs is killed
    killSignal: 'SIGKILL',
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/**
 * The processes a test starts, killed when it ends. Call it first in the test: after-hooks run in order
 * and stop at the first that throws, so this one must run before the temp directories are removed.
 */
function processes(t: test.TestContext): { add(kill: () => unknown): void } {
  const kills: (() => unknown)[] = [];
  t.after(async () => {
    for (const kill of kills) await kill();
  });
  return { add: (kill) => kills.push(kill) };
}

async function startHeadless(owned: ReturnType<typeof processes>, dataDir: string): Promise<HeadlessStation> {
  const station = spawnHeadless({ dataDir, port: await freePort(), token: TEST_TOKEN, env: OFFLINE_OFD });
  owned.add(() => station.kill9());
  await station.waitReady(60_000);
  return station;
}

async function sell(station: HeadlessStation, key: string): Promise<void> {
  const r = await station.client.createReceipt(key, saleBody());
  assert.equal(r.status, 200, `${JSON.stringify(r.body)}\n${station.output()}`);
  assert.equal(r.body.status, 'printed');
}

function assertRefusedNaming(
  r: { status: number | null; output: string },
  pid: number,
  host: string,
  dataDir: string,
): void {
  assert.equal(r.status, EXIT_DATA_DIR_LOCKED, r.output);
  assert.ok(
    r.output.includes(`Another Cashier Station is already running on the data directory ${dataDir}`),
    r.output,
  );
  assert.match(r.output, new RegExp(`pid ${pid} \\(${host}\\), started at \\d{4}-\\d\\d-\\d\\dT`));
}

test('a second headless station on the same data directory is refused, naming the first, which keeps selling', async (t) => {
  const owned = processes(t);
  const dataDir = tempDir(t);
  const first = await startHeadless(owned, dataDir);
  await sell(first, 'before-second');
  const second = runToEnd('headless', {
    STATION_DATA_DIR: dataDir,
    STATION_API_PORT: String(await freePort()),
  });
  assertRefusedNaming(second, first.pid, 'headless', dataDir);
  assert.ok(first.alive(), first.output());
  await sell(first, 'after-second');
  const status = await first.client.call('GET', '/v1/kkt/buffer/status');
  assert.equal(status.body.total_receipts, 2, JSON.stringify(status.body));
  const stopped = await first.stop();
  assert.equal(stopped.code, 0, first.output());
});

test('headless and the browser host exclude each other on one data directory', async (t) => {
  const owned = processes(t);
  const dataDir = tempDir(t);
  const root = join(tempDir(t, 'renderer-'), 'r');
  mkdirSync(root);
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>test</title>');
  const webVars = (apiPort: number) => ({
    STATION_DATA_DIR: dataDir,
    STATION_API_PORT: String(apiPort),
    STATION_API_TOKEN: TEST_TOKEN,
    STATION_WEB_PORT: '0',
    STATION_WEB_ROOT: root,
  });

  // headless first: the browser host is refused
  const headless = await startHeadless(owned, dataDir);
  assertRefusedNaming(runToEnd('web', webVars(await freePort())), headless.pid, 'headless', dataDir);
  await sell(headless, 'headless-sale');
  assert.equal((await headless.stop()).code, 0, headless.output());

  // the browser host first: headless is refused, naming it
  const apiPort = await freePort();
  const web = spawn(process.execPath, [bundlePath('web')], {
    cwd: REPO_ROOT,
    env: childEnv(webVars(apiPort)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  web.stdout.on('data', (c: Buffer) => (out += c.toString()));
  web.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => web.once('exit', (code) => resolve(code)));
  owned.add(async () => {
    if (web.exitCode === null && web.signalCode === null) web.kill('SIGKILL');
    await exited;
  });
  await waitFor('the browser host to print its link', () => /^Open http/m.test(out), {
    timeoutMs: 60_000,
    detail: () => out,
  });
  assertRefusedNaming(
    runToEnd('headless', {
      STATION_DATA_DIR: dataDir,
      STATION_API_PORT: String(await freePort()),
    }),
    web.pid!,
    'browser',
    dataDir,
  );
  const status = await httpJson(`http://127.0.0.1:${apiPort}/v1/kkt/buffer/status`, {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
  });
  assert.equal(status.status, 200, 'the browser host keeps answering');
  assert.equal(status.body.total_receipts, 1, 'the sale made by headless is there');
  web.kill('SIGTERM');
  assert.equal(await exited, 0, out);
});

test('kill -9 leaves no stale lock: the next start takes the directory and finds the sale', async (t) => {
  const owned = processes(t);
  const dataDir = tempDir(t);
  const first = await startHeadless(owned, dataDir);
  await sell(first, 'before-kill');
  await first.kill9();
  const next = await startHeadless(owned, dataDir);
  const replay = await next.client.createReceipt('before-kill', saleBody());
  assert.equal(replay.status, 200, JSON.stringify(replay.body));
  assert.equal(replay.headers['idempotent-replayed'], 'true', 'the sale made before the kill is there');
  assert.equal((await next.stop()).code, 0, next.output());
});

test('in one process: the second start is refused before it opens anything; stop() lets the next one in', async (t) => {
  const owned = processes(t); // here: apps in this process, stopped before the directory goes
  const dataDir = tempDir(t);
  const config = loadConfig({ STATION_DATA_DIR: dataDir, STATION_API_PORT: '0', ...OFFLINE_OFD });
  const first = await startStationApp(config, silentLogger, { restApi: startRestApi });
  let firstStopped = false;
  owned.add(() => (firstStopped ? undefined : first.stop()));
  let kktOpened = false;
  const second = await startStationApp(config, silentLogger, {
    host: 'browser',
    restApi: startRestApi,
    get kkt() {
      kktOpened = true;
      return undefined;
    },
  }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  if (!(second instanceof Error)) {
    owned.add(() => second.stop());
    assert.fail('a second station started on the same data directory');
  }
  assert.ok(second instanceof DataDirLockedError, second.stack);
  assert.equal(second.owner?.pid, process.pid);
  assert.equal(second.owner?.host, 'headless');
  assert.ok(second.message.includes(dataDir), second.message);
  assert.equal(kktOpened, false, 'refused before choosing the KKT');
  await first.stop();
  firstStopped = true;
  const again = await startStationApp(config, silentLogger, { restApi: startRestApi });
  await again.stop();
});

test('the data directory is 0700 and its files 0600, including files an older version left readable', async (t) => {
  if (process.platform === 'win32') return t.skip('Unix modes');
  const owned = processes(t);
  const dataDir = tempDir(t);
  chmodSync(dataDir, 0o755);
  writeFileSync(join(dataDir, 'config.json'), '{"posId": "POS-1"}\n', { mode: 0o644 });
  writeFileSync(join(dataDir, 'api-token'), 'an-older-token-0123456789\n', { mode: 0o644 });
  mkdirSync(join(dataDir, 'logs'), { mode: 0o755 });
  writeFileSync(join(dataDir, 'logs', 'station.old.log'), 'old\n', { mode: 0o644 });
  const station = await startHeadless(owned, dataDir);
  await sell(station, 'private-sale');
  const modes = () =>
    [dataDir, join(dataDir, 'logs')].flatMap((dir) =>
      readdirSync(dir).map((name) => {
        const file = join(dir, name);
        return [file, statSync(file).mode & 0o777] as const;
      }),
    );
  const check = (expectedFiles: string[]) => {
    assert.equal(statSync(dataDir).mode & 0o777, 0o700, 'the data directory');
    const names = modes().map(([f]) => f.slice(dataDir.length + 1));
    for (const expected of [
      'buffer.sqlite',
      'config.json',
      'api-token',
      'logs/station.log',
      ...expectedFiles,
    ])
      assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
    for (const [file, mode] of modes()) {
      if (statSync(file).isDirectory()) assert.equal(mode, 0o700, file);
      else assert.equal(mode, 0o600, `${file} is ${mode.toString(8)}`);
    }
  };
  check(['buffer.sqlite-wal', 'buffer.sqlite-shm', 'kkt-emulator.json', 'station.owner.json']);
  assert.equal((await station.stop()).code, 0, station.output());
  check([]);
});
