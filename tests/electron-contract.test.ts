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
//     one instance per data directory, and a quit that stops the station before exiting;
//  3. what makes a real till start and stay up (issue 12), with the stand-in as strict as Electron: a
//     relative STATION_DATA_DIR (setPath refuses it), the page served from app:// only (no path out of
//     the renderer's build), a page that fails to load and a preload that throws (a dialog, never a
//     blank window), a quit whose stop hangs (capped), a second launch with no window (it comes back),
//     and an older version's data moved into the one data directory with a journal entry.
// tests/electron/app.spec.ts covers the real thing with Playwright where Electron can run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { CONTENT_SECURITY_POLICY } from '../src/shared/csp.ts';
import { REPO_ROOT } from './helpers/headless.ts';
import { fakePreloadElectron } from './helpers/fake-electron.ts';
import {
  buildShellProcess,
  startElectronShell,
  type ElectronShell,
  type ShellOptions,
} from './helpers/electron-shell.ts';
import { APP_INDEX_URL } from '../src/main/electron/app-protocol.ts';
import { openDatabase } from '../src/main/core/buffer/database.ts';
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
const shellSteps = (steps: string[]) =>
  steps.filter((s) => s !== `ipcMain.handle:${ELECTRON_LOG_CHANNEL}` && s !== 'ready');

/** Stands in for the renderer's Electron build beside the bundle (the real one is tests/renderer-build's). */
const FIXTURE_INDEX =
  '<!doctype html><html><body><div id="root"></div><script src="./app.js"></script></body></html>';
const SECRET = 'the-api-token-must-never-reach-the-page';

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
  const start = (
    env: Record<string, string>,
    singleInstanceLock = true,
    more: Partial<Pick<ShellOptions, 'dataDir' | 'fake' | 'work'>> = {},
  ) =>
    startElectronShell({
      processEntry,
      mainBundle,
      work: join(root, `run-${++runs}`),
      env,
      singleInstanceLock,
      ...more,
    });

  before(async () => {
    const { buildMain } = await loadBuild();
    await Promise.all([buildMain(mainBundle), buildShellProcess(processEntry)]);
    mkdirSync(join(dist, 'renderer-electron'), { recursive: true });
    writeFileSync(join(dist, 'renderer-electron', 'index.html'), FIXTURE_INDEX);
    writeFileSync(join(dist, 'renderer-electron', 'app.js'), 'console.log("till")');
    // What a path out of the renderer's folder would reach.
    writeFileSync(join(dist, 'secret.txt'), SECRET);
    writeFileSync(join(root, 'api-token'), SECRET);
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
      assert.deepEqual(steps.slice(0, 3), [
        'protocol.registerSchemesAsPrivileged',
        'enableSandbox',
        'singleInstanceLock',
      ]);
      assert.ok(
        steps.indexOf('ipcMain.handle:station:invoke') < steps.indexOf('BrowserWindow'),
        steps.join(', '),
      );
      assert.ok(steps.indexOf('protocol.handle:app') < steps.indexOf('BrowserWindow'), steps.join(', '));
      assert.ok(r.steps.indexOf('protocol.registerSchemesAsPrivileged') < r.steps.indexOf('ready'));
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
      // The renderer's Electron build, from the app:// scheme only: never a file:// page.
      assert.deepEqual(r.loadedUrls, [APP_INDEX_URL]);
      assert.deepEqual(r.loadedFiles, [], 'never loadFile (file:// may read any local file)');
    });

    test('IPC: one invoke channel; our page is answered, any other sender refused before the allowlist', async () => {
      const r = await shell.call('record');
      assert.deepEqual(ours(r.ipcHandleChannels), ['station:invoke']);
      assert.deepEqual(ours(r.ipcOnChannels), [], 'no fire-and-forget IPC listener');

      const snapshot = (await shell.call('invoke', {}, 'station.snapshot')) as any;
      assert.equal(snapshot.ok, true, JSON.stringify(snapshot));
      assert.equal(snapshot.value.posId, 'POS-1');

      const sameFileOverFile = pathToFileURL(join(dist, 'renderer-electron', 'index.html')).href;
      const refusedSenders = {
        foreignPage: { url: 'https://evil.example/' },
        sameFileOverFile: { url: sameFileOverFile },
        otherPageOfOurs: { url: 'app://station/other.html' },
        otherHost: { url: 'app://elsewhere/index.html' },
        samePathOverHttp: { url: 'http://localhost/index.html' },
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

    test('app://station serves the renderer build with the CSP, and nothing outside it however spelled', async () => {
      const r = await shell.call('record');
      assert.deepEqual(r.privilegedSchemes, [
        { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
      ]);
      assert.deepEqual(r.handledSchemes, ['app']);
      const index = (await shell.call('request', APP_INDEX_URL))!;
      assert.equal(index.status, 200);
      assert.equal(index.body, FIXTURE_INDEX);
      assert.match(index.headers['content-type']!, /^text\/html/);
      assert.equal(index.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
      const script = (await shell.call('request', 'app://station/app.js'))!;
      assert.equal(script.status, 200);
      assert.match(script.headers['content-type']!, /^text\/javascript/);
      assert.equal(script.headers['content-security-policy'], CONTENT_SECURITY_POLICY);

      const outside = [
        'app://station/../secret.txt',
        'app://station/%2e%2e/secret.txt',
        'app://station/..%2fsecret.txt',
        'app://station/..%2F..%2Fapi-token',
        'app://station/%2e%2e%2f%2e%2e%2fapi-token',
        'app://station/..%5csecret.txt',
        'app://station/%2fetc%2fpasswd',
        `app://station/${encodeURIComponent(join(root, 'api-token'))}`,
        'app://station/index.html%00.js',
        'app://station/%E0%A4%A',
        'app://elsewhere/index.html',
      ];
      for (const url of outside) {
        const answer = (await shell.call('request', url))!;
        assert.notEqual(answer.status, 200, url);
        assert.ok(!answer.body.includes(SECRET), url);
      }
      const post = (await shell.call('request', APP_INDEX_URL, 'POST'))!;
      assert.equal(post.status, 405);
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

    test('starting the app again with no window open opens it again', async () => {
      const before = await shell.call('record');
      assert.equal(await shell.call('closeWindow'), 1);
      const steps = await shell.call('secondInstance', false);
      assert.deepEqual(steps.slice(0, 2), ['BrowserWindow', 'loadURL'], steps.join(', '));
      const after = await shell.call('record');
      assert.equal(after.windowOptions.length, before.windowOptions.length + 1);
      assert.deepEqual(after.loadedUrls, [APP_INDEX_URL, APP_INDEX_URL]);
      // The new window is ours: once its page has loaded, its commands are answered.
      await waitFor('the new window answered', async () => {
        const snapshot = (await shell.call('invoke', {}, 'station.snapshot')) as { ok: boolean };
        return snapshot.ok;
      });
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
    assert.deepEqual(shellSteps(exit.record.steps), [
      'protocol.registerSchemesAsPrivileged',
      'enableSandbox',
      'singleInstanceLock',
      'exit:0',
    ]);
    assert.deepEqual(ours(exit.record.ipcHandleChannels), []);
  });

  /** The buffer's journal entries of one kind, read after the shell has exited. */
  const journal = (dataDir: string, kind: string) => {
    const db = new Database(join(dataDir, 'buffer.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT message FROM journal WHERE kind = ?').all(kind) as { message: string }[];
    } finally {
      db.close();
    }
  };

  test('a relative STATION_DATA_DIR is made absolute and created before setPath; the profile is not in it', async (t) => {
    const shell = start({}, true, { dataDir: 'relative-data' });
    t.after(() => shell.kill());
    await shell.loaded;
    const work = join(root, `run-${runs}`);
    const dataDir = join(work, 'relative-data');
    assert.ok(existsSync(join(dataDir, 'buffer.sqlite')), shell.output());
    const userData = (await shell.call('record')).paths.find((p) => p.name === 'userData')!.path;
    assert.ok(isAbsolute(userData));
    assert.ok(relative(dataDir, userData).startsWith('..'), `Chromium's profile ${userData} is outside`);
    assert.deepEqual(
      readdirSync(dataDir).filter((n) => !/^(buffer|config|api-token|kkt-emulator|logs|station\.)/.test(n)),
      [],
      "only the station's files in the data directory",
    );
    await shell.call('quit');
    assert.equal((await shell.exited).code, 0, shell.output());
  });

  for (const [name, fake, detail] of [
    ['the page fails to load (did-fail-load)', { loadFails: true }, /ERR_FILE_NOT_FOUND/],
    ['the preload throws (preload-error)', { preloadError: true }, /preload threw/],
  ] as const) {
    test(`${name}: the start-up error dialog, the station stopped, exit 1`, async (t) => {
      const shell = start({}, true, { fake });
      t.after(() => shell.kill());
      const exit = await shell.exited;
      assert.equal(exit.code, 1, shell.output());
      assert.equal(exit.record.errorBox?.title, 'Окно кассы не открылось');
      assert.match(exit.record.errorBox?.message ?? '', detail);
      const wal = join(root, `run-${runs}`, 'data', 'buffer.sqlite-wal');
      assert.ok(!existsSync(wal) || statSync(wal).size === 0, 'the buffer was closed before the exit');
    });
  }

  // Without the cap this would wait for ever: the test's own timeout turns that into a failure.
  test(
    'a quit whose stop hangs exits anyway after the limit (15 s), saying why in the log',
    { timeout: 60_000 },
    async (t) => {
      const shell = start({}, true, { fake: { stopHangs: true } });
      t.after(() => shell.kill());
      await shell.loaded;
      const { prevented } = await shell.call('quit');
      assert.equal(prevented, true);
      const exit = await shell.exited;
      assert.equal(exit.code, 4, shell.output());
      assert.equal(exit.record.errorBox, null);
      const logFile = join(root, `run-${runs}`, 'data', 'logs', 'station.log');
      assert.match(readFileSync(logFile, 'utf8'), /did not stop within 15 s/);
    },
  );

  test("an older version's data in Electron's old folder is moved into the one data directory, journalled", async (t) => {
    const work = join(root, `run-${runs + 1}`);
    const legacy = join(work, 'xdg-config', 'Cashier Station');
    mkdirSync(legacy, { recursive: true });
    openDatabase(join(legacy, 'buffer.sqlite')).close();
    writeFileSync(join(legacy, 'config.json'), JSON.stringify({ posId: 'POS-MOVED' }));
    writeFileSync(join(legacy, 'Preferences'), '{}'); // Chromium's, stays where it is
    const shell = start({}, true, { dataDir: null });
    t.after(() => shell.kill());
    await shell.loaded;
    const dataDir = join(work, 'xdg-data', 'cashier-station');
    const snapshot = (await shell.call('invoke', {}, 'station.snapshot')) as any;
    assert.equal(snapshot.value?.posId, 'POS-MOVED', JSON.stringify(snapshot));
    assert.ok(!existsSync(join(legacy, 'buffer.sqlite')) && !existsSync(join(legacy, 'config.json')));
    assert.ok(existsSync(join(legacy, 'Preferences')) && !existsSync(join(dataDir, 'Preferences')));
    const userData = (await shell.call('record')).paths.find((p) => p.name === 'userData')!.path;
    assert.equal(userData, legacy, "Chromium's profile stays in Electron's usual folder");
    await shell.call('quit');
    assert.equal((await shell.exited).code, 0, shell.output());
    const moved = journal(dataDir, 'data_dir_moved');
    assert.equal(moved.length, 1);
    assert.match(moved[0]!.message, /Data moved from .*Cashier Station to .*cashier-station/);
  });
});
