// `npm start` on a machine without the Electron binary (as here): one line saying so, then the browser
// host serving a working till; Ctrl+C (SIGTERM) stops it cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startOfdMock } from '../src/ofd-mock/server.ts';
import { tempDir } from './helpers/fixture.ts';
import { waitFor } from './helpers/wait.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

test('npm start falls back to the browser host in one line, and the till answers through its link', async (t) => {
  const dataDir = tempDir(t, 'station-start-');
  const ofd = await startOfdMock();
  t.after(() => ofd.close());
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: ROOT,
    env: {
      ...process.env,
      STATION_DATA_DIR: dataDir,
      STATION_WEB_PORT: '0',
      STATION_API_PORT: '0',
      STATION_OFD_URL: ofd.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  await waitFor('the address line', () => /^Open http:\/\/127\.0\.0\.1:\d+\/\?token=\S+$/m.test(out), 60_000);
  assert.match(
    out,
    /^Electron binary not available on this machine; starting the browser host instead \(npm run web\)\.$/m,
  );
  const link = /^Open (\S+)$/m.exec(out)![1]!;
  const login = await fetch(link, { redirect: 'manual' });
  assert.equal(login.status, 303, out);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const origin = new URL(link).origin;
  const page = await fetch(`${origin}/`, { headers: { cookie } });
  assert.match(await page.text(), /<div id="root">|<div id="app">|<script type="module"/);
  const snapshot = await fetch(`${origin}/api/invoke/station.snapshot`, {
    method: 'POST',
    headers: { cookie, origin, 'content-type': 'application/json' },
    body: '{}',
  });
  const result = (await snapshot.json()) as { ok: boolean; value: { kkt: { emulated: boolean } | null } };
  assert.equal(result.ok, true);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0, out);
});
