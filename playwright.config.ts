// The UI suite. `web-1024` drives the browser host in Debian's chromium (no Playwright browser download
// exists on these machines) at the shop's smallest monitor, 1024×768, with every spec; `web-1366` runs
// the main flows again at the common 1366×768: the tests with @main-flow in their title (sale, payment,
// result, layout, shift X/Z, refund, scanner), since a second size of every spec would cost too much UI
// time. `electron` drives the packaged app through _electron.launch and skips itself where no Electron
// binary exists. Each test starts its own station (fresh data directory, byte-level KKT emulator, mock
// OFD) as real processes from their bundles (built by tests/ui/global-setup.ts), so tests never share state.
import { defineConfig, type LaunchOptions } from '@playwright/test';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const chromium: LaunchOptions = {
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
};

export default defineConfig({
  // Builds the renderer and the station's bundles when missing or stale, once before the tests.
  globalSetup: './tests/ui/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results/ui',
  use: {
    screenshot: 'only-on-failure',
    // A failed test keeps its trace (every action's DOM snapshot, network, console), without the
    // screencast filmstrip: recording that cost about 1.7 s of CPU per test in software-rendered chromium,
    // most of a test's trace cost, and the failure screenshot above still shows the end state.
    trace: { mode: 'retain-on-failure', screenshots: false },
    locale: 'ru-RU',
  },
  projects: [
    {
      name: 'web-1024',
      testDir: 'tests/ui',
      use: { browserName: 'chromium', launchOptions: chromium, viewport: { width: 1024, height: 768 } },
    },
    {
      name: 'web-1366',
      testDir: 'tests/ui',
      grep: /@main-flow/,
      use: { browserName: 'chromium', launchOptions: chromium, viewport: { width: 1366, height: 768 } },
    },
    { name: 'electron', testDir: 'tests/electron' },
  ],
});
