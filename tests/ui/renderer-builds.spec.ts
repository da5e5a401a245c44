// The renderer's two builds (vite.config.ts) each carry one transport, chosen at build time. Every other
// spec drives the browser build (HTTP + SSE to the browser host); this one drives the Electron build
// (dist/renderer-electron), which talks only to the preload's `window.station`:
//  - with a stand-in preload the till starts and every call goes to it, none over HTTP;
//  - without one (a failed preload) the page says so in Russian, with what to do, and sends nothing.
// The build is served from a made-up http origin through page.route: Chromium refuses module scripts
// on file:// (Electron's file: scheme allows them), and every request the page makes is seen here.
import { expect, test, type Page } from '@playwright/test';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotRenderer } from './station.ts';

const ORIGIN = 'http://renderer-electron.test';

let root = '';
test.beforeAll(() => {
  root = snapshotRenderer('renderer-electron');
});
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Serves the Electron build; returns the paths the page requested, as they come. */
async function serveElectronBuild(page: Page): Promise<string[]> {
  const requested: string[] = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.route(`${ORIGIN}/**`, async (route) => {
    const file = join(root, new URL(route.request().url()).pathname.slice(1));
    if (existsSync(file) && !file.endsWith('/')) await route.fulfill({ path: file });
    else await route.fulfill({ status: 404, body: 'not in the build' });
  });
  return requested;
}

test('the Electron build without its preload: the reason on screen, in Russian, and no request', async ({
  page,
}) => {
  const requested = await serveElectronBuild(page);
  await page.goto(`${ORIGIN}/index.html`);
  const alert = page.getByTestId('transport-unavailable');
  await expect(alert).toHaveAttribute('role', 'alert');
  await expect(
    alert.getByRole('heading', { name: 'Касса не может связаться с программой станции' }),
  ).toBeVisible();
  await expect(alert).toContainText('без модуля связи (preload)');
  await expect(alert).toContainText('Закройте программу и запустите её снова');
  await expect(page.getByRole('tab')).toHaveCount(0);
  expect(
    requested.filter((p) => !p.startsWith('/assets/') && p !== '/index.html'),
    'no API call, no event stream',
  ).toEqual([]);
});

test('the Electron build with a preload: the till talks to window.station only', async ({ page }) => {
  const requested = await serveElectronBuild(page);
  await page.addInitScript(() => {
    const w = window as any;
    w.stationCalls = [] as string[];
    w.station = {
      host: 'electron',
      invoke: async (name: string) => {
        w.stationCalls.push(name);
        return { ok: false, error: { code: 'stand_in', message: 'stand-in preload' } };
      },
      on: () => () => {},
    };
  });
  await page.goto(`${ORIGIN}/index.html`);
  await expect(page.getByRole('heading', { name: 'Касса', level: 1 })).toBeVisible();
  await expect(page.getByText('Хост: приложение')).toBeAttached();
  for (const name of ['station.snapshot', 'cashier.list'])
    // the till opens at the cashier sign-in
    await expect.poll(() => page.evaluate(() => (window as any).stationCalls as string[])).toContain(name);
  await expect(page.getByTestId('transport-unavailable')).toHaveCount(0);
  expect(
    requested.filter((p) => !p.startsWith('/assets/') && p !== '/index.html'),
    'nothing over HTTP',
  ).toEqual([]);
});

/** The build's JavaScript, all of it. */
function scripts(buildRoot: string): string {
  const dir = join(buildRoot, 'assets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

test('each build bundles its own transport only', () => {
  const browserRoot = snapshotRenderer('renderer');
  try {
    const electron = scripts(root);
    const browser = scripts(browserRoot);
    expect(electron).not.toContain('/api/invoke');
    expect(electron).not.toContain('EventSource');
    expect(browser).toContain('/api/invoke');
    expect(browser).not.toContain('модуля связи (preload)');
  } finally {
    rmSync(browserRoot, { recursive: true, force: true });
  }
});
