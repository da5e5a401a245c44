// The contract's handlers as the desktop app and the browser host call them: validation at the
// boundary, results instead of exceptions, the manager PIN, settings, DLQ actions, diagnostics and
// pushed events, on a real station (SQLite file, emulated KKT, mock OFD).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from '../src/main/core/config.ts';
import { fileLogger, silentLogger } from '../src/main/core/logger.ts';
import { startStationApp, type StationApp } from '../src/main/app/station-app.ts';
import { startRestApi } from '../src/main/rest/rest-api.ts';
import { ManagerPin } from '../src/main/app/manager-pin.ts';
import { openEmulatedKkt } from '../src/main/app/open-kkt.ts';
import { startOfdMock, type OfdMock } from '../src/ofd-mock/server.ts';
import type { CommandName, EventName } from '../src/shared/contract.ts';
import { kktReasonOf, type ErrorCode } from '../src/shared/errors.ts';
import { saleBody, tempDir } from './helpers/fixture.ts';
import { waitFor } from './helpers/wait.ts';

const OFD_TOKEN = 'ofd-secret-token-123456';
const API_TOKEN = 'api-secret-token-abcdef';

async function startApp(
  t: TestContext,
  env: Record<string, string> = {},
  logToFile = false,
): Promise<{ app: StationApp; ofd: OfdMock; dataDir: string }> {
  const dataDir = tempDir(t);
  const ofd = await startOfdMock({ token: OFD_TOKEN });
  const config = loadConfig({
    STATION_DATA_DIR: dataDir,
    STATION_API_PORT: '0',
    STATION_API_TOKEN: API_TOKEN,
    STATION_OFD_URL: ofd.url,
    STATION_OFD_TOKEN: OFD_TOKEN,
    STATION_SYNC_INTERVAL_MS: '100',
    ...env,
  });
  const app = await startStationApp(config, logToFile ? fileLogger(dataDir, false) : silentLogger, {
    restApi: startRestApi,
  });
  t.after(async () => {
    await app.stop();
    await ofd.close();
  });
  return { app, ofd, dataDir };
}

async function ok<T = any>(app: StationApp, name: CommandName, arg?: unknown): Promise<T> {
  const r = await app.handle(name, arg);
  assert.ok(r.ok, `${name} failed: ${JSON.stringify(r)}`);
  return r.value as T;
}

async function fails(app: StationApp, name: CommandName, arg: unknown, code: ErrorCode): Promise<string> {
  const r = await app.handle(name, arg);
  assert.ok(!r.ok, `${name} should fail with ${code}`);
  assert.equal(r.error.code, code, r.error.message);
  return r.error.message;
}

test('commands answer with results: bad arguments and unknown names are refused without throwing', async (t) => {
  const { app } = await startApp(t);
  await fails(app, 'unknown.command' as CommandName, {}, 'unknown_command');
  await fails(app, 'cash.in', { amountKop: -5 }, 'validation_error');
  await fails(app, 'cash.in', { amountKop: 10.5 }, 'validation_error');
  await fails(app, 'receipt.create', { body: saleBody() }, 'validation_error');
  const message = await fails(
    app,
    'receipt.create',
    { idempotencyKey: 'k1', body: saleBody({ items: [] }) },
    'validation_error',
  );
  assert.match(message, /items must hold at least one line/);
  const receipt = await ok(app, 'receipt.create', { idempotencyKey: 'k2', body: saleBody() });
  assert.equal(receipt.state, 'printed');
  assert.equal(receipt.totalKop, 18099);
  assert.match(receipt.fiscal.qr, /^t=\d{8}T\d{4}&s=180\.99&/);
  const list = await ok(app, 'receipt.list', { query: String(receipt.fiscal.fdNumber) });
  assert.deepEqual(
    list.map((r: { id: string }) => r.id),
    [receipt.id],
  );
  assert.equal(
    (await ok(app, 'receipt.list', { query: '180,99' })).length,
    1,
    'search by amount, comma or dot',
  );
});

test('manager actions need the PIN: set on first use, checked, throttled after 5 wrong tries', async (t) => {
  const { app } = await startApp(t);
  assert.equal((await ok(app, 'station.snapshot')).managerPinSet, false);
  await fails(app, 'sync.now', { pin: '1234' }, 'pin_not_set');
  await fails(app, 'manager.setPin', { newPin: '12' }, 'validation_error');
  await ok(app, 'manager.setPin', { newPin: '2468' });
  assert.equal((await ok(app, 'station.snapshot')).managerPinSet, true);
  await fails(app, 'manager.setPin', { newPin: '1111' }, 'pin_required'); // changing it needs the current one
  await fails(app, 'sync.now', { pin: '' }, 'validation_error');
  await fails(app, 'dlq.list', { pin: '0000' }, 'pin_wrong');
  assert.deepEqual(await ok(app, 'manager.verifyPin', { pin: '2468' }), { valid: true });
  for (let i = 0; i < 4; i++) await fails(app, 'manager.verifyPin', { pin: '9999' }, 'pin_wrong');
  await fails(app, 'manager.verifyPin', { pin: '9999' }, 'pin_wrong');
  const locked = await fails(app, 'manager.verifyPin', { pin: '2468' }, 'pin_locked');
  assert.match(locked, /Try again in \d+ s/);
  const lockedAgain = await app.handle('manager.verifyPin', { pin: '2468' });
  assert.ok(!lockedAgain.ok && lockedAgain.error.code === 'pin_locked');
  assert.equal(
    typeof (lockedAgain.error.details as { retry_after_seconds?: unknown }).retry_after_seconds,
    'number',
    'the screen says how long without reading the message',
  );
  await assert.rejects(
    new ManagerPin(app.station.cashiers).verify('2468'),
    /Too many wrong PINs/,
    'the lock survives a restart',
  );
  assert.ok(
    (await ok(app, 'journal.recent', { limit: 20 })).some((e: { message: string }) =>
      /PIN locked/.test(e.message),
    ),
  );
  const stored = app.station.db.prepare(`SELECT pin_hash FROM cashiers WHERE role = 'manager'`).get() as {
    pin_hash: string;
  };
  assert.doesNotMatch(stored.pin_hash, /2468/, 'stored hashed');
});

test('sync now with the PIN drains the backlog and reports progress events', async (t) => {
  const { app, ofd } = await startApp(t, {
    STATION_SYNC_INTERVAL_MS: '600000',
    STATION_SYNC_BATCH_SIZE: '2',
  });
  await app.station.worker.stop(); // nothing in the background: only the manager's sync sends
  await ok(app, 'manager.setPin', { newPin: '1357' });
  for (let i = 0; i < 5; i++) await ok(app, 'receipt.create', { idempotencyKey: `s${i}`, body: saleBody() });
  const events: [EventName, any][] = [];
  app.onEvent((name, payload) => events.push([name, payload]));
  const result = await ok(app, 'sync.now', { pin: '1357' });
  assert.equal(result.synced, 5);
  assert.equal(ofd.health().receipts_received, 5);
  const progress = events.filter(([n]) => n === 'sync.progress').map(([, p]) => p.done);
  assert.equal(progress.at(-1), 5);
  await waitFor('a snapshot showing the empty buffer', () =>
    events.some(([n, p]) => n === 'station.snapshot' && p.buffer.queued === 0),
  );
  assert.ok(events.some(([n, p]) => n === 'journal.entry' && p.kind === 'sync_finished'));
});

test('the DLQ: list, retry and resolve with a note, all behind the PIN', async (t) => {
  const { app, ofd } = await startApp(t);
  await ok(app, 'manager.setPin', { newPin: '4321' });
  ofd.setMode({ mode: 'fail_next', count: 2, status: 422 });
  const a = await ok(app, 'receipt.create', { idempotencyKey: 'd1', body: saleBody() });
  const b = await ok(app, 'receipt.create', { idempotencyKey: 'd2', body: saleBody() });
  await waitFor('both in the DLQ', () => app.station.store.dlqSize() === 2);
  const dlq = await ok(app, 'dlq.list', { pin: '4321' });
  assert.equal(dlq.length, 2);
  const retried = await ok(app, 'dlq.retry', { pin: '4321', receiptId: a.id });
  assert.equal(retried.state, 'printed');
  await waitFor('the retried receipt synced', () => app.station.store.get(a.id)!.status === 'synced');
  await fails(app, 'dlq.resolve', { pin: '4321', receiptId: b.id, note: ' ' }, 'validation_error');
  const resolved = await ok(app, 'dlq.resolve', {
    pin: '4321',
    receiptId: b.id,
    note: 'Sent from the FN by the OFD support',
  });
  assert.equal(resolved.resolvedBy, 'manager');
  await fails(app, 'dlq.resolve', { pin: '4321', receiptId: b.id, note: 'again' }, 'conflict');
  assert.equal(app.station.store.dlqSize(), 0);
});

test('settings: capacity and OFD apply at once and persist; a KKT change needs a restart; bad values are refused', async (t) => {
  const { app, ofd, dataDir } = await startApp(t);
  await ok(app, 'manager.setPin', { newPin: '5555' });
  const before = await ok(app, 'settings.get', { pin: '5555' });
  assert.equal(before.ofdTokenSet, true);
  assert.equal(JSON.stringify(before).includes(OFD_TOKEN), false, 'the token is write-only');
  await fails(app, 'settings.update', { pin: '5555', patch: { bufferCapacity: 0 } }, 'validation_error');
  await fails(app, 'settings.update', { pin: '5555', patch: { ofdUrl: 'not a url' } }, 'validation_error');
  await fails(
    app,
    'settings.update',
    { pin: '5555', patch: { apiToken: 'x'.repeat(20) } },
    'validation_error',
  );
  const changed = await ok(app, 'settings.update', {
    pin: '5555',
    patch: { bufferCapacity: 1, kktBaud: 9600 },
  });
  assert.equal(changed.restartRequired, true);
  assert.equal(changed.settings.bufferCapacity, 1);
  await ok(app, 'receipt.create', { idempotencyKey: 'c1', body: saleBody() });
  ofd.setMode({ mode: 'down' });
  await ok(app, 'receipt.create', { idempotencyKey: 'c0', body: saleBody() }).catch(() => undefined);
  const full = await app.handle('receipt.create', { idempotencyKey: 'c2', body: saleBody() });
  assert.ok(!full.ok && full.error.code === 'buffer_full', JSON.stringify(full));
  const file = JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8'));
  assert.deepEqual(file, { bufferCapacity: 1, kktBaud: 9600 });

  // A new OFD with another token: the worker uses it without a restart.
  const other = await startOfdMock({ token: 'new-ofd-token-7777777' });
  t.after(() => other.close());
  await ok(app, 'settings.update', {
    pin: '5555',
    patch: { ofdUrl: other.url, ofdToken: 'new-ofd-token-7777777' },
  });
  await waitFor('the backlog delivered to the new OFD', () => other.health().receipts_received >= 1, 10_000);
  const journal = await ok(app, 'journal.recent', { limit: 50 });
  assert.ok(
    journal.some(
      (e: { kind: string; message: string }) =>
        e.kind === 'config_changed' && e.message.includes('ofdToken (secret)'),
    ),
  );
  assert.equal(
    JSON.stringify(journal).includes('new-ofd-token-7777777'),
    false,
    'secrets never reach the journal',
  );
});

test('diagnostics export: one tar.gz with logs, status, journal and config, and no secret in it', async (t) => {
  const { app } = await startApp(t, {}, true);
  await ok(app, 'manager.setPin', { newPin: '8642' });
  await ok(app, 'receipt.create', { idempotencyKey: 'diag', body: saleBody() });
  const bundle = await ok(app, 'diagnostics.export');
  assert.match(bundle.fileName, /^cashier-station-diagnostics-.*\.tar\.gz$/);
  const tar = gunzipSync(Buffer.from(bundle.base64, 'base64'));
  const names: string[] = [];
  for (let off = 0; off + 512 <= tar.length;) {
    const name = tar
      .subarray(off, off + 100)
      .toString('utf8')
      .replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(
      tar
        .subarray(off + 124, off + 136)
        .toString('utf8')
        .replace(/\0.*$/s, ''),
      8,
    );
    names.push(name.replace(/^[^/]+\//, ''));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  assert.deepEqual(names.sort(), [
    'about.json',
    'config.json',
    'journal.json',
    'logs/station.log',
    'status.json',
  ]);
  const text = tar.toString('utf8');
  assert.match(text, /Sale 180\.99 accepted/, 'the journal is in it');
  assert.match(text, /\[REDACTED\]/);
  for (const secret of [API_TOKEN, OFD_TOKEN, '8642', 'scrypt$'])
    assert.equal(text.includes(secret), false, `${secret} leaked`);
});

test('receipt.settle tells what became of an attempt without printing it: none, printed, or stored and voidable', async (t) => {
  const dataDir = tempDir(t);
  const ofd = await startOfdMock({ token: OFD_TOKEN });
  const { kkt, emulator } = await openEmulatedKkt({ dataDir });
  const config = loadConfig({
    STATION_DATA_DIR: dataDir,
    STATION_API_PORT: '0',
    STATION_API_TOKEN: API_TOKEN,
    STATION_OFD_URL: ofd.url,
    STATION_OFD_TOKEN: OFD_TOKEN,
  });
  const app = await startStationApp(config, silentLogger, { kkt, restApi: startRestApi });
  t.after(async () => {
    await app.stop();
    await ofd.close();
  });
  assert.equal(await ok(app, 'receipt.settle', { idempotencyKey: 'never-sent' }), null);
  const printed = await ok(app, 'receipt.create', { idempotencyKey: 'p1', body: saleBody() });
  assert.equal((await ok(app, 'receipt.settle', { idempotencyKey: 'p1' })).id, printed.id);

  emulator.setPaper(false);
  const refused = await app.handle('receipt.create', { idempotencyKey: 'p2', body: saleBody() });
  assert.ok(!refused.ok && refused.error.code === 'kkt_refused');
  assert.equal(
    kktReasonOf(refused.error),
    'paper_out',
    'the sale screen offers "continue printing" by this, not by the words',
  );
  const stored = await ok(app, 'receipt.settle', { idempotencyKey: 'p2' });
  assert.equal(
    stored.state,
    'print_failed',
    "stored, not printed: the cashier's screen voids it when the sale changes",
  );
  assert.equal(
    (await ok(app, 'receipt.void', { id: stored.id, reason: 'changed by the cashier' })).state,
    'voided',
  );
  emulator.setPaper(true);
  const resent = await app.handle('receipt.create', { idempotencyKey: 'p2', body: saleBody() });
  assert.ok(
    resent.ok && (resent.value as { state: string }).state === 'voided',
    'a voided attempt is never printed by a late resend',
  );
});

test('a lost KKT answer reaches the screen as kkt_outcome_unknown, a refusal as kkt_refused with its reason', async (t) => {
  const dataDir = tempDir(t);
  const ofd = await startOfdMock({ token: OFD_TOKEN });
  // A short answer timeout so the lost answer is noticed in a second rather than the production 30 s.
  const { kkt, emulator } = await openEmulatedKkt({
    dataDir,
    driver: { link: { responseTimeoutMs: () => 1_000 } },
  });
  const config = loadConfig({
    STATION_DATA_DIR: dataDir,
    STATION_API_PORT: '0',
    STATION_API_TOKEN: API_TOKEN,
    STATION_OFD_URL: ofd.url,
    STATION_OFD_TOKEN: OFD_TOKEN,
  });
  const app = await startStationApp(config, silentLogger, { kkt, restApi: startRestApi });
  t.after(async () => {
    await app.stop();
    await ofd.close();
  });
  await ok(app, 'shift.open', {});
  await ok(app, 'cash.in', { amountKop: 50_000 });
  emulator.faults.loseAnswer({ command: 0x40 }); // the X report prints, its answer never arrives
  await fails(app, 'shift.xReport', undefined, 'kkt_outcome_unknown');
  emulator.setCoverOpen(true);
  await fails(app, 'shift.xReport', undefined, 'kkt_refused');
  const refused = await app.handle('shift.xReport', undefined);
  assert.ok(!refused.ok);
  assert.equal(kktReasonOf(refused.error), 'cover_open');
});

test('a correction receipt from the app needs the manager PIN; with it, it prints (type correction)', async (t) => {
  const { app } = await startApp(t);
  const body = {
    pos_id: 'POS-1',
    operation: 'sale',
    correction_type: 'self',
    reason_document: { date: '2026-01-27', number: 'Акт 1' },
    items: [{ name: 'Хлеб', price: 45, quantity: 1, total: 45, vat_rate: 10 }],
    payments: [{ type: 'cash', amount: 45 }],
  };
  await fails(app, 'correction.create', { pin: '1234', idempotencyKey: 'c1', body }, 'pin_not_set');
  await ok(app, 'manager.setPin', { newPin: '2468' });
  await fails(app, 'correction.create', { pin: '0000', idempotencyKey: 'c1', body }, 'pin_wrong');
  assert.equal((await ok(app, 'receipt.list')).length, 0, 'nothing stored without the PIN');
  const { reason_document: _r, ...noReason } = body;
  const why = await fails(
    app,
    'correction.create',
    { pin: '2468', idempotencyKey: 'c2', body: noReason },
    'validation_error',
  );
  assert.match(why, /reason_document/);
  const r = await ok(app, 'correction.create', { pin: '2468', idempotencyKey: 'c1', body });
  assert.equal(r.type, 'correction');
  assert.equal(r.state, 'printed');
  assert.equal(r.cashierName, null, 'no cashier named and none opened the shift: the KKT default signs it');
});

test("shift.open from the till carries the signed-in cashier's INN (tag 1203); a wrong INN opens nothing", async (t) => {
  const { app } = await startApp(t);
  await fails(app, 'shift.open', { cashierName: 'Иванова', cashierInn: '500100732250' }, 'validation_error');
  assert.equal((await ok(app, 'shift.get')).open, false, 'nothing opened on a wrong INN');
  await ok(app, 'shift.open', { cashierName: 'Иванова', cashierInn: '500100732259' });
  const row = app.station.db.prepare(`SELECT opened_by, opened_by_inn FROM shifts`).get();
  assert.deepEqual({ ...(row as object) }, { opened_by: 'Иванова', opened_by_inn: '500100732259' });
});
