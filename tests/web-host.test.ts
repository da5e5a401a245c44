// The browser host (src/main/web/): the renderer↔main contract over HTTP + server-sent events,
// behind the printed link's token. A real station (temp data dir, emulated KKT, mock OFD) behind a real
// loopback server; the static root is a temp directory with a hand-written index.html, so these tests
// do not depend on the renderer's build.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { silentLogger } from '../src/main/core/logger.ts';
import { ConfigError } from '../src/main/core/config.ts';
import { startWebHost, webSettings, type WebHost } from '../src/main/web/host.ts';
import { MissingRendererError } from '../src/main/web/static-files.ts';
import { startOfdMock, type OfdMock } from '../src/ofd-mock/server.ts';
import { bundlePath } from './helpers/bundles.ts';
import { saleBody } from './helpers/fixture.ts';
import { waitFor } from './helpers/wait.ts';
import { REPO_ROOT } from './helpers/headless.ts';
import { programEnv } from './helpers/program-env.ts';

const INDEX_HTML =
  '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body>station test page</body></html>';

/** A static root with index.html and one asset, and a secret file beside it that must never be served. */
function staticFixture(base: string): string {
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), INDEX_HTML);
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(base, 'secret.txt'), 'TOP-SECRET');
  return root;
}

/** A raw request: fetch() normalises `/../` away before sending, which would hide a traversal bug. */
function rawGet(
  origin: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser host', () => {
  let base: string;
  let ofd: OfdMock;
  let host: WebHost;
  let cookie: string;

  before(async () => {
    base = mkdtempSync(join(tmpdir(), 'web-host-'));
    ofd = await startOfdMock();
    host = await startWebHost({
      env: {
        STATION_DATA_DIR: join(base, 'data'),
        STATION_API_PORT: '0',
        STATION_WEB_PORT: '0',
        STATION_OFD_URL: ofd.url,
        STATION_OFD_TIMEOUT_MS: '2000',
      },
      log: silentLogger,
      staticRoot: staticFixture(base),
    });
    const res = await fetch(host.url, { redirect: 'manual' });
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  });

  after(async () => {
    await host?.close();
    await ofd?.close();
    rmSync(base, { recursive: true, force: true });
  });

  const invoke = (name: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${host.origin}/api/invoke/${name}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: host.origin, ...headers },
      body: JSON.stringify(body),
    });

  test('the printed link sets an HttpOnly SameSite=Strict cookie and redirects to /', async () => {
    assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{16,}$/);
    const res = await fetch(host.url, { redirect: 'manual' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/');
    const setCookie = res.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.match(setCookie, /Path=\//);
    assert.ok(setCookie.startsWith(`station_session_${new URL(host.origin).port}=`), setCookie);

    const page = await fetch(`${host.origin}/`, { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /station test page/);
  });

  test('a wrong token gets no cookie', async () => {
    const res = await fetch(`${host.origin}/?token=not-the-token-0000000000`, { redirect: 'manual' });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('set-cookie'), null);
  });

  test('without the cookie: /api answers 401, the page too', async () => {
    const api = await fetch(`${host.origin}/api/invoke/station.snapshot`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(api.status, 401);
    const body = (await api.json()) as any;
    assert.equal(body.ok, false);
    assert.equal(body.error.code, 'unauthorized');
    assert.equal((await fetch(`${host.origin}/api/events`)).status, 401);
    assert.equal((await fetch(`${host.origin}/`)).status, 401);
    const forged = await fetch(`${host.origin}/api/invoke/station.snapshot`, {
      method: 'POST',
      headers: {
        cookie: `${cookie.split('=')[0]}=forged-value-0123456789`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    assert.equal(forged.status, 401);
  });

  test('Authorization: Bearer works instead of the cookie', async () => {
    const res = await fetch(`${host.origin}/api/invoke/station.snapshot`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as any).ok, true);
  });

  test('a POST from another origin is refused (CSRF), and so is a non-JSON body', async () => {
    const res = await invoke('station.snapshot', {}, { origin: 'http://evil.example' });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as any).error.code, 'forbidden_origin');
    const form = await fetch(`${host.origin}/api/invoke/station.snapshot`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'text/plain' },
      body: '{}',
    });
    assert.equal(form.status, 415);
  });

  test('a foreign Host header is refused (DNS rebinding)', async () => {
    const res = await rawGet(host.origin, '/', { cookie, host: 'evil.example' });
    assert.equal(res.status, 421);
  });

  test('an unknown command is a 404 Result', async () => {
    const res = await invoke('station.format', {});
    assert.equal(res.status, 404);
    const body = (await res.json()) as any;
    assert.deepEqual(Object.keys(body).sort(), ['error', 'ok']);
    assert.equal(body.ok, false);
    assert.equal(body.error.code, 'unknown_command');
    assert.equal(typeof body.error.message, 'string');
  });

  test('station.snapshot returns ok with a snapshot', async () => {
    const res = await invoke('station.snapshot', {});
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = (await res.json()) as any;
    assert.equal(body.ok, true);
    assert.equal(body.value.posId, 'POS-1');
    assert.equal(typeof body.value.buffer.capacity, 'number');
    assert.ok(['CLOSED', 'OPEN', 'HALF_OPEN'].includes(body.value.breaker.state));
  });

  test('a command error travels as an ok:false Result with HTTP 200', async () => {
    const res = await invoke('receipt.void', { arg: { id: '' } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as any;
    assert.equal(body.ok, false);
    assert.equal(body.error.code, 'validation_error');
  });

  test('an event stream receives pushed events after receipt.create, and is cleaned up on disconnect', async () => {
    const abort = new AbortController();
    const stream = await fetch(`${host.origin}/api/events`, { headers: { cookie }, signal: abort.signal });
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(host.eventStreams(), 1);

    const events: { name: string; data: any }[] = [];
    const reading = (async () => {
      const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (name && data) events.push({ name, data: JSON.parse(data) });
        }
        if (
          events.some((e) => e.name === 'journal.entry') &&
          events.some((e) => e.name === 'station.snapshot')
        )
          return;
      }
    })();

    const sale = await invoke('receipt.create', { arg: { idempotencyKey: randomUUID(), body: saleBody() } });
    const result = (await sale.json()) as any;
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.value.type, 'sale');

    await Promise.race([
      reading,
      new Promise((_, fail) =>
        setTimeout(
          () => fail(new Error(`no events within 5 s: ${JSON.stringify(events.map((e) => e.name))}`)),
          5_000,
        ),
      ),
    ]);
    const journal = events.find((e) => e.name === 'journal.entry')!;
    assert.equal(typeof journal.data.message, 'string');
    const snapshot = events.find((e) => e.name === 'station.snapshot')!;
    assert.equal(snapshot.data.posId, 'POS-1');

    abort.abort();
    await reading.catch(() => undefined);
    await waitFor('the event stream to close', () => host.eventStreams() === 0);
    assert.equal(host.eventStreams(), 0);
  });

  test('index.html: CSP, nosniff, no-referrer, no-store', async () => {
    const res = await fetch(`${host.origin}/`, { headers: { cookie } });
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'none'",
    ])
      assert.ok(csp.split('; ').includes(directive), `CSP lacks ${directive}: ${csp}`);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });

  test('static files get their content type', async () => {
    const res = await fetch(`${host.origin}/assets/app.js`, { headers: { cookie } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal((await fetch(`${host.origin}/assets/missing.js`, { headers: { cookie } })).status, 404);
  });

  test('path traversal is refused', async () => {
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets%00.js',
    ]) {
      const res = await rawGet(host.origin, path, { cookie });
      assert.equal(res.status, 400, path);
      assert.doesNotMatch(res.body, /TOP-SECRET|"name": "cashier-station"/, path);
    }
  });
});

describe('browser host start-up', () => {
  test('STATION_WEB_PORT, STATION_WEB_TOKEN and STATION_WEB_CLOSE_GRACE_MS are validated, naming the variable', () => {
    assert.equal(webSettings({}).port, 8080);
    assert.equal(webSettings({ STATION_WEB_PORT: '0' }).port, 0);
    assert.throws(
      () => webSettings({ STATION_WEB_PORT: 'eighty' }),
      (e: unknown) => e instanceof ConfigError && /^STATION_WEB_PORT="eighty": /.test(e.message),
    );
    assert.throws(() => webSettings({ STATION_WEB_PORT: '70000' }), /STATION_WEB_PORT/);
    assert.equal(webSettings({}).closeGraceMs, 5_000);
    assert.equal(webSettings({ STATION_WEB_CLOSE_GRACE_MS: '0' }).closeGraceMs, 0);
    for (const bad of ['-1', '1.5', 'soon', '600001'])
      assert.throws(
        () => webSettings({ STATION_WEB_CLOSE_GRACE_MS: bad }),
        (e: unknown) => e instanceof ConfigError && /^STATION_WEB_CLOSE_GRACE_MS=/.test(e.message),
        bad,
      );
    assert.throws(
      () => webSettings({ STATION_WEB_TOKEN: 'short' }),
      (e: unknown) =>
        e instanceof ConfigError && /STATION_WEB_TOKEN/.test(e.message) && !e.message.includes('short'),
    );
  });

  test('a missing renderer build stops start-up with the instruction', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'web-host-empty-'));
    try {
      await assert.rejects(
        startWebHost({ env: { STATION_DATA_DIR: join(dir, 'data') }, staticRoot: dir, log: silentLogger }),
        (e: unknown) =>
          e instanceof MissingRendererError && /run npm run build:renderer first/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('as a program: prints the Open line, serves it, and exits 0 on SIGTERM', async (t) => {
    const base = mkdtempSync(join(tmpdir(), 'web-host-cli-'));
    const ofd = await startOfdMock();
    t.after(async () => {
      await ofd.close();
      rmSync(base, { recursive: true, force: true });
    });
    const env = programEnv({
      STATION_DATA_DIR: join(base, 'data'),
      STATION_API_PORT: '0',
      STATION_WEB_PORT: '0',
      STATION_OFD_URL: ofd.url,
      STATION_WEB_ROOT: staticFixture(base),
    });
    const child = spawn(process.execPath, [bundlePath('web')], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    t.after(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let out = '';
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no Open line within 20 s:\n${out}`)), 20_000);
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /^Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      void exited.then(({ code }) => reject(new Error(`exited with ${code} before the Open line:\n${out}`)));
    });
    const res = await fetch(line, { redirect: 'manual' });
    assert.equal(res.status, 303);
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    assert.equal(signal, null, out);
    assert.equal(code, 0, out);
  });
});
