// The emulator as a device other hosts use, over a real socat pseudo-terminal pair with the emulator CLI:
// an independent Python host (tests/helpers/independent-host.py, parsing as pyshtrih does) identifies it
// with FCh and reads 10h/11h/FF01h/FF03h; the CLI's --tax-systems and --fn-expires register it; the
// station reads the registration and the FN's health through the line, refuses a tax system the device
// is not registered for, and sells under the configured one; the unsent documents' dates survive in the
// state file. Bad CLI values stop the emulator with the value and the allowed ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMULATOR_STATE_FILE, openEmulatedKkt } from '../../src/main/app/open-kkt.ts';
import { startFixture, tempDir } from '../helpers/fixture.ts';
import { bundlePath } from '../helpers/bundles.ts';
import { waitFor } from '../helpers/wait.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DAY_MS = 24 * 60 * 60 * 1000;

function dateIn(days: number): string {
  const d = new Date(Date.now() + days * DAY_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function run(t: { after(fn: () => unknown): void }, cmd: string, args: string[]) {
  const child: ChildProcess = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  });
  return { child, exited, output: () => out };
}

test(
  'an independent host and the station use the emulator CLI registered with --tax-systems and --fn-expires',
  { timeout: 120_000 },
  async (t) => {
    const dir = tempDir(t, 'kkt-reg-pty-');
    const [host, device] = [join(dir, 'kkt-host'), join(dir, 'kkt-device')];
    const state = join(dir, EMULATOR_STATE_FILE);
    // Seven days ago the device opened and closed a shift; the OFD never acknowledged either document.
    const seeded = await openEmulatedKkt({
      dataDir: dir,
      emulator: { clock: () => new Date(Date.now() - 7 * DAY_MS) },
    });
    await seeded.kkt.openShift('Иванова');
    await seeded.kkt.closeShift('Иванова');
    await seeded.kkt.close();

    run(t, 'socat', ['-d', '-d', `pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${device}`]);
    await waitFor('the pty pair', () => existsSync(host) && existsSync(device));
    const expires = dateIn(20);
    const emulator = run(t, process.execPath, [
      bundlePath('kkt-emulator'),
      '--port',
      device,
      '--state',
      state,
      '--tax-systems',
      'usn_income,patent',
      '--fn-expires',
      expires,
    ]);
    await waitFor('the emulator ready line', () => emulator.output().includes('ready'), 20_000);
    assert.match(emulator.output(), new RegExp(`valid to ${expires}, tax systems usn_income,patent`));

    // An independent host, as pyshtrih connects: FCh without a password, then 10h and 11h fully parsed.
    const py = spawnSync('python3', [join(ROOT, 'tests/helpers/independent-host.py'), host], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(py.status, 0, `the independent host failed:\n${py.stderr}${py.stdout}`);
    const seen = JSON.parse(py.stdout) as Record<string, any>;
    assert.deepEqual(seen.fc, {
      type: 0,
      subtype: 0,
      protocol: '1.14',
      model: 250,
      language: 0,
      name: 'ШТРИХ-М-01Ф ЭМУЛЯТОР',
    });
    assert.equal(seen.full.flags, seen.short_flags, '10h and 11h send the same flags word');
    assert.notEqual(seen.full.flags, 0);
    assert.equal(seen.full.firmware_date, '2026-01-01');
    assert.equal(seen.full.date, dateIn(0));
    assert.equal(seen.full.last_shift, 1);
    assert.equal(seen.fn.warnings, 0x02, 'replacement within 30 days');
    assert.equal(seen.fn.last_fd, 2);
    assert.equal(seen.fn_expires, expires);
    assert.equal(seen.legacy_sale_error, 0x37, '80h: not supported in FFD 1.2');

    // A station configured for ОСН, which this KKT is not registered for: up, unhealthy, no sales.
    const wrong = await startFixture(t, {
      startWorker: false,
      env: { STATION_KKT: host, STATION_TAX_SYSTEM: 'osn' },
    });
    const bad = await wrong.call('GET', '/v1/health');
    assert.equal(bad.status, 503);
    assert.equal(bad.body.components.kkt.tax_system_problem, 'mismatch');
    const refused = await wrong.sale('pty-osn');
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error, 'tax_system_mismatch');
    await wrong.api.close();
    await wrong.station.stop();

    // Configured ПСН: the registration, the FN's date and flags, the 7-day-old unsent document; a sale.
    const f = await startFixture(t, {
      startWorker: false,
      env: { STATION_KKT: host, STATION_TAX_SYSTEM: 'patent' },
    });
    // A new buffer next to a KKT with documents (the seeded shift) waits for a manager's word first.
    const ack = await f.call('POST', '/v1/kkt/buffer/acknowledge-loss', { acknowledged_by: 'test' });
    assert.equal(ack.status, 200, JSON.stringify(ack.body));
    const h = await f.call('GET', '/v1/health');
    const kkt = h.body.components.kkt;
    assert.equal(h.body.status, 'degraded', JSON.stringify(kkt));
    assert.deepEqual(kkt.tax_systems, ['usn_income', 'patent']);
    assert.equal(kkt.tax_system, 'patent');
    assert.equal(kkt.fn_expires_at, expires);
    assert.deepEqual(kkt.fn_warnings, ['replace_soon']);
    assert.equal(kkt.fn_health.unsent_days, 7);
    for (const p of ['fn_expiring', 'fn_unsent_old', 'replace_soon']) assert.ok(kkt.problems.includes(p), p);
    const sale = await f.sale('pty-patent');
    assert.equal(sale.status, 200, JSON.stringify(sale.body));
    await f.api.close();
    await f.station.stop();
    emulator.child.kill('SIGTERM');
    await emulator.exited;
    const saved = JSON.parse(readFileSync(state, 'utf8')) as {
      identity: { taxSystems: number; fnExpiresOn: string };
      archive: { type: number; taxSystem?: number; datetime: string; fd: number }[];
      unsent: number[];
    };
    assert.equal(saved.identity.taxSystems, 0x22);
    assert.equal(saved.identity.fnExpiresOn, expires);
    assert.equal(saved.archive.at(-1)?.taxSystem, 0x20);
    assert.equal(saved.unsent[0], 1);
    assert.ok(saved.archive[0]!.datetime.startsWith(dateIn(-7)), saved.archive[0]!.datetime);
  },
);

test('bad --tax-systems or --fn-expires: the emulator stops with exit code 2, naming the value and the allowed ones', async (t) => {
  for (const [args, message] of [
    [
      ['--tax-systems', 'osn,envd'],
      /--tax-systems: unknown tax system "envd"; allowed: osn, usn_income, usn_income_expense, esn, patent/,
    ],
    [['--fn-expires', '2026-13-01'], /--fn-expires: "2026-13-01" is not a date YYYY-MM-DD/],
  ] as const) {
    const e = run(t, process.execPath, [bundlePath('kkt-emulator'), '--port', '/dev/null', ...args]);
    assert.equal(await e.exited, 2, e.output());
    assert.match(e.output(), message);
  }
});
