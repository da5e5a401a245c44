// The station relaying its FN's documents to the OFD (STATION_OFD_SERVER, docs/kkt.md «FN → OFD
// exchange»): a real station (SQLite, in-process byte-level emulator, REST on loopback) and the mock
// OFD's FN port with its faults. Health, OpenAPI and /metrics show the relay; the OFD going down opens
// the relay's breaker while sales go on; when it is back the FN's unsent count drops to 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../src/main/core/config.ts';
import { healthSchema } from '../src/main/rest/schemas.ts';
import { snapshotView } from '../src/main/app/views.ts';
import { ru } from '../src/renderer/i18n/ru.ts';
import { startFnPortMock, type FnPortMock } from '../src/ofd-mock/fn-server.ts';
import { startOfdMock } from '../src/ofd-mock/server.ts';
import { saleBody, startFixture, tempDir, type Fixture } from './helpers/fixture.ts';
import { waitFor } from './helpers/wait.ts';

async function relayStation(
  t: Parameters<typeof startFixture>[0],
  fn: FnPortMock,
  env = {},
): Promise<Fixture> {
  return startFixture(t, {
    env: {
      STATION_OFD_SERVER: `127.0.0.1:${fn.port}`,
      STATION_SYNC_INTERVAL_MS: '200',
      STATION_BREAKER_THRESHOLD: '2',
      STATION_BREAKER_RESET_MS: '300',
      STATION_BACKOFF_BASE_MS: '50',
      STATION_BACKOFF_MAX_MS: '200',
      ...env,
    },
  });
}

const health = async (f: Fixture) => {
  const h = await f.call('GET', '/v1/health');
  return healthSchema.parse(h.body);
};

test('STATION_OFD_SERVER is validated as host:port; unset means the KKT sends by itself', async (t) => {
  const dir = tempDir(t);
  for (const [value, why] of [
    ['ofd.example.ru', /host:port/],
    ['http://ofd.example.ru:7777', /host:port/],
    ['127.0.0.1:0', /1 to 65535/],
    ['127.0.0.1:70000', /1 to 65535/],
  ] as const) {
    assert.throws(
      () => loadConfig({ STATION_DATA_DIR: dir, STATION_OFD_SERVER: value }),
      (e: Error) => e instanceof ConfigError && /STATION_OFD_SERVER/.test(e.message) && why.test(e.message),
      value,
    );
  }
  assert.equal(
    loadConfig({ STATION_DATA_DIR: dir, STATION_OFD_SERVER: ' [::1]:21101 ' }).ofdServer,
    '[::1]:21101',
  );
  assert.equal(loadConfig({ STATION_DATA_DIR: dir }).ofdServer, undefined);

  const f = await startFixture(t);
  assert.equal(f.station.relay, null);
  assert.equal((await health(f)).components.fn_relay, null);
  assert.equal(snapshotView(f.station, false).fnRelay, null, '«Состояние» shows no relay panel');
  const metrics = (await f.call('GET', '/metrics')).body as string;
  assert.match(metrics, /^station_fn_relay_enabled 0$/m);
});

test('printed documents reach the OFD through the station; unsent drops to 0 in health, metrics and the openapi', async (t) => {
  const fn = await startFnPortMock();
  t.after(() => fn.close());
  const f = await relayStation(t, fn);
  assert.equal((await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Иванова' })).status, 200);
  assert.equal((await f.sale('relay-1')).status, 200);
  assert.equal((await f.sale('relay-2')).status, 200);

  await waitFor(
    'the FN has sent everything',
    async () => (await health(f)).components.kkt.unsent_count === 0,
    {
      detail: () => JSON.stringify(f.station.relay?.snapshot()),
    },
  );
  const h = await health(f);
  const relay = h.components.fn_relay!;
  assert.equal(relay.server, `127.0.0.1:${fn.port}`);
  assert.equal(relay.host_mode, true);
  assert.equal(relay.totals.delivered, 3, 'shift opening + 2 receipts');
  assert.equal(relay.circuit_breaker.state, 'CLOSED');
  assert.notEqual(relay.last_exchange_at, null);
  assert.deepEqual(
    fn.received().map((m) => m.fd_number),
    [1, 2, 3],
  );

  const metrics = (await f.call('GET', '/metrics')).body as string;
  assert.match(metrics, /^station_fn_relay_enabled 1$/m);
  assert.match(metrics, /^station_fn_relay_documents_total\{outcome="delivered"\} 3$/m);
  assert.match(metrics, /^station_fn_relay_breaker_state\{state="CLOSED"\} 1$/m);

  const openapi = (await f.call('GET', '/openapi.json')).body as { paths: Record<string, any> };
  const text = JSON.stringify(openapi.paths['/v1/health']);
  for (const field of ['fn_relay', 'host_mode', 'last_exchange_at', 'kkt_errors', 'unsent_count'])
    assert.ok(text.includes(`"${field}"`), `/v1/health documents ${field}`);
});

test('a shift report goes to the OFD at once, not on the next interval', async (t) => {
  const fn = await startFnPortMock();
  t.after(() => fn.close());
  const f = await relayStation(t, fn, { STATION_SYNC_INTERVAL_MS: '600000' });
  await waitFor('the first relay run', () => f.station.relay!.snapshot().lastRunAt !== null);
  assert.equal((await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Иванова' })).status, 200);
  await waitFor('the shift-open report delivered', () => fn.received().length === 1, {
    detail: () => JSON.stringify(f.station.relay?.snapshot()),
  });
  assert.equal(fn.received()[0]!.document_type, 2);
});

test('OFD down: the relay breaker opens, health is degraded, sales go on; OFD back: everything is delivered', async (t) => {
  const fn = await startFnPortMock();
  t.after(() => fn.close());
  await fn.setMode('refuse');
  const f = await relayStation(t, fn);
  assert.equal((await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Петров' })).status, 200);
  await waitFor('the relay breaker to open', () => f.station.relay!.breaker.state !== 'CLOSED', {
    detail: () => JSON.stringify(f.station.relay?.snapshot()),
  });
  let h = await health(f);
  assert.equal(h.status, 'degraded');
  assert.match(h.components.fn_relay!.last_error ?? '', /connection refused/);
  const server = `127.0.0.1:${fn.port}`;
  assert.deepEqual(h.components.fn_relay!.last_error_why, {
    code: 'ofd_unreachable',
    params: { server, error: 'ECONNREFUSED' },
  });
  // «Состояние» words it for the shop; the English message is the tooltip.
  const panel = snapshotView(f.station, false).fnRelay!;
  assert.equal(panel.server, server);
  assert.equal(panel.lastError, h.components.fn_relay!.last_error);
  assert.equal(
    ru.fnRelayFailureText(panel.lastErrorWhy!),
    `Сервер ОФД ${server} недоступен (ECONNREFUSED). Проверьте интернет и адрес сервера ОФД; документы ждут в ФН`,
  );
  for (let i = 0; i < 3; i++) {
    const sale = await f.sale(`down-${i}`);
    assert.equal(sale.status, 200, 'a sale never waits for the OFD');
  }
  assert.equal((await health(f)).components.kkt.unsent_count, 4);

  await fn.setMode('up');
  await waitFor('the backlog delivered', async () => (await health(f)).components.kkt.unsent_count === 0, {
    timeoutMs: 15_000,
    detail: () => JSON.stringify(f.station.relay?.snapshot()),
  });
  h = await health(f);
  assert.equal(h.components.fn_relay!.circuit_breaker.state, 'CLOSED');
  assert.equal(h.components.fn_relay!.totals.delivered, 4);
  assert.equal(h.components.fn_relay!.last_error_why, null);
  assert.equal(snapshotView(f.station, false).fnRelay!.lastErrorWhy, null);
  assert.deepEqual(
    fn.received().map((m) => m.fd_number),
    [1, 2, 3, 4],
  );
});

test("the mock's control endpoints set the FN port's faults and report it", async (t) => {
  const fn = await startFnPortMock();
  const ofd = await startOfdMock({ fnPort: fn });
  t.after(async () => {
    await ofd.close();
    await fn.close();
  });
  const post = (body: unknown) =>
    fetch(`${ofd.url}/ofd/v1/_test/fn-mode`, { method: 'POST', body: JSON.stringify(body) });
  let res = await post({ mode: 'garbage', count: 2 });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    port: fn.port,
    mode: 'garbage',
    remaining: 2,
    connections: 0,
    receipts_sent: 0,
    bad_messages: 0,
    injected_failures: 0,
  });
  for (const bad of [{ mode: 'down' }, { mode: 'hang', count: -1 }, { mode: 'up', extra: 1 }, []]) {
    res = await post(bad);
    assert.equal(res.status, 400, JSON.stringify(bad));
    assert.equal(((await res.json()) as { status: string }).status, 'error');
  }
  res = await fetch(`${ofd.url}/ofd/v1/fn/health`);
  assert.equal(((await res.json()) as { mode: string }).mode, 'garbage', 'a refused setup changes nothing');
  assert.equal((await post({ mode: 'refuse' })).status, 200);
  await assert.rejects(
    new Promise((resolve, reject) => {
      import('node:net').then(({ connect }) => {
        const s = connect({ host: '127.0.0.1', port: fn.port }, () => resolve(s.destroy()));
        s.on('error', reject);
      }, reject);
    }),
    /ECONNREFUSED/,
  );
  assert.equal((await post({ mode: 'up' })).status, 200);
  assert.deepEqual(await (await fetch(`${ofd.url}/ofd/v1/fn/received`)).json(), []);
});

test('a sale is printed while the relay waits on a hanging OFD', async (t) => {
  const fn = await startFnPortMock();
  t.after(() => fn.close());
  await fn.setMode('hang');
  const f = await relayStation(t, fn, { STATION_OFD_TIMEOUT_MS: '5000' });
  assert.equal((await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Сидорова' })).status, 200);
  await waitFor('the relay to hang on the OFD', () => fn.health().injected_failures >= 1);
  const sale = await f.sale('while-hung', saleBody());
  assert.equal(sale.status, 200);
  assert.equal(f.station.relay!.snapshot().running, true, 'the relay was still waiting for the OFD');
});
