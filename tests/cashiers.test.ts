// Cashiers over the REST API and the IPC commands, as a setup script and the till use them: the first
// cashier on an empty station, then only with a manager's PIN; no PIN hash in any answer; names unique
// in any case; a wrong INN is 422 naming the field; sign-in and manager approvals share the lockout; a
// receipt keeps the cashier it names; and the manager PIN of an older buffer becomes the first manager.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startFixture, tempDir, saleBody } from './helpers/fixture.ts';
import { MIGRATIONS } from '../src/main/core/buffer/migrations.ts';
import { openDatabase } from '../src/main/core/buffer/database.ts';
import { hashPin } from '../src/main/core/cashiers/pin-hash.ts';
import { isValidPersonInn } from '../src/shared/inn.ts';

const INN = '500100732259'; // a valid person's INN (check digits 5, 9)

test("INN check digits: a person's 12 digits, both checked", () => {
  assert.ok(isValidPersonInn(INN));
  assert.ok(!isValidPersonInn('500100732258'), 'last check digit wrong');
  assert.ok(!isValidPersonInn('500100732249'), 'first check digit wrong');
  assert.ok(!isValidPersonInn('7707083893'), "an organisation's 10 digits are not a person's");
  assert.ok(!isValidPersonInn('50010073225a'));
});

test('POST /v1/cashiers: the first needs only the token, later ones a manager PIN; GET lists them without PINs', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const first = await f.call('POST', '/v1/cashiers', {
    name: 'Иванова Анна',
    inn: INN,
    role: 'manager',
    pin: '2468',
  });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.deepEqual(Object.keys(first.body).sort(), ['created_at', 'id', 'inn', 'name', 'role']);
  assert.equal(first.body.inn, INN);

  const noPin = await f.call('POST', '/v1/cashiers', { name: 'Петров', role: 'cashier', pin: '1111' });
  assert.equal(noPin.status, 401);
  assert.equal(noPin.body.error, 'pin_required');
  const wrongPin = await f.call(
    'POST',
    '/v1/cashiers',
    { name: 'Петров', role: 'cashier', pin: '1111' },
    { 'x-manager-pin': '0000' },
  );
  assert.equal(wrongPin.status, 403);
  const second = await f.call(
    'POST',
    '/v1/cashiers',
    { name: 'Петров', role: 'cashier', pin: '1111' },
    { 'x-manager-pin': '2468' },
  );
  assert.equal(second.status, 201, JSON.stringify(second.body));
  assert.equal(second.body.inn, null);

  const list = await f.call('GET', '/v1/cashiers');
  assert.equal(list.status, 200);
  assert.deepEqual(
    list.body.cashiers.map((c: { name: string; role: string }) => [c.name, c.role]),
    [
      ['Иванова Анна', 'manager'],
      ['Петров', 'cashier'],
    ],
  );
  const text = JSON.stringify(list.body) + JSON.stringify(first.body) + JSON.stringify(second.body);
  assert.doesNotMatch(text, /scrypt|pin|2468|1111/i, 'no PIN or hash leaves the station');
  const stored = f.station.db.prepare(`SELECT pin_hash FROM cashiers`).all() as { pin_hash: string }[];
  assert.ok(stored.every((r) => r.pin_hash.startsWith('scrypt$') && !/2468|1111/.test(r.pin_hash)));
});

test('a name taken in any case is 409 cashier_exists; a bad INN, role or PIN is 422 naming the field; nothing stored', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const pin = { 'x-manager-pin': '2468' };
  assert.equal(
    (await f.call('POST', '/v1/cashiers', { name: 'Иванова', role: 'manager', pin: '2468' })).status,
    201,
  );

  const dup = await f.call('POST', '/v1/cashiers', { name: '  иВАНОВА ', role: 'cashier', pin: '1111' }, pin);
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error, 'cashier_exists');

  const cases: [Record<string, unknown>, string][] = [
    [{ name: 'Петров', inn: '500100732258', role: 'cashier', pin: '1111' }, 'body.inn'],
    [{ name: 'Петров', inn: '7707083893', role: 'cashier', pin: '1111' }, 'body.inn'],
    [{ name: 'Петров', role: 'boss', pin: '1111' }, 'body.role'],
    [{ name: 'Петров', role: 'cashier', pin: '12' }, 'body.pin'],
    [{ name: '', role: 'cashier', pin: '1111' }, 'body.name'],
    [{ name: 'Пет\nров', role: 'cashier', pin: '1111' }, 'body.name'],
  ];
  for (const [body, field] of cases) {
    const r = await f.call('POST', '/v1/cashiers', body, pin);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.body.error, 'validation_error');
    assert.ok(
      r.body.details.some((d: { field: string }) => d.field === field),
      `${JSON.stringify(body)} names ${field}: ${JSON.stringify(r.body.details)}`,
    );
  }
  assert.equal(f.station.cashiers.count(), 1, 'nothing stored');
});

test('sign-in: the right PIN answers the cashier; wrong ones count towards the lock manager approvals share', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const anna = await f.station.cashiers.create({ name: 'Анна', role: 'manager', pin: '2468' }, 'test');
  const petr = await f.station.cashiers.create({ name: 'Пётр', role: 'cashier', pin: '1357' }, 'test');
  assert.deepEqual(await f.station.cashiers.signIn(petr.id, '1357'), petr);
  await assert.rejects(f.station.cashiers.signIn(petr.id, '2468'), { code: 'pin_wrong' });
  await assert.rejects(f.station.cashiers.signIn(999, '2468'), { code: 'not_found' });
  await assert.rejects(
    f.station.cashiers.verifyManager('1357'),
    { code: 'pin_wrong' },
    "a cashier's PIN approves nothing",
  );
  assert.equal((await f.station.cashiers.verifyManager('2468')).id, anna.id);
  for (let i = 0; i < 5; i++)
    await assert.rejects(f.station.cashiers.signIn(petr.id, '0000'), { code: 'pin_wrong' });
  await assert.rejects(f.station.cashiers.signIn(petr.id, '1357'), { code: 'pin_locked' });
  await assert.rejects(
    f.station.cashiers.verifyManager('2468'),
    { code: 'pin_locked' },
    'one lock for every PIN',
  );
});

test('a receipt keeps the cashier it names (tag 1021) and their INN (1203); a bad cashier_inn is 422', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const bad = await f.sale('bad-inn', { ...saleBody(), cashier_name: 'Иванова', cashier_inn: '123' });
  assert.equal(bad.status, 422);
  assert.ok(bad.body.details.some((d: { field: string }) => d.field === 'cashier_inn'));
  const sale = await f.sale('named', { ...saleBody(), cashier_name: 'Иванова', cashier_inn: INN });
  assert.equal(sale.status, 200, JSON.stringify(sale.body));
  const stored = await f.call('GET', `/v1/kkt/receipt/${sale.body.receipt_id}`);
  assert.equal(stored.body.cashier_name, 'Иванова');
  assert.equal(stored.body.cashier_inn, INN);
});

test('the manager PIN of an older buffer becomes the first manager, «Менеджер», with the same PIN', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'buffer.sqlite');
  const old = new Database(file);
  const before = MIGRATIONS.findIndex((m) => typeof m === 'string' && m.includes('CREATE TABLE cashiers'));
  assert.ok(before > 0);
  // A step is SQL or a function (6 rebuilds receipts), as migrate() runs them.
  for (const step of MIGRATIONS.slice(0, before))
    if (typeof step === 'string') old.exec(step);
    else step(old);
  old.pragma(`user_version = ${before}`);
  old.prepare(`INSERT INTO meta (key, value) VALUES ('manager_pin', ?)`).run(await hashPin('8642'));
  old.close();
  openDatabase(file).close(); // migrates

  const f = await startFixture(t, { startWorker: false, dataDir: dir });
  const cashiers = f.station.cashiers.list();
  assert.deepEqual(
    cashiers.map((c) => [c.name, c.role]),
    [['Менеджер', 'manager']],
  );
  assert.equal((await f.station.cashiers.signIn(cashiers[0]!.id, '8642')).name, 'Менеджер');
  assert.equal((await f.station.cashiers.verifyManager('8642')).name, 'Менеджер');
  assert.equal(
    (f.station.db.prepare(`SELECT count(*) AS n FROM meta WHERE key = 'manager_pin'`).get() as { n: number })
      .n,
    0,
    'the old hash is gone from meta: one place for PINs',
  );
});
