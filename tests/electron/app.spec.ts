// The desktop app for real, through Playwright's _electron.launch (project `electron` of
// playwright.config.ts). Needs the Electron binary, so it runs on a developer's or the release machine
// and skips itself elsewhere; tests/electron-contract.test.ts guards the same checklist without it.
//
// Each test launches the built app (npm run build, done here) with a fresh STATION_DATA_DIR, its own
// mock OFD and a free REST port, so nothing is shared with a running station. The Electron build of
// better-sqlite3 (native/, scripts/native-build.mjs) is checked first and made when missing (that needs
// the internet once), so a missing one fails here with the command to run, not inside the app.
//
// On a developer's machine: npm install (fetches the Electron binary), then
//   npx playwright test --project electron
import { test, expect, _electron as electron } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOfdMock } from '../../src/ofd-mock/server.ts';
import type { StationApi } from '../../src/shared/contract.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The Electron executable, or null. Not require('electron'): without the binary that starts a download. */
function electronBinary(): string | null {
  const pkg = join(ROOT, 'node_modules', 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  let relative = 'electron';
  try {
    relative = readFileSync(join(pkg, 'path.txt'), 'utf8').trim();
  } catch {
    if (!override) return null;
  }
  const exe = override ? join(override, relative) : join(pkg, 'dist', relative);
  return existsSync(exe) ? exe : null;
}

const executablePath = electronBinary();
const electronAvailable = executablePath !== null;

/** What the test reads in the page (the root tsconfig has no DOM types). */
type PageGlobals = {
  station?: StationApi;
  require?: unknown;
  process?: unknown;
  ipcRenderer?: unknown;
  location: { href: string };
  open(url: string): unknown;
};

test.skip(
  !electronAvailable,
  'Electron binary not available on this machine: run on a developer or release machine',
);

test.beforeAll(() => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  expect(r.status, 'npm run build').toBe(0);
  const check = spawnSync(process.execPath, [join(ROOT, 'scripts/native-build.mjs'), '--check'], {
    cwd: ROOT,
  });
  if (check.status !== 0) {
    const rebuild = spawnSync(process.execPath, [join(ROOT, 'scripts/native-build.mjs'), '--rebuild'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    expect(rebuild.status, 'npm run rebuild:electron (the Electron build of better-sqlite3)').toBe(0);
  }
});

test('the window opens at the first start (create the manager); the page has window.station and no Node', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'electron-app-'));
  const ofd = await startOfdMock();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('STATION_')) env[k] = v;
  Object.assign(env, { STATION_DATA_DIR: dataDir, STATION_API_PORT: '0', STATION_OFD_URL: ofd.url });

  const app = await electron.launch({
    executablePath: executablePath!,
    args: [join(ROOT, 'dist/main/main.cjs')],
    cwd: ROOT,
    env,
  });
  try {
    const page = await app.firstWindow();
    // A fresh data directory has no cashier: the till opens at «Первый запуск» (cashier.list over IPC).
    await expect(page.getByRole('heading', { name: 'Первый запуск: создайте менеджера' })).toBeAttached();
    // Served from our own scheme, never file:// (which may read any local file).
    expect(page.url()).toBe('app://station/index.html');
    // The status chip appears once the first snapshot arrived over IPC.
    await expect(page.getByTestId('status-chip')).toBeVisible();

    const globals = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return {
        station: typeof g.station,
        host: g.station?.host,
        keys: Object.keys(g.station ?? {}).sort(),
        require: typeof g.require,
        process: typeof g.process,
        ipcRenderer: typeof g.ipcRenderer,
      };
    });
    expect(globals).toEqual({
      station: 'object',
      host: 'electron',
      keys: ['host', 'invoke', 'on'],
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
    });

    const snapshot = await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).station!.invoke('station.snapshot'),
    );
    expect(snapshot.ok).toBe(true);

    // No way out of our page: navigation is cancelled, pop-ups are denied.
    const before = page.url();
    await page.evaluate(() => {
      (globalThis as unknown as PageGlobals).location.href = 'https://example.invalid/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
    expect(
      await page.evaluate(
        () => (globalThis as unknown as PageGlobals).open('https://example.invalid/') === null,
      ),
    ).toBe(true);
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app.close();
    await ofd.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
