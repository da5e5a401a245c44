// The station over the in-process byte-level emulator: the tax system in use (configured, or the only
// registered one) reaches every receipt's FF45h; a configured system the KKT is not registered for keeps
// the station up but unhealthy and refuses sales (409 tax_system_mismatch, nothing stored or printed);
// the FN's validity date, its warning flags and the age of its oldest unsent document make /v1/health
// degraded or unhealthy at the documented thresholds and show in /metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openEmulatedKkt } from '../src/main/app/open-kkt.ts';
import type { KktEmulator } from '../src/kkt-emulator/emulator.ts';
import type { TaxSystem } from '../src/shared/tax-systems.ts';
import { saleBody, startFixture } from './helpers/fixture.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The local calendar date `days` from now, YYYY-MM-DD. */
function dateIn(days: number): string {
  const d = new Date(Date.now() + days * DAY_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function station(
  t: Parameters<typeof startFixture>[0],
  o: { taxSystem?: TaxSystem; taxSystems?: number; fnExpiresOn?: string; behindMs?: () => number } = {},
) {
  let emulator: KktEmulator | undefined;
  const f = await startFixture(t, {
    startWorker: false,
    kkt: async (dataDir) => {
      const opened = await openEmulatedKkt({
        dataDir,
        driver: { taxSystem: o.taxSystem ?? null },
        emulator: {
          registration: { taxSystems: o.taxSystems, fnExpiresOn: o.fnExpiresOn },
          clock: () => new Date(Date.now() - (o.behindMs?.() ?? 0)),
        },
      });
      emulator = opened.emulator;
      return opened.kkt;
    },
  });
  return { f, emulator: emulator! };
}

test('a configured tax system the KKT is not registered for: the station starts, is unhealthy, refuses sales naming both', async (t) => {
  const { f, emulator } = await station(t, { taxSystem: 'osn', taxSystems: 0x02 | 0x20 });
  const h = await f.call('GET', '/v1/health');
  assert.equal(h.status, 503);
  assert.equal(h.body.status, 'unhealthy');
  const kkt = h.body.components.kkt;
  assert.equal(kkt.status, 'error');
  assert.deepEqual(kkt.tax_systems, ['usn_income', 'patent']);
  assert.equal(kkt.tax_system, null);
  assert.equal(kkt.configured_tax_system, 'osn');
  assert.equal(kkt.tax_system_problem, 'mismatch');
  assert.ok(kkt.problems.includes('tax_system_mismatch'), kkt.problems);

  const sale = await f.sale('tax-1');
  assert.equal(sale.status, 409);
  assert.equal(sale.body.error, 'tax_system_mismatch');
  assert.match(sale.body.message, /osn.*usn_income, patent/);
  assert.deepEqual(sale.body.details, {
    configured_tax_system: 'osn',
    registered_tax_systems: ['usn_income', 'patent'],
  });
  assert.equal((await f.call('GET', '/v1/kkt/buffer/status')).body.total_receipts, 0, 'nothing stored');
  assert.equal(emulator.archive.filter((d) => d.type === 3).length, 0, 'nothing printed');
  const metrics = (await f.call('GET', '/metrics')).body as string;
  assert.equal(sample(metrics, 'station_kkt_tax_system_ok'), 0);
});

test('the configured system, when registered, is the one every receipt carries; the only registered one is the default', async (t) => {
  const a = await station(t, { taxSystem: 'patent', taxSystems: 0x02 | 0x20 });
  assert.equal((await a.f.sale('patent-1')).status, 200);
  assert.equal(a.emulator.archive.at(-1)?.taxSystem, 0x20);
  const h = (await a.f.call('GET', '/v1/health')).body;
  assert.equal(h.components.kkt.tax_system, 'patent');
  assert.equal(h.components.kkt.ffd_version, '1.2');
  const metrics = (await a.f.call('GET', '/metrics')).body as string;
  assert.equal(sample(metrics, 'station_kkt_tax_system_ok'), 1);
  assert.match(
    metrics,
    /^station_kkt_registration_info\{tax_systems="usn_income,patent",tax_system="patent",ffd_version="1.2"\} 1$/m,
  );

  const b = await station(t, { taxSystems: 0x04 });
  assert.equal((await b.f.sale('usn-1', saleBody())).status, 200);
  assert.equal(b.emulator.archive.at(-1)?.taxSystem, 0x04);
  assert.equal((await b.f.call('GET', '/v1/health')).body.components.kkt.tax_system, 'usn_income_expense');
});

test('FN validity: degraded 30 days before, unhealthy 3 days before; warning flags and seconds to expiry in /metrics', async (t) => {
  const cases = [
    { days: 60, health: 'healthy', kkt: 'ok', flags: [] as string[], problem: null },
    { days: 20, health: 'degraded', kkt: 'warning', flags: ['replace_soon'], problem: 'fn_expiring' },
    {
      days: 2,
      health: 'unhealthy',
      kkt: 'error',
      flags: ['replace_urgent', 'replace_soon'],
      problem: 'fn_expiry_imminent',
    },
  ];
  for (const c of cases) {
    const { f } = await station(t, { fnExpiresOn: dateIn(c.days) });
    const h = (await f.call('GET', '/v1/health')).body;
    assert.equal(h.status, c.health, `${c.days} days: ${JSON.stringify(h.components.kkt)}`);
    const kkt = h.components.kkt;
    assert.equal(kkt.status, c.kkt);
    assert.equal(kkt.fn_expires_at, dateIn(c.days));
    assert.deepEqual(kkt.fn_warnings, c.flags);
    if (c.problem) assert.ok(kkt.problems.includes(c.problem), kkt.problems);
    assert.ok(Math.abs(kkt.fn_health.days_to_expiry - c.days) <= 1, String(kkt.fn_health.days_to_expiry));
    const metrics = (await f.call('GET', '/metrics')).body as string;
    const left = sample(metrics, 'station_fn_expires_in_seconds')!;
    assert.ok(Math.abs(left - c.days * 86_400) <= 86_400, `${left} s`);
    for (const flag of ['replace_urgent', 'replace_soon', 'memory_almost_full', 'ofd_timeout'])
      assert.equal(sample(metrics, 'station_fn_warning', `{flag="${flag}"}`), c.flags.includes(flag) ? 1 : 0);
    await f.station.stop();
  }
});

test("the FN's oldest unsent document: degraded at 5 days, unhealthy at 25; the memory and OFD flags degrade", async (t) => {
  let behind = 6 * DAY_MS;
  const { f, emulator } = await station(t, { behindMs: () => behind });
  assert.equal((await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Иванова' })).status, 200);
  assert.equal((await f.call('POST', '/v1/kkt/shift/close', { cashier_name: 'Иванова' })).status, 200);
  behind = 0;
  let h = (await f.call('GET', '/v1/health')).body;
  assert.equal(h.status, 'degraded');
  assert.equal(h.components.kkt.fn_health.unsent_days, 6);
  assert.ok(h.components.kkt.problems.includes('fn_unsent_old'));

  emulator.deliverToOfd();
  emulator.setFnWarning('memory_almost_full', true);
  h = (await f.call('GET', '/v1/health')).body;
  assert.equal(h.status, 'degraded');
  assert.deepEqual(h.components.kkt.fn_warnings, ['memory_almost_full']);
  emulator.setFnWarning('memory_almost_full', false);
  assert.equal((await f.call('GET', '/v1/health')).body.status, 'healthy');

  behind = 26 * DAY_MS;
  assert.equal((await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Петров' })).status, 200);
  assert.equal((await f.call('POST', '/v1/kkt/shift/close', { cashier_name: 'Петров' })).status, 200);
  behind = 0;
  h = (await f.call('GET', '/v1/health')).body;
  assert.equal(h.status, 'unhealthy');
  assert.ok(h.components.kkt.problems.includes('fn_unsent_critical'), h.components.kkt.problems);
});
