// `npm run headless`, `npm run web` and `npm run ofd-mock` run built bundles (scripts/build.mjs
// NODE_BUNDLES: dist/headless/headless.cjs, dist/web/web.cjs, dist/ofd-mock/ofd-mock.cjs), not TypeScript
// compiled at run time; each is built when it is missing or older than its sources, and the UI suite
// starts its stations from them. These tests build each bundle into a temp directory, start it under
// plain Node (no tsx) and check that it answers and that SIGTERM stops it with 0; and that the staleness
// rule sees an edit among each bundle's own sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './helpers/headless.ts';
import { freePort } from './helpers/ports.ts';
import { tempDir } from './helpers/fixture.ts';
import { waitFor } from './helpers/wait.ts';
import { startOfdMock } from '../src/ofd-mock/server.ts';
import { programEnv } from './helpers/program-env.ts';

type BundleName = 'headless' | 'web' | 'ofd-mock';
const build = (await import(pathToFileURL(join(REPO_ROOT, 'scripts/build.mjs')).href)) as {
  buildNodeBundle: (name: BundleName, outfile: string) => Promise<void>;
  nodeBundleIsStale: (name: BundleName, root: string, bundle: string) => boolean;
};

/** Starts a bundle under plain Node, its externals (better-sqlite3…) taken from the repository. */
function run(
  bundle: string,
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; out: () => string } {
  const clean = programEnv();
  const child = spawn(process.execPath, [bundle, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...clean, NODE_PATH: join(REPO_ROOT, 'node_modules'), ...env },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, out: () => out };
}

async function stopWithSigterm(p: { child: ChildProcess; out: () => string }): Promise<void> {
  const exited = new Promise<number | null>((resolve) => p.child.once('exit', (code) => resolve(code)));
  p.child.kill('SIGTERM');
  assert.equal(await exited, 0, p.out());
}

async function lineOf(p: { child: ChildProcess; out: () => string }, re: RegExp, what: string) {
  let m: RegExpMatchArray | null = null;
  await waitFor(
    what,
    () => {
      if (p.child.exitCode !== null)
        throw new Error(`the bundle exited with ${p.child.exitCode}: ${p.out()}`);
      return (m = re.exec(p.out())) !== null;
    },
    { timeoutMs: 30_000, detail: p.out },
  );
  return m!;
}

test('the headless bundle runs under plain Node: the REST API answers, SIGTERM stops it with 0', async (t) => {
  const dir = tempDir(t, 'headless-build-');
  const bundle = join(dir, 'headless.cjs');
  await build.buildNodeBundle('headless', bundle);
  const port = await freePort();
  const token = 'headless-build-token-0123456789abcdef';
  const p = run(bundle, [], {
    STATION_DATA_DIR: join(dir, 'data'),
    STATION_API_PORT: String(port),
    STATION_API_TOKEN: token,
    STATION_OFD_URL: 'http://127.0.0.1:9',
  });
  t.after(() => void (p.child.exitCode === null && p.child.kill('SIGKILL')));
  await waitFor(
    'the built headless station to answer',
    async () => {
      if (p.child.exitCode !== null)
        throw new Error(`the bundle exited with ${p.child.exitCode}: ${p.out()}`);
      const res = await fetch(`http://127.0.0.1:${port}/v1/kkt/buffer/status`, {
        headers: { authorization: `Bearer ${token}` },
      }).catch(() => null);
      return res?.status === 200;
    },
    30_000,
  );
  await stopWithSigterm(p);
});

test('the browser host bundle serves the renderer of its checkout (dist/renderer) by default', async (t) => {
  // A checkout of its own: package.json at the top, the bundle in dist/web/, a renderer build beside it.
  const checkout = tempDir(t, 'web-build-');
  writeFileSync(join(checkout, 'package.json'), '{}');
  mkdirSync(join(checkout, 'dist/renderer'), { recursive: true });
  writeFileSync(join(checkout, 'dist/renderer/index.html'), '<!doctype html><title>bundle test</title>');
  const bundle = join(checkout, 'dist/web/web.cjs');
  await build.buildNodeBundle('web', bundle);
  const ofd = await startOfdMock();
  t.after(() => ofd.close());
  const p = run(bundle, [], {
    STATION_DATA_DIR: join(checkout, 'data'),
    STATION_API_PORT: '0',
    STATION_WEB_PORT: '0',
    STATION_OFD_URL: ofd.url,
  });
  t.after(() => void (p.child.exitCode === null && p.child.kill('SIGKILL')));
  const [, link] = await lineOf(p, /^Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m, 'the Open line');
  // The token link sets the session cookie and sends the browser on to the page.
  const signIn = await fetch(link!, { redirect: 'manual' });
  assert.equal(signIn.status, 303);
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const page = await fetch(new URL('/', link!), { headers: { cookie } });
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<title>bundle test<\/title>/);
  await stopWithSigterm(p);
});

test('the mock OFD bundle runs under plain Node: it listens, answers its health, SIGTERM stops it with 0', async (t) => {
  const dir = tempDir(t, 'ofd-mock-build-');
  const bundle = join(dir, 'ofd-mock.cjs');
  await build.buildNodeBundle('ofd-mock', bundle);
  const p = run(bundle, ['--port', '0', '--mode', 'down'], {});
  t.after(() => void (p.child.exitCode === null && p.child.kill('SIGKILL')));
  const [, url] = await lineOf(p, /OFD mock listening on (http:\/\/\S+)/, 'the listening line');
  const health = await fetch(`${url}/ofd/v1/health`);
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { mode: string }).mode, 'down');
  await stopWithSigterm(p);
});

test('a bundle is stale when missing or older than one of its own sources', () => {
  const root = mkdtempSync(join(tmpdir(), 'bundle-stale-'));
  try {
    const at = (path: string, secondsAgo: number) => {
      const file = join(root, path);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, 'x');
      const when = new Date(Date.now() - secondsAgo * 1000);
      for (let p = file; p.startsWith(root) && p !== root; p = join(p, '..')) utimesSync(p, when, when);
    };
    const web = join(root, 'dist/web/web.cjs');
    const ofd = join(root, 'dist/ofd-mock/ofd-mock.cjs');
    at('src/main/core/station.ts', 100);
    at('src/ofd-mock/server.ts', 100);
    assert.equal(build.nodeBundleIsStale('web', root, web), true, 'no bundle');
    at('dist/web/web.cjs', 50);
    at('dist/ofd-mock/ofd-mock.cjs', 50);
    assert.equal(build.nodeBundleIsStale('web', root, web), false, 'newer than every source');
    assert.equal(build.nodeBundleIsStale('ofd-mock', root, ofd), false, 'newer than every source');
    at('src/main/web/host.ts', 10);
    assert.equal(build.nodeBundleIsStale('web', root, web), true, 'the host edited after the build');
    assert.equal(build.nodeBundleIsStale('ofd-mock', root, ofd), false, 'the mock does not contain the host');
    at('src/shared/money.ts', 5);
    assert.equal(
      build.nodeBundleIsStale('ofd-mock', root, ofd),
      true,
      'a shared source edited after the build',
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
