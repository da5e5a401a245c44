// A station whose stdout and stderr are closed (`npm run headless | head -c 100` once head exits, a
// supervisor's log pipe gone): only the console goes quiet (src/main/core/logger.ts). The API keeps
// answering, the process does not spin, the log file stays small and SIGTERM stops it. Real processes,
// real pipes: the test closes its reading ends before the station writes a byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { saleBody, tempDir, TEST_TOKEN } from './helpers/fixture.ts';
import { bundlePath } from './helpers/bundles.ts';
import { REPO_ROOT } from './helpers/headless.ts';
import { StationClient } from './helpers/http-client.ts';
import { freePort } from './helpers/ports.ts';
import { waitFor } from './helpers/wait.ts';
import { programEnv } from './helpers/program-env.ts';

const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux
/** A spinning process burns a whole core; an idle station, a few per cent. Generous for a loaded machine. */
const MAX_CPU_SHARE = 0.35;
const MEASURE_MS = 3_000;
const MAX_LOG_BYTES = 64 * 1024;

function cpuSeconds(pid: number): number {
  // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

const hosts = [
  { name: 'headless', bundle: 'headless' as const },
  { name: 'the browser host', bundle: 'web' as const },
];

for (const host of hosts) {
  test(`${host.name} with closed stdout and stderr: API answers, no spinning, small log, clean SIGTERM`, async (t) => {
    if (process.platform !== 'linux') return t.skip('reads /proc');
    // Registered first: after-hooks run in order and stop at one that throws, and removing the data
    // directory of a station still writing its log can throw.
    let stopChild = async () => {};
    t.after(() => stopChild());
    const dataDir = tempDir(t);
    const root = join(tempDir(t, 'renderer-'), 'r');
    mkdirSync(root);
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>test</title>');
    const port = await freePort();
    const env = programEnv({
      STATION_DATA_DIR: dataDir,
      STATION_API_PORT: String(port),
      STATION_API_TOKEN: TEST_TOKEN,
      STATION_OFD_URL: 'http://127.0.0.1:9', // offline: the sync worker logs its failures too
      STATION_SYNC_INTERVAL_MS: '200',
      STATION_WEB_PORT: '0',
      STATION_WEB_ROOT: root,
    });
    const child = spawn(process.execPath, [bundlePath(host.bundle)], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Close our reading ends at once: every write the station makes to stdout/stderr meets EPIPE.
    child.stdout.destroy();
    child.stderr.destroy();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    let gone = false;
    void exited.then(() => (gone = true));
    stopChild = async () => {
      if (!gone) child.kill('SIGKILL');
      await exited;
    };
    const pid = child.pid!;
    const logFile = join(dataDir, 'logs', 'station.log');
    const logTail = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '(no log)');
    const client = new StationClient(`http://127.0.0.1:${port}`, TEST_TOKEN);

    await waitFor(
      'the station to answer',
      async () => {
        if (gone) throw new Error(`the station exited: ${JSON.stringify(await exited)}\n${logTail()}`);
        try {
          return (await client.call('GET', '/v1/kkt/buffer/status', undefined, {}, 2_000)).status === 200;
        } catch {
          return false;
        }
      },
      { timeoutMs: 60_000, intervalMs: 100, detail: logTail },
    );

    const cpu0 = cpuSeconds(pid);
    const t0 = Date.now();
    const sale = await client.createReceipt('closed-stdout-sale', saleBody());
    assert.equal(sale.status, 200, JSON.stringify(sale.body));
    let answered = 0;
    await waitFor(
      `a ${MEASURE_MS} ms window of REST requests`,
      async () => {
        const r = await client.call('GET', '/v1/kkt/buffer/status', undefined, {}, 5_000);
        assert.equal(r.status, 200);
        answered++;
        return Date.now() - t0 >= MEASURE_MS;
      },
      { timeoutMs: MEASURE_MS + 30_000, intervalMs: 100 },
    );
    const share = (cpuSeconds(pid) - cpu0) / ((Date.now() - t0) / 1000);
    assert.ok(answered >= 3, `only ${answered} answers in the window`);
    assert.ok(share < MAX_CPU_SHARE, `the station used ${Math.round(share * 100)} % of a core while idle`);

    assert.match(
      readFileSync(logFile, 'utf8'),
      /(stdout|stderr) is closed \(EPIPE\): console logging is off/,
    );
    assert.ok(statSync(logFile).size < MAX_LOG_BYTES, `the log grew to ${statSync(logFile).size} bytes`);
    assert.ok(!existsSync(join(dataDir, 'logs', 'station.old.log')), 'the log was rotated: it flooded');

    const stopAt = Date.now();
    child.kill('SIGTERM');
    await waitFor('the station to stop on SIGTERM', () => gone, { timeoutMs: 15_000, detail: logTail });
    assert.deepEqual(await exited, { code: 0, signal: null });
    assert.ok(Date.now() - stopAt < 15_000);
    assert.match(readFileSync(logFile, 'utf8'), /Stopped cleanly|Browser host stopped/);
  });
}
