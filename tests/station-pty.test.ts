// End to end over a real serial line: the station (STATION_KKT = one end of a socat pseudo-terminal
// pair) drives the emulator CLI on the other end, as a store would drive a Shtrih-M KKT on /dev/ttyUSB0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { saleBody, startFixture, tempDir } from './helpers/fixture.ts';
import { linePaths, startKktLine } from './helpers/serial-line.ts';

test('the station opens a shift, prints once and reports through a socat pseudo-terminal to the emulator CLI', async (t) => {
  const p = linePaths(tempDir(t, 'station-pty-'));
  const emulator = await startKktLine(t, p);

  const f = await startFixture(t, {
    startWorker: false,
    env: { STATION_KKT: p.host, STATION_KKT_BAUD: '115200' },
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
  await emulator.kill('SIGTERM');
  const archive = (JSON.parse(readFileSync(p.state, 'utf8')) as { archive: { type: number; fd: number }[] })
    .archive;
  assert.deepEqual(
    archive.filter((d) => d.type === 3).map((d) => d.fd),
    [sale.body.fiscal_doc.fiscal_doc_number],
  );
});

test('FFD 1.2 over the pty: a weighed line (2108), the shift cashier with INN (1021/1203), a correction receipt', async (t) => {
  const p = linePaths(tempDir(t, 'station-pty-ffd12-'));
  const emulator = await startKktLine(t, p);
  const f = await startFixture(t, { startWorker: false, env: { STATION_KKT: p.host } });
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
  await emulator.kill('SIGTERM');
  type Doc = {
    type: number;
    fd: number;
    tags?: Record<string, string>;
    items?: { quantity: string; tags?: Record<string, string> }[];
  };
  const archive = (JSON.parse(readFileSync(p.state, 'utf8')) as { archive: Doc[] }).archive;
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
  const p = linePaths(tempDir(t, 'station-late-kkt-'));
  const f = await startFixture(t, { startWorker: false, env: { STATION_KKT: p.host } });
  const refused = await f.sale('late-1');
  assert.equal(refused.status, 503, JSON.stringify(refused.body));
  assert.equal(refused.body.error, 'kkt_refused');
  assert.match(refused.body.message, /ККТ не подключена/);
  const health = await f.call('GET', '/v1/health');
  assert.equal(health.status, 503);
  assert.equal(health.body.status, 'unhealthy');

  await startKktLine(t, p);
  const sold = await f.sale('late-1');
  assert.equal(sold.status, 200, JSON.stringify(sold.body));
  assert.equal(
    sold.body.receipt_id,
    refused.body.details.receipt_id,
    'the refused receipt, printed now, once',
  );
});
