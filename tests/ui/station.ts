// Playwright fixtures: each test gets its own station as real child processes: the mock OFD CLI and
// the browser host (`npm run web`, src/main/web/cli.ts) with a fresh data directory, the in-process byte-level KKT
// emulator, and ports chosen by the OS. The page is opened through the token link, as a person would.
// Both run from their bundles under plain Node (dist/web/web.cjs, dist/ofd-mock/ofd-mock.cjs, built by
// tests/ui/global-setup.ts before the run): compiling them with tsx cost 2–2.5 s of every test.
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort } from '../helpers/ports.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** scripts/build.mjs: where each bundle lies (JavaScript, imported by URL so tsc does not type it). */
const { nodeBundlePath } = (await import(pathToFileURL(join(ROOT, 'scripts/build.mjs')).href)) as {
  nodeBundlePath: (name: 'web' | 'ofd-mock') => string;
};

interface Proc {
  child: ChildProcess;
  output: () => string;
}

function start(bundle: 'web' | 'ofd-mock', args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [nodeBundlePath(bundle), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

/** Resolves with the first match of `re` in the process's output, as soon as it is printed. */
function lineMatching(p: Proc, re: RegExp, what: string, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = p.output().match(re);
      if (m) done(() => resolve(m));
      else if (p.child.exitCode !== null)
        done(() => reject(new Error(`${what} exited (${p.child.exitCode}): ${p.output()}`)));
    };
    const timer = setTimeout(
      () => done(() => reject(new Error(`Timed out waiting for ${what}: ${p.output()}`))),
      timeoutMs,
    );
    const done = (settle: () => void) => {
      clearTimeout(timer);
      p.child.stdout!.off('data', check);
      p.child.stderr!.off('data', check);
      p.child.off('exit', check);
      settle();
    };
    // Listeners added after start()'s own: the output already holds the chunk when check() runs.
    p.child.stdout!.on('data', check);
    p.child.stderr!.on('data', check);
    p.child.on('exit', check);
    check();
  });
}

async function stop(p: Proc): Promise<void> {
  if (p.child.exitCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  if (p.child.exitCode === null) p.child.kill('SIGKILL');
}

/** The mock OFD, driven over its HTTP control API. */
export class Ofd {
  constructor(readonly url: string) {}
  async setMode(mode: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${this.url}/ofd/v1/_test/mode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(mode),
    });
    if (!res.ok) throw new Error(`OFD mode ${JSON.stringify(mode)}: ${res.status} ${await res.text()}`);
  }
  async health(): Promise<{ call_count: number; receipts_received: number; duplicates: number }> {
    return (await fetch(`${this.url}/ofd/v1/health`)).json() as never;
  }
}

/** The cashier the station fixture puts on the list (a cashier, not a manager: specs set the manager PIN). */
export const TEST_CASHIER = { name: 'Кассир Тестова', pin: '1111' } as const;

export interface Station {
  url: string;
  /** The REST API (loopback), and a call to it with the token. */
  restUrl: string;
  rest(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  dataDir: string;
  ofd: Ofd;
  /** Stops the station process (SIGTERM), as a crash or a closed program would leave the page. */
  stopHost(): Promise<void>;
  /**
   * Stops the station process, runs `meanwhile` (the till is off: replace its FN…), starts it again on
   * the same data directory and returns the new link to open (the ports change; `rest` follows them).
   */
  restartHost(meanwhile?: () => void | Promise<void>): Promise<string>;
}

/**
 * A private copy of a built renderer (dist/renderer, the browser build, unless told), taken once per
 * worker: the renderer may be rebuilt while the suite runs (vite empties the directory first), and a
 * test must not load a half-written build. The copy is checked: every asset index.html names must be in it.
 */
export function snapshotRenderer(build: 'renderer' | 'renderer-electron' = 'renderer'): string {
  const src = join(ROOT, 'dist', build);
  for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'station-ui-renderer-'));
    try {
      cpSync(src, dir, { recursive: true });
      const html = readFileSync(join(dir, 'index.html'), 'utf8');
      const assets = [...html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
      if (assets.length > 0 && assets.every((a) => existsSync(join(dir, a)))) return dir;
    } catch (e) {
      if (attempt >= 20)
        throw new Error(
          `No usable renderer build in ${src} (run node scripts/build.mjs --renderer-only): ${(e as Error).message}`,
        );
    }
    rmSync(dir, { recursive: true, force: true });
    if (attempt >= 20)
      throw new Error(
        `The renderer build in ${src} is incomplete (run node scripts/build.mjs --renderer-only).`,
      );
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250); // a rebuild is under way: wait for it
  }
}

export const test = base.extend<
  {
    stationEnv: Record<string, string>;
    /** Put TEST_CASHIER on the list through REST (default); false leaves the station at its first start. */
    seedCashier: boolean;
    /** Sign TEST_CASHIER in when the page opens (default); false leaves the page at the sign-in screen. */
    signIn: boolean;
    station: Station;
    page: Page;
  },
  { rendererRoot: string }
>({
  rendererRoot: [
    async ({}, use) => {
      const dir = snapshotRenderer();
      try {
        await use(dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    { scope: 'worker' },
  ],
  stationEnv: [{}, { option: true }],
  seedCashier: [true, { option: true }],
  signIn: [true, { option: true }],
  station: async ({ stationEnv, rendererRoot, seedCashier }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'station-ui-'));
    // The mock and the host start side by side (each takes 0.4–1 s): the mock's port is picked first so
    // the host can be told its URL. A fresh station calls the OFD only once it has a receipt to send, so
    // the host never meets the mock before it listens, and both are waited for before the test goes on.
    const ofdUrl = `http://127.0.0.1:${await freePort()}`;
    const ofdProc = start('ofd-mock', ['--port', new URL(ofdUrl).port], {});
    const procs: Proc[] = [ofdProc];
    try {
      const startHost = async () => {
        const proc = start('web', [], {
          STATION_DATA_DIR: dataDir,
          STATION_WEB_PORT: '0',
          STATION_API_PORT: '0',
          STATION_OFD_URL: ofdUrl,
          STATION_SYNC_INTERVAL_MS: '500',
          STATION_BACKOFF_BASE_MS: '200',
          STATION_BACKOFF_MAX_MS: '1000',
          STATION_WEB_ROOT: rendererRoot,
          ...stationEnv,
        });
        procs.push(proc);
        const [, link] = await lineMatching(
          proc,
          /^Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m,
          'the browser host',
        );
        const [, api] = await lineMatching(proc, /REST API (http:\/\/127\.0\.0\.1:\d+)/, 'the REST API');
        return { proc, link: link!, api: api! };
      };
      const hostStarted = startHost();
      await lineMatching(ofdProc, /OFD mock listening on http:/, 'the mock OFD');
      let { proc: host, link: url, api: restUrl } = await hostStarted;
      // The station's own token (a test of the diagnostics looks for it in the archive).
      const apiToken =
        stationEnv.STATION_API_TOKEN ?? readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
      const rest: Station['rest'] = (method, path, body, headers = {}) =>
        fetch(`${restUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json', ...headers },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      if (seedCashier) {
        const res = await rest('POST', '/v1/cashiers', { ...TEST_CASHIER, role: 'cashier' });
        if (res.status !== 201) throw new Error(`Seeding the cashier: ${res.status} ${await res.text()}`);
      }
      await use({
        url,
        get restUrl() {
          return restUrl;
        },
        rest,
        dataDir,
        ofd: new Ofd(ofdUrl),
        stopHost: () => stop(host),
        async restartHost(meanwhile) {
          await stop(host);
          await meanwhile?.();
          ({ proc: host, link: url, api: restUrl } = await startHost());
          return url;
        },
      });
    } finally {
      for (const p of procs.reverse()) await stop(p);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
  page: async ({ page, station, seedCashier, signIn }, use) => {
    await page.goto(station.url);
    if (seedCashier && signIn) await signInAs(page, TEST_CASHIER.name, TEST_CASHIER.pin);
    await use(page);
    // The page goes before its station, as a cashier closes the tab before the till; the host would stop
    // as promptly under an open page (src/main/web/graceful-close.ts; status.spec.ts stops one so). The
    // failure screenshot and trace are taken before this.
    await page.context().close();
  },
});

/** At the sign-in screen: picks the name, types the PIN, Enter; waits for the till. */
export async function signInAs(page: Page, name: string, pin: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Вход кассира' });
  await expect(form).toBeVisible();
  await form.getByRole('combobox', { name: 'Кассир' }).selectOption({ label: name });
  await form.getByLabel('PIN кассира', { exact: true }).fill(pin);
  await form.getByLabel('PIN кассира', { exact: true }).press('Enter');
  await expect(page.getByRole('tablist', { name: 'Разделы' })).toBeVisible();
  await expect(page.getByTestId('signed-in-cashier')).toContainText(name);
}

/** The lines of the newest receipt as the station stored them (GET /v1/kkt/receipt/{id}). */
export async function newestReceiptItems(
  station: Station,
): Promise<{ mark_code?: string; quantity: number }[]> {
  const list = (await (await station.rest('GET', '/v1/kkt/receipts?limit=1')).json()) as {
    receipts: { receipt_id: string }[];
  };
  const receipt = (await (
    await station.rest('GET', `/v1/kkt/receipt/${list.receipts[0]!.receipt_id}`)
  ).json()) as { items: { mark_code?: string; quantity: number }[] };
  return receipt.items;
}

export { expect };
