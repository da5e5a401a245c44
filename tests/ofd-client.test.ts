// The station's OFD client against the mock OFD (and, for answers the mock never gives, small raw
// servers) over real loopback HTTP: the request it sends and how it classifies every kind of answer.

import assert from 'node:assert/strict';
import { createServer, type RequestListener } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import {
  DEFAULT_RETRY_AFTER_MS,
  OfdClient,
  isRetryableOutcome,
  parseRetryAfterMs,
  type OfdOutcome,
  type OfdReceiptPayload,
} from '../src/main/core/ofd/ofd-client.ts';
import { startOfdMock, type OfdMock } from '../src/ofd-mock/server.ts';

const TOKEN = 'station-token';

function payload(id = 'rcp-0001'): OfdReceiptPayload {
  return {
    receipt_id: id,
    pos_id: 'POS-7',
    type: 'sale',
    items: [
      { name: 'Молоко 1 л', price_kop: 8990, quantity_milli: 2000, total_kop: 17980, vat: 'vat10' },
      { name: 'Яблоки', price_kop: 15000, quantity_milli: 250, total_kop: 3750, vat: 'vat22' },
    ],
    payments: [
      { type: 'card', amount_kop: 20000 },
      { type: 'cash', amount_kop: 1730 },
    ],
    total_kop: 21730,
    fiscal: {
      fd_number: 42,
      fiscal_sign: 1234567890,
      fn_number: '9999078900012345',
      kkt_reg_number: '0000000001012345',
      shift_number: 4,
      receipt_number: 12,
      fiscal_datetime: '2025-03-01T12:30:00',
      qr: 't=20250301T1230&s=217.30&fn=9999078900012345&i=42&fp=1234567890&n=1',
    },
    created_at: '2025-03-01T09:29:58.000Z',
  };
}

async function mockFor(t: TestContext): Promise<OfdMock> {
  const mock = await startOfdMock({ token: TOKEN });
  t.after(() => mock.close());
  return mock;
}

function clientFor(baseUrl: string, timeoutMs?: number): OfdClient {
  return new OfdClient({ baseUrl, token: TOKEN, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
}

/** A plain HTTP server answering as told, for answers the mock does not produce. */
async function rawServer(t: TestContext, handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('accepted: sends the payload with bearer token, Idempotency-Key = receipt_id, JSON', async (t) => {
  const mock = await mockFor(t);
  const outcome = await clientFor(mock.url).send(payload('rcp-1'));
  assert.equal(outcome.kind, 'accepted');
  assert.ok(outcome.kind === 'accepted' && /^OFD-\d+$/.test(outcome.ofdId));

  const [stored] = mock.received();
  assert.equal(stored?.idempotency_key, 'rcp-1');
  assert.equal(stored?.ofd_id, outcome.ofdId);
  assert.deepEqual(stored?.body, payload('rcp-1'), 'the body arrives as the snake_case payload, unchanged');
});

test('the request headers are exactly what the contract asks for', async (t) => {
  let seen: Record<string, string | string[] | undefined> = {};
  let seenPath = '';
  const url = await rawServer(t, (req, res) => {
    seen = req.headers;
    seenPath = `${req.method} ${req.url}`;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"accepted","ofd_id":"X-1"}');
  });
  // A trailing slash on the base URL must not produce a double slash.
  const outcome = await clientFor(`${url}/`).send(payload('rcp-h'));
  assert.deepEqual(outcome, { kind: 'accepted', ofdId: 'X-1' });
  assert.equal(seenPath, 'POST /ofd/v1/receipt');
  assert.equal(seen['authorization'], `Bearer ${TOKEN}`);
  assert.equal(seen['idempotency-key'], 'rcp-h');
  assert.equal(seen['content-type'], 'application/json');
});

test('duplicate: a resend answers 409 and is a success with the original ofd_id', async (t) => {
  const mock = await mockFor(t);
  const client = clientFor(mock.url);
  const first = await client.send(payload('rcp-1'));
  const again = await client.send(payload('rcp-1'));
  assert.equal(first.kind, 'accepted');
  assert.deepEqual(again, { kind: 'duplicate', ofdId: first.kind === 'accepted' ? first.ofdId : '' });
  assert.equal(isRetryableOutcome(again), false);
  assert.equal(mock.received().length, 1);
});

test('duplicate without an ofd_id in the body is still a duplicate', async (t) => {
  const url = await rawServer(t, (_req, res) => res.writeHead(409).end());
  assert.deepEqual(await clientFor(url).send(payload()), { kind: 'duplicate' });
});

test('permanent: 422 from the mock carries its message', async (t) => {
  const mock = await mockFor(t);
  const broken = { ...payload(), fiscal: undefined } as unknown as OfdReceiptPayload;
  const outcome = await clientFor(mock.url).send(broken);
  assert.equal(outcome.kind, 'permanent');
  assert.ok(outcome.kind === 'permanent');
  assert.equal(outcome.status, 422);
  assert.match(
    outcome.message,
    /^OFD rejected the receipt \(422\): Invalid receipt: fiscal attributes are missing/,
  );
  assert.deepEqual(outcome.why, { code: 'rejected', params: { status: 422 } });
  assert.equal(isRetryableOutcome(outcome), false);
});

test('permanent: 400 is permanent; 404 (a wrong URL path) is retryable, not a DLQ storm', async (t) => {
  const mock = await mockFor(t);
  mock.setMode({ mode: 'fail_next', status: 400 });
  const bad = await clientFor(mock.url).send(payload());
  assert.equal(bad.kind, 'permanent');
  assert.ok(bad.kind === 'permanent' && bad.status === 400);
  assert.deepEqual(bad.why, { code: 'rejected', params: { status: 400 } });

  const notFound = await clientFor(`${mock.url}/wrong-prefix`).send(payload());
  assert.ok(notFound.kind === 'retryable' && notFound.status === 404, JSON.stringify(notFound));
  assert.match(notFound.message, /check the OFD URL/);
  assert.deepEqual(notFound.why, { code: 'endpoint_not_found', params: { status: 404 } });
});

test('auth: a wrong token (401) and 403 are auth outcomes, retryable', async (t) => {
  const mock = await mockFor(t);
  const wrong = await new OfdClient({ baseUrl: mock.url, token: 'stale' }).send(payload());
  assert.equal(wrong.kind, 'auth');
  assert.ok(wrong.kind === 'auth');
  assert.equal(wrong.status, 401);
  assert.deepEqual(wrong.why, { code: 'auth', params: { status: 401 } });
  assert.match(wrong.message, /^OFD refused the token \(401\): Unauthorized: wrong bearer token/);
  assert.equal(isRetryableOutcome(wrong), true);

  mock.setMode({ mode: 'fail_next', status: 403 });
  const forbidden = await clientFor(mock.url).send(payload());
  assert.ok(forbidden.kind === 'auth' && forbidden.status === 403, JSON.stringify(forbidden));
  assert.deepEqual(forbidden.why, { code: 'auth', params: { status: 403 } });
  assert.equal(mock.received().length, 0);
});

test('rate_limited: 429 with Retry-After seconds, and the default without it', async (t) => {
  const mock = await mockFor(t);
  const client = clientFor(mock.url);
  mock.setMode({ mode: 'fail_next', status: 429, retry_after_s: 7 });
  const limited = await client.send(payload());
  assert.equal(limited.kind, 'rate_limited');
  assert.ok(limited.kind === 'rate_limited' && limited.retryAfterMs === 7000);
  assert.deepEqual(limited.why, { code: 'rate_limited', params: { retrySeconds: 7 } });
  assert.equal(isRetryableOutcome(limited), true);

  mock.setMode({ mode: 'fail_next', status: 429 });
  const noHeader = await client.send(payload());
  assert.ok(noHeader.kind === 'rate_limited' && noHeader.retryAfterMs === DEFAULT_RETRY_AFTER_MS);

  assert.equal((await client.send(payload())).kind, 'accepted', 'the mock recovers after fail_next');
});

test('rate_limited: 429 with Retry-After as an HTTP date', async (t) => {
  const url = await rawServer(t, (_req, res) =>
    res.writeHead(429, { 'Retry-After': new Date(Date.now() + 30_000).toUTCString() }).end(),
  );
  const outcome = await clientFor(url).send(payload());
  assert.equal(outcome.kind, 'rate_limited');
  // toUTCString drops milliseconds, so the delay is a little under 30 s.
  assert.ok(
    outcome.kind === 'rate_limited' && outcome.retryAfterMs > 25_000 && outcome.retryAfterMs <= 30_000,
  );
});

test('parseRetryAfterMs: seconds, HTTP dates, past dates and junk', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');
  assert.equal(parseRetryAfterMs('120', now), 120_000);
  assert.equal(parseRetryAfterMs(' 0 ', now), 0);
  assert.equal(parseRetryAfterMs('Sat, 01 Mar 2025 12:00:05 GMT', now), 5000);
  assert.equal(parseRetryAfterMs('Sat, 01 Mar 2025 11:00:00 GMT', now), 0, 'a past date means now');
  assert.equal(parseRetryAfterMs('-5', now), undefined);
  assert.equal(parseRetryAfterMs('soon', now), undefined);
  assert.equal(parseRetryAfterMs(null, now), undefined);
});

test('retryable: 5xx from mode down, with status and Retry-After when given', async (t) => {
  const mock = await mockFor(t);
  mock.setMode({ mode: 'down', retry_after_s: 3 });
  const outcome = await clientFor(mock.url).send(payload());
  assert.deepEqual(outcome, {
    kind: 'retryable',
    status: 503,
    message: 'OFD error 503: OFD mock: injected failure (status 503)',
    why: { code: 'http_status', params: { status: 503 } },
    retryAfterMs: 3000,
  });
  assert.equal(isRetryableOutcome(outcome), true);

  mock.setMode({ mode: 'fail_next', status: 500 });
  const fiveHundred = await clientFor(mock.url).send(payload());
  assert.ok(
    fiveHundred.kind === 'retryable' && fiveHundred.status === 500 && fiveHundred.retryAfterMs === undefined,
  );
  assert.deepEqual(fiveHundred.why, { code: 'http_status', params: { status: 500 } });
});

test('retryable: 408 is retryable, not permanent', async (t) => {
  const mock = await mockFor(t);
  mock.setMode({ mode: 'fail_next', status: 408 });
  const outcome = await clientFor(mock.url).send(payload());
  assert.ok(outcome.kind === 'retryable' && outcome.status === 408, JSON.stringify(outcome));
});

test('retryable: an answer slower than timeoutMs (mode hang) times out with a human message', async (t) => {
  const mock = await mockFor(t);
  mock.setMode({ mode: 'hang' });
  const outcome = await clientFor(mock.url, 300).send(payload());
  assert.deepEqual(outcome, {
    kind: 'retryable',
    message: 'OFD did not answer within 300 ms',
    why: { code: 'timeout', params: { ms: 300 } },
  });
});

test('latency below the timeout is just a slow success', async (t) => {
  const mock = await mockFor(t);
  mock.setMode({ mode: 'up', latency_ms: 100 });
  assert.equal((await clientFor(mock.url, 5000).send(payload())).kind, 'accepted');
});

test('retryable: a server that stalls after the headers times out too', async (t) => {
  const url = await rawServer(t, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"status":'); // and never finishes
  });
  assert.deepEqual(await clientFor(url, 300).send(payload()), {
    kind: 'retryable',
    message: 'OFD did not answer within 300 ms',
    why: { code: 'timeout', params: { ms: 300 } },
  });
});

test('timeouts of a second or more are reported in seconds', async (t) => {
  const mock = await mockFor(t);
  mock.setMode({ mode: 'hang' });
  const outcome = await clientFor(mock.url, 1000).send(payload());
  assert.equal(outcome.kind === 'retryable' ? outcome.message : '', 'OFD did not answer within 1 s');
});

test('retryable: connection refused names the address', async () => {
  // Take a free port and release it, so nothing listens there.
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));

  const outcome = await clientFor(`http://127.0.0.1:${port}`).send(payload());
  assert.deepEqual(outcome, {
    kind: 'retryable',
    message: `OFD unreachable: connection refused (127.0.0.1:${port})`,
    why: { code: 'network', params: { error: 'ECONNREFUSED' } },
  });
});

test('retryable: connection reset and connection closed mid-request', async (t) => {
  const sockets = new Set<Socket>();
  const reset = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => socket.resetAndDestroy());
  });
  const closing = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => socket.end());
  });
  for (const server of [reset, closing]) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
  }
  const portOf = (s: typeof reset): number => (s.address() as AddressInfo).port;

  const wasReset = await clientFor(`http://127.0.0.1:${portOf(reset)}`).send(payload());
  assert.deepEqual(wasReset, {
    kind: 'retryable',
    message: 'OFD unreachable: connection reset',
    why: { code: 'network', params: { error: 'ECONNRESET' } },
  });
  const wasClosed = await clientFor(`http://127.0.0.1:${portOf(closing)}`).send(payload());
  assert.deepEqual(wasClosed, {
    kind: 'retryable',
    message: 'OFD unreachable: connection closed by the server',
    why: { code: 'network', params: { error: 'ECONNRESET' } },
  });
});

test('a kept-alive connection the OFD closed meanwhile: the send goes again on a new one, once', async (t) => {
  // Answers the first request of each connection and keeps it open; a second request on the same
  // connection finds it gone (reset), as when the OFD closed an idle connection just as we sent.
  const sockets = new Set<Socket>();
  let connections = 0;
  let requests = 0;
  const server = createNetServer((socket) => {
    connections++;
    sockets.add(socket);
    let served = 0;
    socket.on('data', (chunk) => {
      if (!chunk.toString('latin1').includes('\r\n\r\n')) return; // headers and body come in one write
      requests++;
      if (served++ > 0) return socket.resetAndDestroy();
      const body = JSON.stringify({ ofd_id: `OFD-${requests}` });
      socket.write(
        `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body}`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const client = clientFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  t.after(() => client.close());

  assert.deepEqual(await client.send(payload('rcp-a')), { kind: 'accepted', ofdId: 'OFD-1' });
  assert.deepEqual(await client.send(payload('rcp-b')), { kind: 'accepted', ofdId: 'OFD-3' });
  assert.equal(requests, 3, 'the stale connection took one request, the new one the resend');
  assert.equal(connections, 2);
});

test('retryable: an unknown host', async () => {
  // A short timeout in case this machine's resolver never answers; that still has to be retryable.
  const outcome = await clientFor('http://ofd.invalid', 3000).send(payload());
  assert.equal(outcome.kind, 'retryable');
  assert.match(
    outcome.kind === 'retryable' ? outcome.message : '',
    /^OFD (unreachable: (host not found \(ofd\.invalid\)|DNS lookup failed)|did not answer within 3 s)/,
  );
  const why = outcome.kind === 'retryable' ? outcome.why : null;
  assert.ok(
    (why?.code === 'network' && ['ENOTFOUND', 'EAI_AGAIN'].includes(why.params.error ?? '')) ||
      why?.code === 'timeout',
    JSON.stringify(why),
  );
});

test('retryable: a 200 without ofd_id (cannot prove delivery; a resend answers 409)', async (t) => {
  const url = await rawServer(t, (_req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>ok</html>'),
  );
  assert.deepEqual(await clientFor(url).send(payload()), {
    kind: 'retryable',
    status: 200,
    message: 'OFD answered 200 without an ofd_id',
    why: { code: 'bad_answer', params: { status: 200 } },
  });
});

test('retryable: a redirect is reported, not followed', async (t) => {
  let calls = 0;
  const url = await rawServer(t, (_req, res) => {
    calls += 1;
    res.writeHead(301, { Location: 'https://ofd.example/ofd/v1/receipt' }).end();
  });
  const outcome = await clientFor(url).send(payload());
  assert.deepEqual(outcome, {
    kind: 'retryable',
    status: 301,
    message: 'OFD redirected (301 to https://ofd.example/ofd/v1/receipt): check the OFD URL',
    why: { code: 'redirect', params: { status: 301 } },
  });
  assert.equal(calls, 1);
});

test('error text from a non-JSON body is kept short and on one line', async (t) => {
  const url = await rawServer(t, (_req, res) => res.writeHead(502).end(`Bad gateway\n${'x'.repeat(500)}`));
  const outcome = await clientFor(url).send(payload());
  assert.ok(outcome.kind === 'retryable');
  assert.ok(outcome.message.startsWith('OFD error 502: Bad gateway x'));
  assert.ok(outcome.message.length < 230 && !outcome.message.includes('\n'));
});

test('constructor rejects an unusable base URL', () => {
  assert.throws(() => new OfdClient({ baseUrl: 'ofd.example.ru', token: TOKEN }), TypeError);
  assert.throws(() => new OfdClient({ baseUrl: 'ftp://ofd.example.ru', token: TOKEN }), /http or https/);
});

test('isRetryableOutcome: retry auth, rate limits and transient failures; never delivered or permanent', () => {
  const table: Array<[OfdOutcome, boolean]> = [
    [{ kind: 'accepted', ofdId: 'X' }, false],
    [{ kind: 'duplicate' }, false],
    [
      { kind: 'permanent', status: 422, message: 'm', why: { code: 'rejected', params: { status: 422 } } },
      false,
    ],
    [{ kind: 'auth', status: 401, message: 'm', why: { code: 'auth', params: { status: 401 } } }, true],
    [
      {
        kind: 'rate_limited',
        retryAfterMs: 1000,
        message: 'm',
        why: { code: 'rate_limited', params: { retrySeconds: 1 } },
      },
      true,
    ],
    [{ kind: 'retryable', message: 'm', why: { code: 'timeout', params: { ms: 1 } } }, true],
  ];
  for (const [outcome, expected] of table) assert.equal(isRetryableOutcome(outcome), expected, outcome.kind);
});

test('an empty ofd_id is no proof of delivery: a 200 with "" is retryable, a 409 with "" a duplicate without an id', async (t) => {
  const url = await rawServer(t, (req, res) =>
    res
      .writeHead(req.headers['idempotency-key'] === 'dup' ? 409 : 200, { 'Content-Type': 'application/json' })
      .end('{"status":"accepted","ofd_id":""}'),
  );
  assert.deepEqual(await clientFor(url).send(payload()), {
    kind: 'retryable',
    status: 200,
    message: 'OFD answered 200 with an unusable ofd_id ""',
    why: { code: 'bad_answer', params: { status: 200 } },
  });
  assert.deepEqual(await clientFor(url).send(payload('dup')), { kind: 'duplicate' });
});

/** A server that streams `totalBytes` of JSON-looking padding as fast as the reader takes it, counting what left. */
async function hugeAnswerServer(
  t: TestContext,
  totalBytes: number,
  declareLength: boolean,
): Promise<{ url: string; sent: () => number; closed: Promise<void> }> {
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  let sent = 0;
  let closedResolve!: () => void;
  const closed = new Promise<void>((resolve) => (closedResolve = resolve));
  const url = await rawServer(t, (_req, res) => {
    res.writeHead(200, {
      'Content-Type': 'application/json',
      ...(declareLength ? { 'Content-Length': String(totalBytes) } : {}),
    });
    res.on('close', closedResolve);
    const pump = () => {
      while (sent < totalBytes && !res.destroyed) {
        const n = Math.min(chunk.length, totalBytes - sent);
        sent += n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n)))
          return void res.once('drain', pump);
      }
      if (sent >= totalBytes) res.end();
    };
    pump();
  });
  return { url, sent: () => sent, closed };
}

test('a 300 MB answer is not read: streamed, cut off past 1 MB, retryable; memory stays flat', async (t) => {
  for (const declareLength of [false, true]) {
    const server = await hugeAnswerServer(t, 300 * 1024 * 1024, declareLength);
    const rssBefore = process.memoryUsage().rss;
    const outcome = await clientFor(server.url, 60_000).send(payload());
    const grown = process.memoryUsage().rss - rssBefore;
    assert.deepEqual(
      outcome,
      {
        kind: 'retryable',
        status: 200,
        message: 'OFD answered 200 with a body over 1 MB; it was not read. Check the OFD URL',
        why: { code: 'too_large', params: { status: 200 } },
      },
      `Content-Length declared: ${declareLength}`,
    );
    await server.closed; // the client dropped the connection instead of draining 300 MB
    assert.ok(
      server.sent() < 64 * 1024 * 1024,
      `the client stopped reading early (the server sent ${server.sent()} bytes)`,
    );
    assert.ok(grown < 100 * 1024 * 1024, `RSS grew by ${Math.round(grown / 1024 / 1024)} MB`);
  }
});
