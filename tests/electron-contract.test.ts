// The Electron shell and preload on machines that cannot run Electron (no binary here): their real
// bundles (scripts/build.mjs) run under plain Node against typed fakes of `electron`
// (tests/helpers/fake-electron.ts), and every check is on what they DO, never on their source text:
//  1. the preload bundle: one CommonJS file whose only require is `electron`, run in a bare VM context (as
//     a sandboxed preload runs): it exposes `window.station` and nothing else, keeps ipcRenderer and the
//     IPC event to itself, and refuses names outside the contract's allowlists;
//  2. the main-process bundle run in a child process (tests/helpers/electron-shell.ts), driven the way
//     Electron would drive it: the window's options, the core started before the window, IPC from our page
//     answered and from anywhere else refused, events reaching the page, navigation/pop-ups/webviews/
//     permissions denied on every web contents, the CSP on every response, Help → Экспорт диагностики,
//     one instance per data directory, and a quit that stops the station before exiting.
// tests/electron/app.spec.ts covers the real thing with Playwright where Electron can run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { CONTENT_SECURITY_POLICY } from '../src/shared/csp.ts';
import { REPO_ROOT } from './helpers/headless.ts';
import { fakePreloadElectron } from './helpers/fake-electron.ts';
import { buildShellProcess, startElectronShell, type ElectronShell } from './helpers/electron-shell.ts';
import { waitFor } from './helpers/wait.ts';
import { startOfdMock, type OfdMock } from '../src/ofd-mock/server.ts';

interface BuildModule {
  buildPreload(outfile: string): Promise<void>;
  buildMain(outfile: string): Promise<void>;
  MAIN_EXTERNALS: string[];
}
const loadBuild = async () =>
  (await import(pathToFileURL(join(REPO_ROOT, 'scripts/build.mjs')).href)) as BuildModule;

/** All require("x") specifiers in a CommonJS bundle. */
function requires(code: string): string[] {
  return [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]!);
}

/** electron-log/main registers its own IPC receiver on import; only a preload could reach it, and ours does not. */
const ELECTRON_LOG_CHANNEL = '__ELECTRON_LOG__';
const ours = (channels: string[]) => channels.filter((c) => c !== ELECTRON_LOG_CHANNEL);
const shellSteps = (steps: string[]) => steps.filter((s) => s !== `ipcMain.handle:${ELECTRON_LOG_CHANNEL}`);

describe('preload bundle', () => {
  test('is one CommonJS file requiring only electron; in a bare sandbox-like context it exposes `station` and nothing else', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'preload-bundle-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const { buildPreload } = await loadBuild();
    await buildPreload(join(dir, 'preload.cjs'));
    assert.deepEqual(readdirSync(dir), ['preload.cjs'], 'a single file');
    const code = readFileSync(join(dir, 'preload.cjs'), 'utf8');
    assert.deepEqual([...new Set(requires(code))], ['electron']);
    assert.doesNotMatch(code, /^\s*(import|export)\s/m, 'no ES module syntax');

    // Run it the way a sandboxed preload runs: a fresh context whose require knows only `electron`.
    const electron = fakePreloadElectron({ ok: true, value: 'answer' });
    const sandboxRequire = (name: string) => {
      if (name === 'electron') return electron.module;
      throw new Error(`module not found: ${name}`);
    };
    const module = { exports: {} };
    runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console });

    // Exactly one object reaches the page (no second exposeInMainWorld carrying ipcRenderer).
    assert.deepEqual([...electron.exposed.keys()], ['station']);
    const station = electron.exposed.get('station') as Record<string, any>;
    assert.equal(station.host, 'electron');
    assert.deepEqual(Object.keys(station).sort(), ['host', 'invoke', 'on']);
    const ipc = electron.ipcRenderer as Record<string, unknown>;
    for (const value of Object.values(station))
      assert.ok(
        value !== ipc && value !== ipc.invoke && value !== ipc.on,
        'ipcRenderer never reaches the page',
      );

    // Commands: checked against the allowlist before IPC, sent on the contract's channel with one argument.
    assert.deepEqual(await station.invoke('station.snapshot'), { ok: true, value: 'answer' });
    assert.deepEqual(electron.invoked, [['station:invoke', 'station.snapshot', undefined]]);
    await station.invoke('cash.in', { amountKop: 100 });
    assert.deepEqual(electron.invoked[1], ['station:invoke', 'cash.in', { amountKop: 100 }]);
    const refused = await station.invoke('fs.readFile', '/etc/passwd');
    assert.equal(refused.ok, false);
    assert.equal(refused.error.code, 'unknown_command');
    assert.equal(electron.invoked.length, 2, 'an unknown command never reaches IPC');

    // Events: one IPC listener for all of them; unknown names refused; the page gets the payload only.
    assert.deepEqual(
      electron.listeners.map((l) => l.channel),
      ['station:event'],
      'one ipcRenderer.on listener for all events',
    );
    const eventListener = electron.listeners[0]!.listener;
    const got: unknown[][] = [];
    const off = station.on('journal.entry', (...args: unknown[]) => got.push(args));
    assert.notEqual(off, ipc);
    assert.throws(() => station.on('ipc.raw', () => {}), /Unknown event/);
    const ipcEvent = { sender: electron.ipcRenderer };
    eventListener(ipcEvent, 'journal.entry', { id: 1 });
    eventListener(ipcEvent, 'not.an.event', { id: 2 });
    eventListener(ipcEvent, 'sync.progress', { done: 1 });
    assert.deepEqual(got, [[{ id: 1 }]], 'the payload only, never the IPC event');
    off();
    eventListener(ipcEvent, 'journal.entry', { id: 3 });
    assert.equal(got.length, 1, 'unsubscribed');

    // All along, the preload used nothing of Electron but these (no webFrame, no exposeInIsolatedWorld).
    assert.deepEqual([...electron.accessed].sort(), [
      'contextBridge.exposeInMainWorld',
      'electron.contextBridge',
      'electron.ipcRenderer',
      'ipcRenderer.invoke',
      'ipcRenderer.on',
    ]);
  });
});

describe('main-process bundle', () => {
  // Built once for every run below: dist/main/main.cjs as the app ships it, plus the child entry with the fake.
  const root = mkdtempSync(join(tmpdir(), 'main-bundle-'));
  const dist = join(root, 'dist');
  const mainBundle = join(dist, 'main', 'main.cjs');
  const processEntry = join(root, 'shell-process.cjs');
  let runs = 0;
  const start = (env: Record<string, string>, singleInstanceLock = true) =>
    startElectronShell({
      processEntry,
      mainBundle,
      work: join(root, `run-${++runs}`),
      env,
      singleInstanceLock,
    });

  before(async () => {
    const { buildMain } = await loadBuild();
    await Promise.all([buildMain(mainBundle), buildShellProcess(processEntry)]);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('requires only Electron, the native modules, electron-log and Node built-ins', async () => {
    const { MAIN_EXTERNALS } = await loadBuild();
    const code = readFileSync(mainBundle, 'utf8');
    const builtins = new Set((await import('node:module')).builtinModules);
    const allowed = (name: string) =>
      name.startsWith('node:') ||
      builtins.has(name) ||
      MAIN_EXTERNALS.some((e) =>
        e.endsWith('/*') ? name.startsWith(e.slice(0, -1)) : name === e || name.startsWith(`${e}/`),
      );
    const foreign = [...new Set(requires(code))].filter((n) => !allowed(n));
    assert.deepEqual(foreign, [], 'everything else is bundled');
  });

  describe('running under a fake electron', () => {
    let ofd: OfdMock;
    let shell: ElectronShell;
    let work: string;

    before(async () => {
      ofd = await startOfdMock();
      shell = start({ STATION_OFD_URL: ofd.url });
      work = join(root, `run-${runs}`);
      await shell.loaded;
    });
    after(async () => {
      shell.kill();
      await ofd.close();
    });

    test('start-up: sandbox everywhere, one instance, the core and its IPC before the one window', async () => {
      const r = await shell.call('record');
      const steps = shellSteps(r.steps);
      assert.deepEqual(steps.slice(0, 2), ['enableSandbox', 'singleInstanceLock']);
      assert.ok(
        steps.indexOf('ipcMain.handle:station:invoke') < steps.indexOf('BrowserWindow'),
        steps.join(', '),
      );
      assert.equal(r.coreRunningAtWindow, true, 'the buffer was open when the window was created');
      assert.equal(r.windowOptions.length, 1, 'exactly one BrowserWindow');
      assert.equal(r.errorBox, null);
    });

    test('the window: contextIsolation, sandbox and webSecurity on, nodeIntegration off, our preload, our file only', async () => {
      const r = await shell.call('record');
      const prefs = r.windowOptions[0]!.webPreferences!;
      assert.equal(prefs.contextIsolation, true);
      assert.equal(prefs.sandbox, true);
      assert.equal(prefs.nodeIntegration, false);
      assert.equal(prefs.webSecurity, true);
      assert.equal(prefs.preload, join(dist, 'preload', 'preload.cjs'));
      for (const risky of [
        'nodeIntegrationInSubFrames',
        'nodeIntegrationInWorker',
        'webviewTag',
        'allowRunningInsecureContent',
        'experimentalFeatures',
        'enableBlinkFeatures',
      ]) {
        assert.ok(!(risky in prefs), `webPreferences must not set ${risky}`);
      }
      // The renderer's Electron build beside the bundle (IPC transport only), loaded as a file, never a URL.
      assert.equal(r.loadedFiles.length, 1);
      assert.match(relative(dist, r.loadedFiles[0]!), /^renderer-electron[\\/]index\.html$/);
      assert.deepEqual(r.loadedUrls, [], 'the window loads our file only');
    });

    test('IPC: one invoke channel; our page is answered, any other sender refused before the allowlist', async () => {
      const r = await shell.call('record');
      assert.deepEqual(ours(r.ipcHandleChannels), ['station:invoke']);
      assert.deepEqual(ours(r.ipcOnChannels), [], 'no fire-and-forget IPC listener');

      const snapshot = (await shell.call('invoke', {}, 'station.snapshot')) as any;
      assert.equal(snapshot.ok, true, JSON.stringify(snapshot));
      assert.equal(snapshot.value.posId, 'POS-1');

      const page = r.loadedFiles[0]!;
      const otherFile = pathToFileURL(join(dist, 'elsewhere', 'index.html')).href;
      const samePathOverHttp = `http://localhost${new URL(pathToFileURL(page)).pathname}`;
      const refusedSenders = {
        foreignPage: { url: 'https://evil.example/' },
        otherFileOnDisk: { url: otherFile },
        samePathOverHttp: { url: samePathOverHttp },
        subFrame: { frame: 'sub' },
        anotherMainFrame: { frame: 'other-token' },
        otherContents: { contents: 'other' },
        noFrame: { frame: 'none' },
      } as const;
      for (const [name, from] of Object.entries(refusedSenders)) {
        const answer = (await shell.call('invoke', from, 'station.snapshot')) as any;
        assert.equal(answer.error?.code, 'forbidden_sender', name);
        // The sender check comes first: an unknown command from a foreign sender is still "forbidden".
        const unknown = (await shell.call('invoke', from, 'fs.readFile', '/etc/passwd')) as any;
        assert.equal(unknown.error?.code, 'forbidden_sender', `${name}, unknown command`);
      }
      const unknown = (await shell.call('invoke', {}, 'fs.readFile', '/etc/passwd')) as any;
      assert.equal(unknown.error.code, 'unknown_command');
    });

    test('events reach our page on the event channel, the payload with its name', async () => {
      const sale = (await shell.call('invoke', {}, 'receipt.create', {
        idempotencyKey: 'harness-1',
        body: {
          pos_id: 'POS-1',
          type: 'sale',
          items: [{ name: 'Хлеб', price: 45.5, quantity: 2, total: 91, vat_rate: '10' }],
          payments: [{ type: 'cash', amount: 100 }],
        },
      })) as any;
      assert.equal(sale.ok, true, JSON.stringify(sale));
      let sent: unknown[][] = [];
      await waitFor('pushed events', async () =>
        (sent = await shell.call('sentToWindow')).some((s) => s[1] === 'journal.entry'),
      );
      assert.deepEqual([...new Set(sent.map((s) => s[0]))], ['station:event']);
      const entry = sent.find((s) => s[1] === 'journal.entry')!;
      assert.equal(entry.length, 3, 'channel, event name, payload');
      assert.equal(typeof (entry[2] as { message: unknown }).message, 'string');
    });

    test("every web contents, not just the window's: no navigation, redirects, webviews or new windows", async () => {
      for (const which of ['window', 'new'] as const) {
        const locked = await shell.call('lockDown', which);
        assert.deepEqual(
          locked,
          { willNavigate: true, willRedirect: true, willAttachWebview: true, windowOpen: { action: 'deny' } },
          which,
        );
      }
    });

    test('permissions: only writing to the clipboard, asked or checked', async () => {
      const r = await shell.call('record');
      assert.equal(r.permissionRequestHandlers, 1);
      assert.equal(r.permissionCheckHandlers, 1);
      const answers = await shell.call('permissions', [
        'media',
        'geolocation',
        'notifications',
        'clipboard-read',
        'openExternal',
        'clipboard-sanitized-write',
      ]);
      for (const [permission, answer] of Object.entries(answers)) {
        const allowed = permission === 'clipboard-sanitized-write';
        assert.deepEqual(answer, { request: allowed, check: allowed }, permission);
      }
    });

    test("the CSP is the browser host's, set on every response, other headers kept", async () => {
      assert.equal((await shell.call('record')).headersHandlers, 1);
      const headers = await shell.call('responseHeaders', { 'X-Other': ['1'] });
      assert.deepEqual(headers.responseHeaders?.['Content-Security-Policy'], [CONTENT_SECURITY_POLICY]);
      assert.deepEqual(headers.responseHeaders?.['X-Other'], ['1']);
    });

    test('starting the app again brings the window back', async () => {
      assert.deepEqual(await shell.call('secondInstance', true), [
        'window.restore',
        'window.show',
        'window.focus',
      ]);
    });

    test('Help → Экспорт диагностики writes the archive where the user chose', async () => {
      await shell.call('clickMenu', 'Справка', 'Экспорт диагностики…');
      const saved = join(work, 'diagnostics.tar.gz');
      await waitFor(
        'the diagnostics file and the "saved" message',
        async () => existsSync(saved) && (await shell.call('record')).messages.length > 0,
        10_000,
      );
      assert.deepEqual((await shell.call('record')).messages, ['Диагностика сохранена']);
      assert.equal(readFileSync(saved).subarray(0, 2).toString('hex'), '1f8b');
    });

    test('quitting stops the station first, refusing commands meanwhile, then exits 0', async () => {
      const { prevented, whileStopping } = await shell.call('quit');
      assert.equal(prevented, true, 'before-quit waits for the station');
      assert.equal((whileStopping.known as any).error?.code, 'stopping');
      assert.equal(
        (whileStopping.unknown as any).error?.code,
        'unknown_command',
        'the allowlist before the core',
      );
      assert.equal(
        (whileStopping.foreign as any).error?.code,
        'forbidden_sender',
        'the sender check before everything',
      );
      const exit = await shell.exited;
      assert.equal(exit.code, 0, shell.output());
      assert.equal(exit.record.steps.at(-1), 'exit:0');
      assert.equal(exit.record.errorBox, null);
      const wal = join(work, 'data', 'buffer.sqlite-wal');
      assert.ok(
        !existsSync(wal) || statSync(wal).size === 0,
        'the buffer was closed (WAL checkpointed) before the exit',
      );
      assert.ok(readdirSync(join(work, 'data', 'logs')).includes('station.log'), 'logs in <dataDir>/logs');
    });
  });

  test('a configuration error is shown in a dialog and exits 2 without opening a window', async (t) => {
    const shell = start({ STATION_OFD_URL: 'not a url' });
    t.after(() => shell.kill());
    const exit = await shell.exited;
    assert.equal(exit.code, 2, shell.output());
    assert.equal(exit.record.errorBox?.title, 'Ошибка конфигурации');
    assert.match(exit.record.errorBox?.message ?? '', /STATION_OFD_URL/);
    assert.ok(!exit.record.steps.includes('BrowserWindow'));
  });

  test('one instance per data directory: without the lock the app exits 0 at once, no core, no window', async (t) => {
    const shell = start({}, false);
    t.after(() => shell.kill());
    const exit = await shell.exited;
    assert.equal(exit.code, 0, shell.output());
    assert.deepEqual(shellSteps(exit.record.steps), ['enableSandbox', 'singleInstanceLock', 'exit:0']);
    assert.deepEqual(ours(exit.record.ipcHandleChannels), []);
  });
});
