// The browser host stopped (SIGTERM of `npm run web`) under an open page: the page's event stream, an
// idle keep-alive connection and a sale being printed. The host must stop at once, not when its grace
// for requests in flight runs out (set to 2 minutes here, so "at once" needs no clock of ours: the
// process must be gone long before), and the sale in flight must still get its answer. The client acts
// as a browser does: one keep-alive pool for everything, and an EventSource that reconnects as soon as
// its stream ends — on whatever pooled connection is still open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startOfdMock } from '../src/ofd-mock/server.ts';
import { bundlePath } from './helpers/bundles.ts';
import { saleBody, tempDir } from './helpers/fixture.ts';
import { REPO_ROOT } from './helpers/headless.ts';
import { linePaths, startKktLine } from './helpers/serial-line.ts';
import { waitFor } from './helpers/wait.ts';
import { programEnv } from './helpers/program-env.ts';

const GRACE_MS = 120_000;

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

test(
  'SIGTERM under an open page: the host exits long before its grace, and the sale in flight is answered',
  { timeout: 90_000 },
  async (t) => {
    const base = tempDir(t, 'web-host-stop-');
    const p = linePaths(base);
    // The KKT prints slowly (3 s a document): the sale is still in flight when SIGTERM comes.
    await startKktLine(t, p, ['--print-delay', '3000']);
    const ofd = await startOfdMock();
    t.after(() => ofd.close());
    const root = join(base, 'renderer');
    mkdirSync(root);
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>till</title>');

    const env = programEnv({
      STATION_DATA_DIR: join(base, 'data'),
      STATION_API_PORT: '0',
      STATION_WEB_PORT: '0',
      STATION_OFD_URL: ofd.url,
      STATION_WEB_ROOT: root,
      STATION_KKT: p.host,
      STATION_WEB_CLOSE_GRACE_MS: String(GRACE_MS),
    });
    const child = spawn(process.execPath, [bundlePath('web')], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    let exitedAt = 0;
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        exitedAt = Date.now();
        resolve(code);
      }),
    );
    t.after(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    await waitFor('the Open line', () => /^Open http:/m.test(out), { timeoutMs: 30_000, detail: () => out });
    const url = new URL(/^Open (\S+)$/m.exec(out)![1]!);
    const restUrl = /REST API (?:on )?(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert.ok(restUrl, out);
    const apiToken = readFileSync(join(base, 'data', 'api-token'), 'utf8').trim();
    const token = url.searchParams.get('token')!;

    // The page's one pool of keep-alive connections.
    const agent = new Agent({ keepAlive: true });
    t.after(() => agent.destroy());
    const send = (method: string, path: string, body?: unknown) =>
      new Promise<Answer>((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path,
            method,
            agent,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
      });
    const invoke = (name: string, arg: unknown) => send('POST', `/api/invoke/${name}`, { arg });

    /** GET /api/events as EventSource does; resolves with the status once the answer's head arrives. */
    const streamsOpened: number[] = [];
    const openStream = () =>
      new Promise<{ status: number; ended: Promise<void> }>((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: '/api/events',
            agent,
            headers: { authorization: `Bearer ${token}` },
          },
          (res) => {
            res.resume();
            if (res.statusCode === 200) streamsOpened.push(Date.now());
            resolve({ status: res.statusCode ?? 0, ended: new Promise((r) => res.once('close', () => r())) });
          },
        );
        req.on('error', reject);
        req.end();
      });

    const shift = await fetch(`${restUrl}/v1/kkt/shift/open`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cashier_name: 'Иванова' }),
    });
    assert.equal(shift.status, 200, await shift.text());

    const stream = await openStream();
    assert.equal(stream.status, 200);
    const idle = await send('GET', '/'); // its connection stays in the pool, idle
    assert.equal(idle.status, 200);

    const sale = invoke('receipt.create', { idempotencyKey: randomUUID(), body: saleBody() });
    await waitFor(
      'the sale being printed',
      async () => {
        const list = (await (
          await fetch(`${restUrl}/v1/kkt/receipts?limit=1`, {
            headers: { authorization: `Bearer ${apiToken}` },
          })
        ).json()) as { receipts: { state: string }[] };
        return list.receipts[0]?.state === 'printing';
      },
      { timeoutMs: 20_000, intervalMs: 50 },
    );

    const stopAt = Date.now();
    const streamsBefore = streamsOpened.length;
    child.kill('SIGTERM');
    // The page reconnects its event stream the moment it ends, and again every 100 ms after that.
    await stream.ended;
    const reconnects: string[] = [];
    const reconnecting = (async () => {
      while (child.exitCode === null) {
        try {
          reconnects.push(String((await openStream()).status));
        } catch (e) {
          reconnects.push((e as NodeJS.ErrnoException).code ?? 'error');
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const answer = await sale;
    assert.equal(answer.status, 200, answer.body);
    const result = JSON.parse(answer.body) as { ok: boolean; value?: { fiscal_doc?: unknown } };
    assert.equal(result.ok, true, answer.body);
    assert.equal(answer.headers.connection, 'close', 'the answer in flight is the last on its connection');

    const code = await Promise.race([
      exited,
      new Promise<'still running'>((r) => setTimeout(() => r('still running'), GRACE_MS / 4)),
    ]);
    assert.notEqual(code, 'still running', `not stopped ${GRACE_MS / 4000} s after SIGTERM:\n${out}`);
    assert.equal(code, 0, out);
    await reconnecting;
    t.diagnostic(
      `exited ${exitedAt - stopAt} ms after SIGTERM; the page's reconnects: ${reconnects.join(', ')}`,
    );
    assert.ok(exitedAt - stopAt < GRACE_MS, 'stopped within the grace');
    assert.equal(
      streamsOpened.length,
      streamsBefore,
      `no event stream opens once the stop began (reconnects: ${reconnects.join(', ')})`,
    );
    assert.ok(
      reconnects.every((r) => r === '503' || r === 'ECONNREFUSED' || r === 'ECONNRESET'),
      reconnects.join(', '),
    );
  },
);
