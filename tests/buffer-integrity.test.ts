// Issue #8 part 5 on real buffer files: an 8 KB overwrite in the middle of a buffer makes the station
// refuse to start (with a message that says what to do) and keeps the damaged file aside, byte for byte;
// a deleted or emptied buffer next to a KKT that kept its documents starts, but refuses to sell (409
// buffer_lost) until a manager acknowledges it, through the REST API or the contract's command, and the
// journal records who and when.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/main/core/config.ts';
import { silentLogger } from '../src/main/core/logger.ts';
import { startStationApp } from '../src/main/app/station-app.ts';
import { startRestApi } from '../src/main/rest/rest-api.ts';
import { startFixture, tempDir, TEST_TOKEN } from './helpers/fixture.ts';
import { spawnHeadless } from './helpers/headless.ts';
import { freePort } from './helpers/ports.ts';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

test('an 8 KB overwrite in the middle of the buffer: the station refuses to start, says what to do, and keeps the file aside untouched', async (t) => {
  const dataDir = tempDir(t);
  const f = await startFixture(t, { dataDir, startWorker: false });
  for (let i = 0; i < 40; i++) assert.equal((await f.sale(`c-${i}`)).status, 200);
  await f.api.close();
  await f.station.stop(); // checkpoints the WAL into the file
  const buffer = join(dataDir, 'buffer.sqlite');
  const size = statSync(buffer).size;
  assert.ok(size >= 64 * 1024, `a real buffer (${size} bytes)`);
  const fd = openSync(buffer, 'r+');
  writeSync(fd, randomBytes(8192), 0, 8192, Math.floor(size / 2));
  closeSync(fd);
  const damaged = sha(buffer);

  const s = spawnHeadless({ dataDir, port: await freePort(), token: TEST_TOKEN });
  const exit = await s.exited;
  assert.equal(exit.code, 1, s.output());
  assert.match(s.output(), /buffer .*buffer\.sqlite is damaged/);
  assert.match(s.output(), /moved aside to .*buffer\.sqlite\.corrupt-/);
  assert.match(s.output(), /Send that file to support/);
  const keptAside = () =>
    readdirSync(dataDir).filter((n) => n.startsWith('buffer.sqlite.corrupt-') && !/-(wal|shm)$/.test(n));
  const aside = keptAside();
  assert.equal(aside.length, 1, readdirSync(dataDir).join(', '));
  assert.equal(sha(join(dataDir, aside[0]!)), damaged, 'kept byte for byte');
  assert.ok(!readdirSync(dataDir).includes('buffer.sqlite'), 'not left in place to be written over');

  // The next start begins with an empty buffer: the KKT has 40 receipts it never heard of.
  const again = await startFixture(t, { dataDir, startWorker: false });
  const refused = await again.sale('c-new');
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.equal(refused.body.error, 'buffer_lost');
  await again.api.close();
  await again.station.stop();
  // A second damaged file never replaces the first one kept aside.
  const fd2 = openSync(buffer, 'r+');
  writeSync(fd2, Buffer.alloc(8192, 0xff), 0, 8192, Math.floor(statSync(buffer).size / 2));
  closeSync(fd2);
  const config = loadConfig({
    STATION_DATA_DIR: dataDir,
    STATION_API_PORT: '0',
    STATION_API_TOKEN: TEST_TOKEN,
  });
  await assert.rejects(
    startStationApp(config, silentLogger, { restApi: startRestApi }),
    (e: Error & { code?: string }) => e.code === 'buffer_corrupt',
  );
  const kept = keptAside();
  assert.equal(kept.length, 2, kept.join(', '));
  assert.equal(sha(join(dataDir, aside[0]!)), damaged);
});

for (const how of ['deleted', 'emptied'] as const) {
  test(`a buffer ${how} after sales: the station starts but refuses to sell (409 buffer_lost) until a manager acknowledges it; the journal says who and when`, async (t) => {
    const dataDir = tempDir(t);
    const first = await startFixture(t, { dataDir, startWorker: false });
    for (let i = 0; i < 3; i++) assert.equal((await first.sale(`l-${i}`)).status, 200);
    await first.api.close();
    await first.station.stop();
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(join(dataDir, `buffer.sqlite${suffix}`), { force: true });
    if (how === 'emptied') closeSync(openSync(join(dataDir, 'buffer.sqlite'), 'w'));

    const f = await startFixture(t, { dataDir, startWorker: false });
    const refused = await f.sale('l-new');
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.error, 'buffer_lost');
    assert.equal(refused.body.details.kkt_last_fd, 3 + 1, 'three receipts and the shift opening');
    assert.match(refused.body.message, /acknowledge/);
    assert.equal(f.station.store.findByIdempotencyKey('l-new'), null, 'nothing stored or printed');
    const health = await f.call('GET', '/v1/health');
    assert.equal(health.status, 503);
    assert.equal(health.body.components.buffer_lost.kkt_last_fd, 4);
    assert.equal((await f.call('POST', '/v1/kkt/buffer/acknowledge-loss', {})).status, 422);

    // A restart does not forget it.
    await f.api.close();
    await f.station.stop();
    const g = await startFixture(t, { dataDir, startWorker: false });
    assert.equal((await g.sale('l-new')).body.error, 'buffer_lost');
    const ack = await g.call('POST', '/v1/kkt/buffer/acknowledge-loss', { acknowledged_by: 'Иванова' });
    assert.equal(ack.status, 200, JSON.stringify(ack.body));
    assert.equal(ack.body.kkt_last_fd, 4);
    const entry = g.station.journal.recent(20).find((e) => e.kind === 'buffer_loss_acknowledged');
    assert.ok(entry, 'journaled');
    assert.match(entry.message, /Иванова/);
    assert.deepEqual(Object.keys(entry.data as object).sort(), [
      'at',
      'by',
      'detected_at',
      'kkt_last_fd',
      'via',
    ]);
    const sold = await g.sale('l-new');
    assert.equal(sold.status, 200, JSON.stringify(sold.body));
    assert.equal(sold.body.fiscal_doc.fiscal_doc_number, 5);
    assert.equal(
      (await g.call('POST', '/v1/kkt/buffer/acknowledge-loss', { acknowledged_by: 'x' })).status,
      409,
    );
    assert.equal((await g.call('GET', '/v1/health')).body.components.buffer_lost, null);
  });
}

test('the manager acknowledges a lost buffer through the contract command, behind the PIN', async (t) => {
  const dataDir = tempDir(t);
  const config = loadConfig({
    STATION_DATA_DIR: dataDir,
    STATION_API_PORT: '0',
    STATION_API_TOKEN: TEST_TOKEN,
  });
  let app = await startStationApp(config, silentLogger, { restApi: startRestApi });
  const sale = (key: string) =>
    app.handle('receipt.create', {
      idempotencyKey: key,
      body: {
        pos_id: 'POS-1',
        type: 'sale',
        items: [{ name: 'Хлеб', price: 45.5, quantity: 1, total: 45.5, vat_rate: '10' }],
        payments: [{ type: 'cash', amount: 50 }],
      },
    });
  assert.ok((await sale('m-1')).ok);
  await app.stop();
  truncateSync(join(dataDir, 'buffer.sqlite'), 0);
  rmSync(join(dataDir, 'buffer.sqlite-wal'), { force: true });
  app = await startStationApp(config, silentLogger, { restApi: startRestApi });
  t.after(() => app.stop());
  const refused = await sale('m-2');
  assert.ok(!refused.ok && refused.error.code === 'buffer_lost', JSON.stringify(refused));
  const noPin = await app.handle('buffer.acknowledgeLoss', { pin: '1234' });
  assert.ok(
    !noPin.ok && noPin.error.code === 'pin_not_set',
    'the PIN went with the buffer: set a new one first',
  );
  assert.ok((await app.handle('manager.setPin', { newPin: '1234' })).ok);
  const wrong = await app.handle('buffer.acknowledgeLoss', { pin: '9999' });
  assert.ok(!wrong.ok && wrong.error.code === 'pin_wrong');
  const ack = await app.handle('buffer.acknowledgeLoss', { pin: '1234', managerName: 'Петров' });
  assert.ok(ack.ok, JSON.stringify(ack));
  assert.equal((ack.value as { acknowledgedBy: string }).acknowledgedBy, 'Петров');
  assert.ok((await sale('m-2')).ok);
});
