// The mock OFD over real HTTP on loopback: every endpoint, dedupe, fault modes, the in-process controls
// and the CLI. Each test starts its own server on port 0 and closes it in t.after.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import {
  startOfdMock,
  OfdMockInputError,
  type OfdMock,
  type OfdMockOptions,
} from '../src/ofd-mock/server.ts';
import { bundlePath } from './helpers/bundles.ts';
import { waitFor } from './helpers/wait.ts';

async function mockFor(t: TestContext, opts: OfdMockOptions = {}): Promise<OfdMock> {
  const mock = await startOfdMock(opts);
  t.after(() => mock.close());
  return mock;
}

function receiptBody(id: string): Record<string, unknown> {
  return {
    receipt_id: id,
    pos_id: 'POS-1',
    type: 'sale',
    items: [{ name: 'Хлеб', price_kop: 5500, quantity_milli: 1000, total_kop: 5500, vat: 'vat10' }],
    payments: [{ type: 'cash', amount_kop: 5500 }],
    total_kop: 5500,
    fiscal: {
      fd_number: 17,
      fiscal_sign: 3522207165,
      fn_number: '9999078900012345',
      kkt_reg_number: '0000000001012345',
      shift_number: 3,
      receipt_number: 5,
      fiscal_datetime: '2025-03-01T12:30:00',
      qr: 't=20250301T1230&s=55.00&fn=9999078900012345&i=17&fp=3522207165&n=1',
    },
    created_at: '2025-03-01T09:29:58.000Z',
  };
}

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as Record<string, unknown> };
}

function postReceipt(mock: OfdMock, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return call(`${mock.url}/ofd/v1/receipt`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const send = (mock: OfdMock, id: string): Promise<Answer> =>
  postReceipt(mock, receiptBody(id), { 'Idempotency-Key': id });

function postMode(mock: OfdMock, body: unknown): Promise<Answer> {
  return call(`${mock.url}/ofd/v1/_test/mode`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const getHealth = async (mock: OfdMock): Promise<Record<string, unknown>> =>
  (await call(`${mock.url}/ofd/v1/health`)).body;

test('accepts a receipt, lists it with its key and body, and counts it', async (t) => {
  const mock = await mockFor(t);
  assert.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/);

  const a = await send(mock, 'r-1');
  assert.equal(a.status, 200);
  assert.equal(a.body['status'], 'accepted');
  assert.equal(typeof a.body['ofd_id'], 'string');

  const received = await call(`${mock.url}/ofd/v1/_test/received`);
  assert.equal(received.status, 200);
  assert.deepEqual(
    (received.body as unknown as Array<Record<string, unknown>>).map((r) => [
      r['idempotency_key'],
      r['ofd_id'],
    ]),
    [['r-1', a.body['ofd_id']]],
  );
  assert.deepEqual(mock.received()[0]?.body, receiptBody('r-1'));

  const health = await getHealth(mock);
  assert.equal(health['status'], 'up');
  assert.equal(health['mode'], 'up');
  assert.equal(health['call_count'], 1);
  assert.equal(health['receipts_received'], 1);
  assert.equal(health['duplicates'], 0);
  assert.deepEqual(health, mock.health() as unknown as Record<string, unknown>);
});

test('a repeated Idempotency-Key answers 409 with the original ofd_id and is stored once', async (t) => {
  const mock = await mockFor(t);
  const first = await send(mock, 'r-1');
  const other = await send(mock, 'r-2');
  const again = await send(mock, 'r-1');
  assert.equal(again.status, 409);
  assert.deepEqual(again.body, { status: 'duplicate', ofd_id: first.body['ofd_id'] });
  assert.notEqual(other.body['ofd_id'], first.body['ofd_id']);
  assert.deepEqual(
    mock.received().map((r) => r.idempotency_key),
    ['r-1', 'r-2'],
    'arrival order, duplicates left out',
  );
  assert.equal(mock.health().duplicates, 1);
  assert.equal(mock.health().receipts_received, 2);
  assert.equal(mock.health().call_count, 3);
});

test('rejects a receipt without Idempotency-Key (400) and counts the call', async (t) => {
  const mock = await mockFor(t);
  const a = await postReceipt(mock, receiptBody('r-1'));
  assert.equal(a.status, 400);
  assert.match(String(a.body['message']), /Idempotency-Key/);
  assert.equal(mock.health().call_count, 1);
  assert.equal(mock.received().length, 0);
});

test('rejects bad JSON with 400', async (t) => {
  const mock = await mockFor(t);
  const a = await postReceipt(mock, '{"receipt_id": ', { 'Idempotency-Key': 'r-1' });
  assert.equal(a.status, 400);
  assert.match(String(a.body['message']), /not valid JSON/);
});

test('answers 422 naming what is missing: receipt_id, pos_id, fiscal attributes', async (t) => {
  const mock = await mockFor(t);
  const cases: Array<[string, (b: Record<string, unknown>) => void, RegExp]> = [
    ['receipt_id', (b) => delete b['receipt_id'], /receipt_id is missing/],
    ['pos_id', (b) => (b['pos_id'] = ''), /pos_id is missing/],
    ['fiscal', (b) => delete b['fiscal'], /fiscal attributes are missing/],
    [
      'fd_number',
      (b) => delete (b['fiscal'] as Record<string, unknown>)['fd_number'],
      /fiscal\.fd_number is missing/,
    ],
    [
      'fn_number',
      (b) => delete (b['fiscal'] as Record<string, unknown>)['fn_number'],
      /fiscal\.fn_number is missing/,
    ],
    [
      'fiscal_sign',
      (b) => delete (b['fiscal'] as Record<string, unknown>)['fiscal_sign'],
      /fiscal\.fiscal_sign is missing/,
    ],
  ];
  for (const [name, spoil, expected] of cases) {
    const body = receiptBody(`r-${name}`);
    spoil(body);
    const a = await postReceipt(mock, body, { 'Idempotency-Key': `r-${name}` });
    assert.equal(a.status, 422, name);
    assert.match(String(a.body['message']), expected, name);
  }
  const array = await postReceipt(mock, [1, 2], { 'Idempotency-Key': 'r-array' });
  assert.equal(array.status, 422);
  assert.equal(mock.received().length, 0);
});

test('unknown paths answer 404 JSON and wrong methods 405', async (t) => {
  const mock = await mockFor(t);
  const missing = await call(`${mock.url}/ofd/v2/receipt`);
  assert.equal(missing.status, 404);
  assert.match(String(missing.body['message']), /No such endpoint: GET \/ofd\/v2\/receipt/);
  const wrongMethod = await call(`${mock.url}/ofd/v1/receipt`);
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.headers.get('allow'), 'POST');
});

test('with a token, receipts need the right bearer token; health and controls stay open', async (t) => {
  const mock = await mockFor(t, { token: 's3cret' });
  const none = await send(mock, 'r-1');
  assert.equal(none.status, 401);
  assert.match(String(none.body['message']), /missing Authorization/);
  const wrong = await postReceipt(mock, receiptBody('r-1'), {
    'Idempotency-Key': 'r-1',
    Authorization: 'Bearer nope',
  });
  assert.equal(wrong.status, 401);
  assert.match(String(wrong.body['message']), /wrong bearer token/);
  const right = await postReceipt(mock, receiptBody('r-1'), {
    'Idempotency-Key': 'r-1',
    Authorization: 'Bearer s3cret',
  });
  assert.equal(right.status, 200);
  assert.equal((await postMode(mock, { mode: 'up' })).status, 200);
  assert.equal((await getHealth(mock))['call_count'], 3);
});

test('mode down answers 503 to every receipt until set up again', async (t) => {
  const mock = await mockFor(t);
  const set = await postMode(mock, { mode: 'down' });
  assert.equal(set.status, 200);
  assert.equal(set.body['mode'], 'down');
  for (const id of ['r-1', 'r-2', 'r-1']) assert.equal((await send(mock, id)).status, 503);
  const health = await getHealth(mock);
  assert.equal(health['status'], 'down');
  assert.equal(health['call_count'], 3);
  assert.equal(health['injected_failures'], 3);
  assert.equal(health['receipts_received'], 0);

  await postMode(mock, { mode: 'up' });
  assert.equal((await send(mock, 'r-1')).status, 200);
});

test('mode down with a given status answers that status', async (t) => {
  const mock = await mockFor(t);
  mock.setMode({ mode: 'down', status: 500 });
  assert.equal((await send(mock, 'r-1')).status, 500);
});

test('fail_next fails the next N calls with the given status, then is up again', async (t) => {
  const mock = await mockFor(t);
  await postMode(mock, { mode: 'fail_next', count: 2, status: 502 });
  assert.equal((await getHealth(mock))['status'], 'degraded');
  assert.equal((await send(mock, 'r-1')).status, 502);
  assert.equal(mock.health().faults.fail_next_remaining, 1);
  assert.equal((await send(mock, 'r-1')).status, 502);
  assert.equal(mock.health().mode, 'up', 'back up after the last failure');
  assert.equal((await send(mock, 'r-1')).status, 200);
  assert.equal(mock.health().call_count, 3);
});

test('fail_next defaults to one failure with 503', async (t) => {
  const mock = await mockFor(t);
  mock.setMode({ mode: 'fail_next' });
  assert.equal((await send(mock, 'r-1')).status, 503);
  assert.equal((await send(mock, 'r-1')).status, 200);
});

test('retry_after_s adds Retry-After to failures; with 429 it is the rate-limit case', async (t) => {
  const mock = await mockFor(t);
  await postMode(mock, { mode: 'fail_next', count: 1, status: 429, retry_after_s: 7 });
  const limited = await send(mock, 'r-1');
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '7');
  const ok = await send(mock, 'r-1');
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('retry-after'), null, 'only failures carry Retry-After');

  mock.setMode({ mode: 'down' });
  assert.equal((await send(mock, 'r-2')).headers.get('retry-after'), null, 'none unless asked for');
});

test('latency_ms delays every receipt answer, failures included', async (t) => {
  const mock = await mockFor(t);
  await postMode(mock, { mode: 'up', latency_ms: 150 });
  let started = performance.now();
  assert.equal((await send(mock, 'r-1')).status, 200);
  // A lower bound only (the delay is the feature); no upper bound, slow machines are fine.
  assert.ok(performance.now() - started >= 140, 'accept delayed');

  mock.setMode({ mode: 'down', latency_ms: 150 });
  started = performance.now();
  assert.equal((await send(mock, 'r-2')).status, 503);
  assert.ok(performance.now() - started >= 140, 'failure delayed');
});

test('failure_rate fails that share of calls at random (scripted randomness)', async (t) => {
  const rolls = [0.1, 0.9, 0.49, 0.5];
  const mock = await mockFor(t, { random: () => rolls.shift() ?? 1 });
  await postMode(mock, { mode: 'up', failure_rate: 0.5, status: 500 });
  assert.equal((await getHealth(mock))['status'], 'degraded');
  const statuses = [];
  for (const id of ['r-1', 'r-2', 'r-3', 'r-4']) statuses.push((await send(mock, id)).status);
  assert.deepEqual(statuses, [500, 200, 500, 200]);
  assert.equal(mock.health().injected_failures, 2);
});

test('failure_rate 1 fails every call and 0 none (real randomness)', async (t) => {
  const mock = await mockFor(t);
  mock.setMode({ mode: 'up', failure_rate: 1 });
  for (const id of ['r-1', 'r-2', 'r-3']) assert.equal((await send(mock, id)).status, 503);
  mock.setMode({ mode: 'up', failure_rate: 0 });
  for (const id of ['r-1', 'r-2', 'r-3']) assert.equal((await send(mock, id)).status, 200);
});

test('hang accepts the call and never answers; close() still ends promptly', async (t) => {
  const mock = await startOfdMock();
  let closed = false;
  t.after(async () => {
    if (!closed) await mock.close();
  });
  await postMode(mock, { mode: 'hang' });
  await assert.rejects(
    fetch(`${mock.url}/ofd/v1/receipt`, {
      method: 'POST',
      headers: { 'Idempotency-Key': 'r-1' },
      body: JSON.stringify(receiptBody('r-1')),
      signal: AbortSignal.timeout(200),
    }),
    { name: 'TimeoutError' },
  );
  assert.equal(mock.health().call_count, 1);
  assert.equal(mock.health().status, 'down');

  // A request still hanging when the server closes: close() must destroy its socket.
  const pending = fetch(`${mock.url}/ofd/v1/receipt`, {
    method: 'POST',
    headers: { 'Idempotency-Key': 'r-2' },
    body: JSON.stringify(receiptBody('r-2')),
  });
  await waitFor('the hanging request to arrive', () => mock.health().call_count >= 2);
  await mock.close();
  closed = true;
  await assert.rejects(pending, TypeError);
});

test('reset forgets receipts, counters and faults', async (t) => {
  const mock = await mockFor(t);
  const first = await send(mock, 'r-1');
  mock.setMode({ mode: 'down', latency_ms: 5 });
  await send(mock, 'r-2');
  const r = await call(`${mock.url}/ofd/v1/_test/reset`, { method: 'POST' });
  assert.equal(r.status, 200);
  const health = await getHealth(mock);
  assert.equal(health['mode'], 'up');
  assert.equal(health['call_count'], 0);
  assert.equal(health['receipts_received'], 0);
  assert.equal(health['injected_failures'], 0);
  assert.deepEqual(mock.received(), []);
  const again = await send(mock, 'r-1');
  assert.equal(again.status, 200, 'the key is forgotten too');
  assert.equal(again.body['ofd_id'], first.body['ofd_id'], 'ofd ids start over');
});

test('invalid mode bodies answer 400 with a clear message and change nothing', async (t) => {
  const mock = await mockFor(t);
  mock.setMode({ mode: 'up', latency_ms: 1 });
  const cases: Array<[unknown, RegExp]> = [
    ['not json', /not valid JSON/],
    ['', /empty body/],
    [[], /JSON object/],
    [{}, /mode must be one of up, down, fail_next, hang/],
    [{ mode: 'sideways' }, /mode must be one of/],
    [{ mode: 'fail_next', count: 0 }, /count must be an integer from 1/],
    [{ mode: 'fail_next', count: 1.5 }, /count must be an integer/],
    [{ mode: 'down', count: 2 }, /count only applies to mode fail_next/],
    [{ mode: 'down', status: 200 }, /status must be an integer from 400 to 599/],
    [{ mode: 'up', latency_ms: -1 }, /latency_ms must be an integer/],
    [{ mode: 'up', retry_after_s: '5' }, /retry_after_s must be an integer/],
    [{ mode: 'up', failure_rate: 1.5 }, /failure_rate must be a number from 0 to 1/],
    [{ mode: 'down', failure_rate: 0.5 }, /failure_rate only applies to mode up/],
    [{ mode: 'up', latencyMs: 5 }, /Unknown field\(s\) latencyMs/],
  ];
  for (const [body, expected] of cases) {
    const a = await postMode(mock, body);
    assert.equal(a.status, 400, JSON.stringify(body));
    assert.match(String(a.body['message']), expected, JSON.stringify(body));
  }
  assert.equal(mock.health().faults.latency_ms, 1, 'the previous setup is kept');
});

test('setMode in process applies the same rules and throws OfdMockInputError', async (t) => {
  const mock = await mockFor(t);
  assert.throws(() => mock.setMode({ mode: 'down', count: 3 }), OfdMockInputError);
  assert.throws(() => mock.setMode({ mode: 'nope' } as never), /mode must be one of/);
  mock.setMode({ mode: 'fail_next', count: 3, status: 429, retry_after_s: 2, latency_ms: 0 });
  assert.deepEqual(mock.health().faults, {
    mode: 'fail_next',
    fail_next_remaining: 3,
    status: 429,
    latency_ms: 0,
    retry_after_s: 2,
    failure_rate: 0,
  });
});

test('received() returns copies: callers cannot change what the mock stored', async (t) => {
  const mock = await mockFor(t);
  await send(mock, 'r-1');
  const copy = mock.received();
  copy[0]!.body['pos_id'] = 'changed';
  copy.length = 0;
  assert.equal(mock.received()[0]?.body['pos_id'], 'POS-1');
});

test('starting on a port in use rejects with EADDRINUSE', async (t) => {
  const mock = await mockFor(t);
  await assert.rejects(startOfdMock({ port: mock.port }), { code: 'EADDRINUSE' });
});

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function runCli(args: string[]) {
  const child = spawn(process.execPath, [bundlePath('ofd-mock'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, out: () => stdout, err: () => stderr };
}

test('CLI: listens, prints one ready line, applies --mode and --latency-ms, stops on SIGTERM', async (t) => {
  const cli = runCli(['--port', '0', '--mode', 'down', '--latency-ms', '5', '--token', 'tok']);
  t.after(() => cli.child.kill('SIGKILL'));
  await waitFor('the ready line', () => {
    if (cli.child.exitCode !== null) assert.fail(`CLI exited early: ${cli.err()}`);
    return cli.out().includes('\n');
  });
  const match = /^OFD mock listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(cli.out());
  assert.ok(match, `ready line: ${JSON.stringify(cli.out())}`);
  const health = (await call(`${match[1]}/ofd/v1/health`)).body;
  assert.equal(health['mode'], 'down');
  assert.equal((health['faults'] as Record<string, unknown>)['latency_ms'], 5);

  cli.child.kill('SIGTERM');
  const [code] = await cli.exited;
  assert.equal(code, 0);
});

test('CLI: bad flags exit 2 with a clear message; --help explains', async () => {
  const bad = runCli(['--port', 'eighty']);
  assert.deepEqual(await bad.exited, [2, null]);
  assert.match(bad.err(), /--port must be an integer from 0 to 65535, got "eighty"/);

  const unknown = runCli(['--verbose']);
  assert.deepEqual(await unknown.exited, [2, null]);
  assert.match(unknown.err(), /Unknown option '--verbose'/);

  const mode = runCli(['--mode', 'sideways']);
  assert.deepEqual(await mode.exited, [2, null]);
  assert.match(mode.err(), /--mode must be one of up, down, fail_next, hang/);

  const help = runCli(['--help']);
  assert.deepEqual(await help.exited, [0, null]);
  assert.match(help.out(), /Usage: tsx src\/ofd-mock\/cli\.ts/);
  assert.match(help.out(), /--latency-ms N/);
});
