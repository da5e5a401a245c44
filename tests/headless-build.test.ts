// `npm run headless` runs the built bundle (dist/headless/headless.cjs), not TypeScript compiled at run
// time: scripts/headless.mjs builds it when it is missing or older than its sources. This test builds
// the bundle into a temp directory, starts it under plain Node (no tsx), and checks that the REST API
// answers and that SIGTERM stops it cleanly; and that the staleness rule sees an edit under src/main.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './helpers/headless.ts';
import { freePort } from './helpers/ports.ts';
import { tempDir } from './helpers/fixture.ts';
import { waitFor } from './helpers/wait.ts';

const build = (await import(pathToFileURL(join(REPO_ROOT, 'scripts/build.mjs')).href)) as {
  buildHeadless: (outfile: string) => Promise<void>;
  headlessBuildIsStale: (root: string, bundle: string) => boolean;
};

test('the headless bundle runs under plain Node: the REST API answers, SIGTERM stops it with 0', async (t) => {
  const dir = tempDir(t, 'headless-build-');
  const bundle = join(dir, 'headless.cjs');
  await build.buildHeadless(bundle);
  const port = await freePort();
  const token = 'headless-build-token-0123456789abcdef';
  const child = spawn(process.execPath, [bundle], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      // The bundle lives in a temp directory: its externals (better-sqlite3…) come from the repository.
      NODE_PATH: join(REPO_ROOT, 'node_modules'),
      STATION_DATA_DIR: join(dir, 'data'),
      STATION_API_PORT: String(port),
      STATION_API_TOKEN: token,
      STATION_OFD_URL: 'http://127.0.0.1:9',
    },
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  await waitFor(
    'the built headless station to answer',
    async () => {
      if (child.exitCode !== null) throw new Error(`the bundle exited with ${child.exitCode}: ${stderr}`);
      const res = await fetch(`http://127.0.0.1:${port}/v1/kkt/buffer/status`, {
        headers: { authorization: `Bearer ${token}` },
      }).catch(() => null);
      return res?.status === 200;
    },
    30_000,
  );
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('the headless bundle is stale when missing or older than a source under src/main', () => {
  const root = mkdtempSync(join(tmpdir(), 'headless-stale-'));
  try {
    const at = (path: string, secondsAgo: number) => {
      const file = join(root, path);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, 'x');
      const when = new Date(Date.now() - secondsAgo * 1000);
      for (let p = file; p.startsWith(root) && p !== root; p = join(p, '..')) utimesSync(p, when, when);
    };
    const bundle = join(root, 'dist/headless/headless.cjs');
    at('src/main/core/station.ts', 100);
    assert.equal(build.headlessBuildIsStale(root, bundle), true, 'no bundle');
    at('dist/headless/headless.cjs', 50);
    assert.equal(build.headlessBuildIsStale(root, bundle), false, 'newer than every source');
    at('src/shared/money.ts', 10);
    assert.equal(build.headlessBuildIsStale(root, bundle), true, 'a source edited after the build');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
