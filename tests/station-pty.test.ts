// End to end over a real serial line: the station (STATION_KKT = one end of a socat pseudo-terminal
// pair) drives the emulator CLI on the other end, as a store would drive a Shtrih-M KKT on /dev/ttyUSB0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saleBody, startFixture, tempDir } from './helpers/fixture.ts';
import { waitFor } from './helpers/wait.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function run(
  t: { after(fn: () => unknown): void },
  cmd: string,
  args: string[],
): { child: ChildProcess; output: () => string } {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  return { child, output: () => out };
}

test('the station opens a shift, prints once and reports through a socat pseudo-terminal to the emulator CLI', async (t) => {
  const dir = tempDir(t, 'station-pty-');
  const [host, device, state] = [join(dir, 'kkt-host'), join(dir, 'kkt-device'), join(dir, 'emulator.json')];
  run(t, 'socat', ['-d', '-d', `pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${device}`]);
  await waitFor('the pty pair', () => existsSync(host) && existsSync(device));
  const emulator = run(t, process.execPath, [
    '--import',
    'tsx',
    'src/kkt-emulator/cli.ts',
    '--port',
    device,
    '--state',
    state,
  ]);
  await waitFor('the emulator ready line', () => emulator.output().includes('ready'), 20_000);

  const f = await startFixture(t, {
    startWorker: false,
    env: { STATION_KKT: host, STATION_KKT_BAUD: '115200' },
  });
  assert.equal(
    f.station.kkt.emulated,
    false,
    'over a serial line the station cannot tell: it treats it as a device',
  );
  assert.equal((await f.call('POST', '/v1/kkt/shift/open', { cashier_name: 'Иванова' })).status, 200);
  const sale = await f.sale('pty-1', saleBody({ payments: [{ type: 'card', amount: 180.99 }] }));
  assert.equal(sale.status, 200, JSON.stringify(sale.body));
  const replay = await f.sale('pty-1', saleBody({ payments: [{ type: 'card', amount: 180.99 }] }));
  assert.equal(replay.body.fiscal_doc.fiscal_doc_number, sale.body.fiscal_doc.fiscal_doc_number);
  const x = await f.call('POST', '/v1/kkt/report/x');
  assert.equal(x.body.device.sales.card, 180.99);
  assert.equal(x.body.station.sales.card, 180.99);
  const health = await f.call('GET', '/v1/health');
  assert.equal(health.body.components.kkt.status, 'ok');

  // The device's own archive (the emulator's durable state) holds exactly one receipt.
  await f.station.stop();
  emulator.child.kill('SIGTERM');
  await waitFor('the emulator to exit', () => emulator.child.exitCode !== null);
  const archive = (JSON.parse(readFileSync(state, 'utf8')) as { archive: { type: number; fd: number }[] })
    .archive;
  assert.deepEqual(
    archive.filter((d) => d.type === 3).map((d) => d.fd),
    [sale.body.fiscal_doc.fiscal_doc_number],
  );
});

test('FFD 1.2 over the pty: a weighed line (2108), the shift cashier with INN (1021/1203), a correction receipt', async (t) => {
  const dir = tempDir(t, 'station-pty-ffd12-');
  const [host, device, state] = [join(dir, 'kkt-host'), join(dir, 'kkt-device'), join(dir, 'emulator.json')];
  run(t, 'socat', ['-d', '-d', `pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${device}`]);
  await waitFor('the pty pair', () => existsSync(host) && existsSync(device));
  const emulator = run(t, process.execPath, [
    '--import',
    'tsx',
    'src/kkt-emulator/cli.ts',
    '--port',
    device,
    '--state',
    state,
  ]);
  await waitFor('the emulator ready line', () => emulator.output().includes('ready'), 20_000);
  const f = await startFixture(t, { startWorker: false, env: { STATION_KKT: host } });
  const open = await f.call('POST', '/v1/kkt/shift/open', {
    cashier_name: 'Иванова',
    cashier_inn: '500100732259',
  });
  assert.equal(open.status, 200, JSON.stringify(open.body));
  const sale = await f.sale(
    'pty-kg',
    saleBody({
      items: [{ name: 'Яблоки', price: 199.9, quantity: 0.255, total: 50.97, vat_rate: 10, measure: 'кг' }],
      payments: [{ type: 'other', amount: 50.97 }],
    }),
  );
  assert.equal(sale.status, 200, JSON.stringify(sale.body));
  const correction = await f.call(
    'POST',
    '/v1/kkt/correction',
    {
      pos_id: 'POS-1',
      operation: 'refund',
      correction_type: 'order',
      reason_document: { date: '2026-01-27', number: 'ПР-9' },
      items: [{ name: 'Хлеб', price: 45, quantity: 1, total: 45, vat_rate: 10 }],
      payments: [{ type: 'card', amount: 45 }],
    },
    { 'idempotency-key': 'pty-correction' },
  );
  assert.equal(correction.status, 200, JSON.stringify(correction.body));
  const x = await f.call('POST', '/v1/kkt/report/x');
  assert.equal(x.body.device.sales.other, 50.97, 'the device counts "other" as type 14');
  assert.deepEqual(x.body.station.corrections, { count: 1, sale: 0, refund: 45 });

  await f.station.stop();
  emulator.child.kill('SIGTERM');
  await waitFor('the emulator to exit', () => emulator.child.exitCode !== null);
  type Doc = {
    type: number;
    fd: number;
    tags?: Record<string, string>;
    items?: { quantity: string; tags?: Record<string, string> }[];
  };
  const archive = (JSON.parse(readFileSync(state, 'utf8')) as { archive: Doc[] }).archive;
  const kg = archive.find((d) => d.fd === sale.body.fiscal_doc.fiscal_doc_number)!;
  assert.deepEqual(
    kg.items?.map((i) => [i.quantity, i.tags?.['2108']]),
    [['0.255', '11']],
  );
  assert.deepEqual(kg.tags, { '1021': 'Иванова', '1203': '500100732259' });
  const c = archive.find((d) => d.fd === correction.body.fiscal_doc.fiscal_doc_number)!;
  assert.equal(c.type, 31);
  assert.equal(c.tags?.['1173'], '1');
  assert.equal(c.tags?.['1174/1178'], '2026-01-27');
  assert.equal(c.tags?.['1174/1179'], 'ПР-9');
  assert.equal(c.tags?.['1203'], '500100732259');
});

test('a KKT that is not there at start-up: the station starts, refuses sales in words, and sells once it appears', async (t) => {
  const dir = tempDir(t, 'station-late-kkt-');
  const [host, device, state] = [join(dir, 'kkt-host'), join(dir, 'kkt-device'), join(dir, 'emulator.json')];
  const f = await startFixture(t, { startWorker: false, env: { STATION_KKT: host } });
  const refused = await f.sale('late-1');
  assert.equal(refused.status, 503, JSON.stringify(refused.body));
  assert.equal(refused.body.error, 'kkt_refused');
  assert.match(refused.body.message, /ККТ не подключена/);
  const health = await f.call('GET', '/v1/health');
  assert.equal(health.status, 503);
  assert.equal(health.body.status, 'unhealthy');

  run(t, 'socat', ['-d', '-d', `pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${device}`]);
  await waitFor('the pty pair', () => existsSync(host) && existsSync(device));
  const emulator = run(t, process.execPath, [
    '--import',
    'tsx',
    'src/kkt-emulator/cli.ts',
    '--port',
    device,
    '--state',
    state,
  ]);
  await waitFor('the emulator ready line', () => emulator.output().includes('ready'), 20_000);
  const sold = await f.sale('late-1');
  assert.equal(sold.status, 200, JSON.stringify(sold.body));
  assert.equal(
    sold.body.receipt_id,
    refused.body.details.receipt_id,
    'the refused receipt, printed now, once',
  );
});
