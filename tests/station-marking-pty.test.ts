// Marked goods end to end over a real serial line: the station's REST API, the permit service of the
// mock OFD, and the emulator CLI on the far end of a socat pseudo-terminal pair told to reject one code.
// A good code sells and is bound in the device's archive; the rejected one is a 409 with the receipt
// voided and nothing in the archive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GS } from '../src/shared/marking-code.ts';
import { startOfdMock } from '../src/ofd-mock/server.ts';
import { startFixture, tempDir } from './helpers/fixture.ts';
import { waitFor } from './helpers/wait.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHOES = `010464007801637221_X.g!8xnpuiFV${GS}91FFD0${GS}92dGVzdIzSWNqFlCZrv+e0GSXQd6Qnar28rNj+8v2D+j0=`;
/** Another pair of shoes: a crypto tail, so the FN checks it itself (and, told to, rejects it). */
const SHOES_2 = SHOES.replace('_X.g!8xnpuiFV', '_X.g!8xnpuiFW');

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

const item = (name: string, price: number, code: string) => ({
  name,
  price,
  quantity: 1,
  total: price,
  vat: 'vat22',
  mark_code: code.replaceAll(GS, '{GS}'), // as a keyboard-wedge scanner configured with {GS} sends it
});

test('a marked sale and an FN-rejected code through REST, a socat pty and the emulator CLI', async (t) => {
  const dir = tempDir(t, 'station-mark-pty-');
  const [host, device, state] = [join(dir, 'kkt-host'), join(dir, 'kkt-device'), join(dir, 'emulator.json')];
  run(t, 'socat', [`pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${device}`]);
  await waitFor('the pty pair', () => existsSync(host) && existsSync(device));
  const emulator = run(t, process.execPath, [
    '--import',
    'tsx',
    'src/kkt-emulator/cli.ts',
    '--port',
    device,
    '--state',
    state,
    '--reject-mark',
    `${SHOES_2.replaceAll(GS, '{GS}')}=crypto`,
  ]);
  await waitFor('the emulator ready line', () => emulator.output().includes('ready'), 20_000);
  const ofd = await startOfdMock();
  t.after(() => ofd.close());
  const f = await startFixture(t, {
    startWorker: false,
    ofd,
    env: {
      STATION_KKT: host,
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
  emulator.child.kill('SIGTERM');
  await waitFor('the emulator to exit', () => emulator.child.exitCode !== null);
  const archive = (
    JSON.parse(readFileSync(state, 'utf8')) as {
      archive: { type: number; fd: number; marks?: { code: string }[] }[];
    }
  ).archive.filter((d) => d.type === 3);
  assert.deepEqual(
    archive.map((d) => [d.fd, d.marks?.map((m) => m.code)]),
    [[sold.body.fiscal_doc.fiscal_doc_number, [SHOES]]],
  );
});
