// Marked goods end to end over a real serial line: the station's REST API, the permit service of the
// mock OFD, and the emulator CLI on the far end of a socat pseudo-terminal pair told to reject one code.
// A good code sells and is bound in the device's archive; the rejected one is a 409 with the receipt
// voided and nothing in the archive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GS } from '../src/shared/marking-code.ts';
import { startOfdMock } from '../src/ofd-mock/server.ts';
import { startFixture, tempDir } from './helpers/fixture.ts';
import { linePaths, startKktLine } from './helpers/serial-line.ts';

const SHOES = `010464007801637221_X.g!8xnpuiFV${GS}91FFD0${GS}92dGVzdIzSWNqFlCZrv+e0GSXQd6Qnar28rNj+8v2D+j0=`;
/** Another pair of shoes: a crypto tail, so the FN checks it itself (and, told to, rejects it). */
const SHOES_2 = SHOES.replace('_X.g!8xnpuiFV', '_X.g!8xnpuiFW');

const item = (name: string, price: number, code: string) => ({
  name,
  price,
  quantity: 1,
  total: price,
  vat: 'vat22',
  mark_code: code.replaceAll(GS, '{GS}'), // as a keyboard-wedge scanner configured with {GS} sends it
});

test('a marked sale and an FN-rejected code through REST, a socat pty and the emulator CLI', async (t) => {
  const p = linePaths(tempDir(t, 'station-mark-pty-'));
  const emulator = await startKktLine(t, p, ['--reject-mark', `${SHOES_2.replaceAll(GS, '{GS}')}=crypto`]);
  const ofd = await startOfdMock();
  t.after(() => ofd.close());
  const f = await startFixture(t, {
    startWorker: false,
    ofd,
    env: {
      STATION_KKT: p.host,
      STATION_KKT_BAUD: '115200',
      STATION_MARK_CHECK_URL: `${ofd.url}/permit/v1/codes/check`,
    },
  });
  const body = (items: ReturnType<typeof item>[]) => ({
    pos_id: 'POS-1',
    type: 'sale',
    items,
    payments: [{ type: 'card', amount: items.reduce((s, i) => s + i.total, 0) }],
  });
  const sold = await f.sale('pty-mark-1', body([item('Кроссовки', 1500, SHOES)]));
  assert.equal(sold.status, 200, JSON.stringify(sold.body));
  const refused = await f.sale('pty-mark-2', body([item('Кроссовки', 1500, SHOES_2)]));
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.equal(refused.body.error, 'mark_rejected');
  assert.equal(refused.body.details.rejected_by, 'fn');
  assert.equal(f.station.store.get(refused.body.details.receipt_id)!.status, 'voided');
  assert.equal(ofd.permit().calls.length, 2, 'the permit service passed both; the FN refused the second');

  await f.station.stop();
  await emulator.kill('SIGTERM');
  const archive = (
    JSON.parse(readFileSync(p.state, 'utf8')) as {
      archive: { type: number; fd: number; marks?: { code: string }[] }[];
    }
  ).archive.filter((d) => d.type === 3);
  assert.deepEqual(
    archive.map((d) => [d.fd, d.marks?.map((m) => m.code)]),
    [[sold.body.fiscal_doc.fiscal_doc_number, [SHOES]]],
  );
});
