// The UI suite. Two projects: `web` drives the browser host in Debian's chromium (no Playwright browser
// download exists on these machines), `electron` drives the packaged app through _electron.launch and
// skips itself where no Electron binary exists. Each test starts its own station (fresh data directory,
// byte-level KKT emulator, mock OFD) as real processes, so tests never share state.
import { defineConfig } from '@playwright/test';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results/ui',
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    locale: 'ru-RU',
    viewport: { width: 1280, height: 900 },
  },
  projects: [
    {
      name: 'web',
      testDir: 'tests/ui',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: CHROMIUM,
          // Without the background-networking flags chromium floods this closed network with refused connections.
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-dev-shm-usage',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
    { name: 'electron', testDir: 'tests/electron' },
  ],
});
