// The FN → OFD relay end to end over real processes: the station drives the emulator CLI through a
// socat pseudo-terminal pair (STATION_KKT), and relays the FN's messages to the mock OFD CLI's FN port
// (`npm run ofd-mock -- --port 0 --fn-port 0`), whose faults are set over its HTTP control endpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startFixture, tempDir } from './helpers/fixture.ts';
import { linePaths, startKktLine, startProc } from './helpers/serial-line.ts';
import { bundlePath } from './helpers/bundles.ts';
import { waitFor } from './helpers/wait.ts';

test('over a socat pty: the station relays the FN documents to the mock OFD CLI, through an outage', async (t) => {
  const p = linePaths(tempDir(t, 'relay-pty-'));
  const emulator = await startKktLine(t, p);
  const ofd = startProc(process.execPath, [bundlePath('ofd-mock'), '--port', '0', '--fn-port', '0']);
  t.after(() => ofd.kill('SIGTERM'));
  await waitFor('the mock OFD ready line', () => /FN port [\d.]+:\d+/.test(ofd.output()), 20_000);
  const [, url, fnPort] = /listening on (http:\/\/[\d.:]+), FN port [\d.]+:(\d+)/.exec(ofd.output())!;
  const control = (body: unknown) =>
    fetch(`${url}/ofd/v1/_test/fn-mode`, { method: 'POST', body: JSON.stringify(body) });
  assert.equal((await control({ mode: 'refuse' })).status, 200);

  const f = await startFixture(t, {
    env: {
      STATION_KKT: p.host,
      STATION_OFD_SERVER: `127.0.0.1:${fnPort}`,
      STATION_SYNC_INTERVAL_MS: '200',
      STATION_BREAKER_THRESHOLD: '2',
      STATION_BREAKER_RESET_MS: '300',
      STATION_BACKOFF_BASE_MS: '50',
      STATION_BACKOFF_MAX_MS: '200',
    },
  });
  const unsent = async () => (await f.call('GET', '/v1/health')).body.components.kkt.unsent_count as number;
  assert.equal((await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Иванова' })).status, 200);
  await waitFor('the relay breaker to open', () => f.station.relay!.breaker.state !== 'CLOSED', {
    detail: () => JSON.stringify(f.station.relay?.snapshot()),
  });
  assert.equal((await f.sale('pty-relay-1')).status, 200, 'sales go on while the OFD is away');
  assert.equal(await unsent(), 2);

  assert.equal((await control({ mode: 'up' })).status, 200);
  await waitFor('the FN to have sent everything', async () => (await unsent()) === 0, {
    timeoutMs: 20_000,
    detail: () => JSON.stringify(f.station.relay?.snapshot()),
  });
  const received = (await (await fetch(`${url}/ofd/v1/fn/received`)).json()) as { fd_number: number }[];
  assert.deepEqual(
    received.map((m) => m.fd_number),
    [1, 2],
  );

  // The emulator CLI keeps host mode and the emptied queue in its state file.
  await f.station.stop();
  await emulator.kill('SIGTERM');
  const saved = JSON.parse(readFileSync(p.state, 'utf8')) as { unsent: number[]; ofdExchangeMode: number };
  assert.deepEqual(saved.unsent, []);
  assert.equal(saved.ofdExchangeMode, 0);
});
