// The fleet's view of a till (docs/fleet.md): a real /metrics scrape passes `promtool check metrics`
// and exports every station_* name the alert rules, their unit tests and the Grafana dashboard use (one
// list of names, src/main/rest/metrics.ts); the ages the alerts test come from the right clocks (the
// outage's first opening, the KKT's shift and FN documents); a KKT that stops answering shows as such;
// every alert has a firing and a quiet case in ops/prometheus/alerts.test.yml; the dashboard's queries
// parse as PromQL and follow the store/till selection; the example Prometheus configuration is valid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEmulatedKkt } from '../src/main/app/open-kkt.ts';
import type { KktEmulator } from '../src/kkt-emulator/emulator.ts';
import { startFixture, tempDir, type Fixture } from './helpers/fixture.ts';
import { bundlePath } from './helpers/bundles.ts';
import { waitFor } from './helpers/wait.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ALERTS = join(ROOT, 'ops/prometheus/alerts.yml');
const ALERT_TESTS = join(ROOT, 'ops/prometheus/alerts.test.yml');
const DASHBOARD = join(ROOT, 'ops/grafana/cashier-station.json');
const DAY_S = 86_400;

/** Runs promtool (Debian's prometheus package; scripts/test.mjs installs it) and fails with its output. */
function promtool(args: string[], input?: string): string {
  const r = spawnSync('promtool', args, { input, encoding: 'utf8' });
  if (r.error) throw new Error(`promtool did not run (${r.error.message}): apt-get install prometheus`);
  const out = `${r.stdout}${r.stderr}`;
  assert.equal(r.status, 0, `promtool ${args.join(' ')} failed:\n${out}`);
  return out;
}

async function scrape(f: Fixture): Promise<string> {
  const res = await f.call('GET', '/metrics');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return res.body as string;
}

/** The one sample of an unlabelled metric (or of the given label set). */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  assert.ok(line, `${name}${labels} is missing from /metrics:\n${text}`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

const stationNames = (text: string) => new Set(text.match(/\bstation_[a-z_]+\b/g) ?? []);

test('a scrape of a troubled till passes promtool and has every metric the alerts and the dashboard use', async (t) => {
  const f = await startFixture(t, {
    env: {
      STATION_SYNC_INTERVAL_MS: '100',
      STATION_BACKOFF_BASE_MS: '20',
      STATION_BACKOFF_MAX_MS: '100',
      STATION_SYNC_CONCURRENCY: '1',
      STATION_BREAKER_THRESHOLD: '2',
      STATION_BREAKER_RESET_MS: '150',
      STATION_MAX_ATTEMPTS: '10000',
    },
  });
  // A permanent rejection: one dead letter.
  f.ofd.setMode({ mode: 'fail_next', count: 1, status: 422 });
  assert.equal((await f.sale('fleet-dead')).status, 200);
  await waitFor('the dead letter', () => f.station.store.dlqSize() === 1);
  // Then the OFD goes away: the breaker opens, and opens again after each failed half-open trial.
  f.ofd.setMode({ mode: 'down' });
  for (const key of ['fleet-1', 'fleet-2']) assert.equal((await f.sale(key)).status, 200);
  await waitFor('the breaker to open', () => f.station.breaker.state === 'OPEN');
  const firstOpenedAt = Date.parse(f.station.breaker.snapshot().openedAt!);
  await waitFor('the breaker to open again after a failed trial', () => {
    const b = f.station.breaker.snapshot();
    return b.state === 'OPEN' && Date.parse(b.openedAt!) > firstOpenedAt;
  });

  const before = Date.now();
  const text = await scrape(f);
  promtool(['check', 'metrics'], text);
  assert.equal(sample(text, 'station_dlq_size'), 1);
  assert.equal(sample(text, 'station_breaker_state', '{state="OPEN"}'), 1);
  assert.ok(
    sample(text, 'station_breaker_open_seconds') * 1000 >= before - firstOpenedAt - 5,
    'the outage counts from its first opening, not from the last failed trial',
  );
  assert.equal(sample(text, 'station_receipts_printed_total', '{type="sale"}'), 3);
  assert.ok(sample(text, 'station_oldest_pending_age_seconds') > 0);
  assert.equal(sample(text, 'station_kkt_connected'), 1);
  assert.match(text, /^station_info\{pos_id="POS-1",kkt_emulated="1",node_version="[^"]+"\} 1$/m);

  const exported = new Set(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(/[{ ]/)[0]!),
  );
  for (const file of [ALERTS, ALERT_TESTS, DASHBOARD])
    for (const name of stationNames(readFileSync(file, 'utf8')))
      assert.ok(exported.has(name), `${file} uses ${name}, which /metrics does not export`);

  f.ofd.setMode({ mode: 'up' });
  await waitFor('the breaker to close', () => f.station.breaker.state === 'CLOSED', 15_000);
  assert.equal(sample(await scrape(f), 'station_breaker_open_seconds'), 0);
});

test("shift age and the FN's oldest unsent document are read from the KKT's clock", async (t) => {
  let behindMs = 6 * DAY_S * 1000;
  let emulator: KktEmulator | undefined;
  const f = await startFixture(t, {
    startWorker: false,
    kkt: async (dataDir) => {
      const opened = await openEmulatedKkt({
        dataDir,
        emulator: { clock: () => new Date(Date.now() - behindMs) },
      });
      emulator = opened.emulator;
      return opened.kkt;
    },
  });
  // Six days ago: a shift opened and closed; the FN has not delivered its documents since.
  assert.equal((await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Иванова' })).status, 200);
  assert.equal((await f.call('POST', '/v1/kkt/shift/close', { cashier_name: 'Иванова' })).status, 200);
  // 23 h 30 min ago: the shift still open now.
  behindMs = 23.5 * 3600 * 1000;
  assert.equal((await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Петров' })).status, 200);
  behindMs = 0;
  await f.call('GET', '/v1/health'); // the station asks the KKT for its status

  let text = await scrape(f);
  promtool(['check', 'metrics'], text);
  assert.equal(sample(text, 'station_kkt_connected'), 1);
  assert.equal(sample(text, 'station_shift_open'), 1);
  const near = (value: number, expected: number, what: string) =>
    assert.ok(Math.abs(value - expected) < 120, `${what}: ${value} s, expected about ${expected} s`);
  near(sample(text, 'station_shift_age_seconds'), 23.5 * 3600, 'shift age');
  assert.equal(sample(text, 'station_fn_unsent_documents'), 3, 'open, close, open');
  near(sample(text, 'station_fn_oldest_unsent_age_seconds'), 6 * DAY_S, 'oldest unsent FN document');

  // The KKT delivers to the OFD, the manager closes the shift: nothing left to alert on.
  assert.equal(emulator!.deliverToOfd(), 3);
  assert.equal((await f.call('POST', '/v1/kkt/shift/close', { cashier_name: 'Петров' })).status, 200);
  emulator!.deliverToOfd();
  await f.call('GET', '/v1/health');
  text = await scrape(f);
  assert.equal(sample(text, 'station_shift_open'), 0);
  assert.equal(sample(text, 'station_shift_age_seconds'), 0);
  assert.equal(sample(text, 'station_fn_unsent_documents'), 0);
  assert.equal(sample(text, 'station_fn_oldest_unsent_age_seconds'), 0);
});

function run(t: { after(fn: () => unknown): void }, cmd: string, args: string[]) {
  const child: ChildProcess = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  });
  return { child, exited, output: () => out };
}

test('a KKT that stops answering on its serial line shows as disconnected, and as connected once it is back', async (t) => {
  const dir = tempDir(t, 'fleet-pty-');
  const [host, device, state] = [join(dir, 'kkt-host'), join(dir, 'kkt-device'), join(dir, 'emulator.json')];
  run(t, 'socat', ['-d', '-d', `pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${device}`]);
  await waitFor('the pty pair', () => existsSync(host) && existsSync(device));
  const startEmulator = async () => {
    const e = run(t, process.execPath, [bundlePath('kkt-emulator'), '--port', device, '--state', state]);
    await waitFor('the emulator ready line', () => e.output().includes('ready'), 20_000);
    return e;
  };
  const emulator = await startEmulator();
  const f = await startFixture(t, { startWorker: false, env: { STATION_KKT: host } });
  const connected = async () => {
    await f.call('GET', '/v1/health'); // a status probe, as the 15 s poll makes
    return sample(await scrape(f), 'station_kkt_connected');
  };
  assert.equal(await connected(), 1);
  emulator.child.kill('SIGKILL'); // the KKT is switched off: nothing answers on the line any more
  await emulator.exited;
  await waitFor('the KKT to show as disconnected', async () => (await connected()) === 0, 60_000);

  await startEmulator();
  await waitFor('the KKT to show as connected again', async () => (await connected()) === 1, 60_000);
});

test('every alert has a case where it fires and one where it stays quiet, and the rules pass promtool', () => {
  const alerts = [...readFileSync(ALERTS, 'utf8').matchAll(/^\s*- alert: (\S+)$/gm)].map((m) => m[1]!);
  assert.ok(alerts.length >= 8, `alerts found: ${alerts.join(', ')}`);
  const cases = [
    ...readFileSync(ALERT_TESTS, 'utf8').matchAll(/alertname: (\S+)\s*\n\s*exp_alerts:\s*(\[\])?/g),
  ].map((m) => ({ alert: m[1]!, fires: m[2] === undefined }));
  for (const alert of alerts) {
    assert.ok(
      cases.some((c) => c.alert === alert && c.fires),
      `${alert} has no firing case in alerts.test.yml`,
    );
    assert.ok(
      cases.some((c) => c.alert === alert && !c.fires),
      `${alert} has no quiet case in alerts.test.yml`,
    );
  }
  promtool(['check', 'rules', ALERTS]);
  promtool(['test', 'rules', ALERT_TESTS]);
});

test('the dashboard selects by store and till, and each of its queries is valid PromQL', (t) => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    templating: { list: { name: string; query?: unknown }[] };
    panels: { title: string; type: string; targets?: { expr: string }[] }[];
  };
  const variables = dashboard.templating.list.map((v) => v.name);
  for (const name of ['datasource', 'store', 'till']) assert.ok(variables.includes(name), name);
  const exprs = dashboard.panels.flatMap((p) =>
    (p.targets ?? []).map((q) => ({ panel: p.title, expr: q.expr })),
  );
  assert.ok(exprs.length >= 15);
  for (const { panel, expr } of exprs)
    for (const selector of ['job="cashier-station"', 'store=~"$store"', 'till=~"$till"'])
      assert.ok(expr.includes(selector), `panel «${panel}» ignores ${selector}: ${expr}`);
  // promtool parses PromQL in rule files: each query becomes a recording rule, Grafana's variables
  // replaced by what Grafana would send.
  const rules = [
    'groups:',
    '  - name: dashboard',
    '    rules:',
    ...exprs.flatMap(({ expr }, i) => [
      `      - record: dashboard:query_${i}`,
      `        expr: ${JSON.stringify(expr.replaceAll('$__rate_interval', '5m').replace(/\$(store|till)/g, '.*'))}`,
    ]),
  ].join('\n');
  const file = join(tempDir(t, 'fleet-dashboard-'), 'dashboard-queries.yml');
  writeFileSync(file, `${rules}\n`);
  promtool(['check', 'rules', file]);
});

test('the example scrape job, its till list and the rules pass promtool check config', (t) => {
  // Laid out as docs/fleet.md says: /etc/prometheus/{prometheus.yml, alerts.yml, cashier-station.token,
  // cashier-stations/*.json}. promtool also reads the file_sd lists and the rule files.
  const dir = tempDir(t, 'fleet-prometheus-');
  const ops = join(ROOT, 'ops/prometheus');
  copyFileSync(join(ops, 'prometheus.example.yml'), join(dir, 'prometheus.yml'));
  copyFileSync(ALERTS, join(dir, 'alerts.yml'));
  writeFileSync(join(dir, 'cashier-station.token'), 'test-token-0123456789abcdef\n', { mode: 0o640 });
  mkdirSync(join(dir, 'cashier-stations'));
  copyFileSync(join(ops, 'cashier-stations.example.json'), join(dir, 'cashier-stations', 'msk-001.json'));
  const out = promtool(['check', 'config', join(dir, 'prometheus.yml')]);
  const rules = readFileSync(ALERTS, 'utf8').match(/^\s*- alert: /gm)?.length ?? 0;
  assert.match(out, new RegExp(`SUCCESS: ${rules} rules found`));
  const tills = JSON.parse(readFileSync(join(ops, 'cashier-stations.example.json'), 'utf8')) as {
    labels: Record<string, string>;
  }[];
  for (const group of tills) assert.ok(group.labels.store && group.labels.till, JSON.stringify(group));
});
