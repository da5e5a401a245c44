// Guards for the Electron shell and preload on machines that cannot run Electron (no binary here):
//  1. static checks of the sources: the window's webPreferences, navigation and pop-up denial, sender
//     checks, the preload exposing only `station` and never ipcRenderer, the CSP equal to the browser host's;
//  2. the preload bundle: one CommonJS file whose only require is `electron`, run in a bare VM context
//     (as a sandboxed preload runs) against a fake ipcRenderer/contextBridge;
//  3. the main-process bundle run under Node with a fake `electron` module: the real core starts before
//     the window, IPC from our page works, from anywhere else it is refused, events reach the window,
//     Help → Экспорт диагностики writes the archive, and quitting stops the station before exiting.
// tests/electron/app.spec.ts covers the real thing with Playwright where Electron can run.
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { CONTENT_SECURITY_POLICY } from '../src/main/web-host.ts';
import { REPO_ROOT } from './helpers/headless.ts';
import { startOfdMock } from '../src/ofd-mock/server.ts';

const MAIN_SRC = readFileSync(join(REPO_ROOT, 'src/main/electron/main.ts'), 'utf8');
const PRELOAD_SRC = readFileSync(join(REPO_ROOT, 'src/preload/index.ts'), 'utf8');

interface BuildModule {
  buildPreload(outfile: string): Promise<void>;
  buildMain(outfile: string): Promise<void>;
  MAIN_EXTERNALS: string[];
}
const loadBuild = async () => (await import(pathToFileURL(join(REPO_ROOT, 'scripts/build.mjs')).href)) as BuildModule;

function parse(text: string, name: string): ts.SourceFile {
  return ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

function calls(file: ts.SourceFile, callee: string): ts.CallExpression[] {
  const found: ts.CallExpression[] = [];
  walk(file, (n) => {
    if (ts.isCallExpression(n) && n.expression.getText(file) === callee) found.push(n);
  });
  return found;
}

/** All require("x") specifiers in a CommonJS bundle. */
function requires(code: string): string[] {
  return [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]!);
}

describe('Electron shell sources', () => {
  const file = parse(MAIN_SRC, 'main.ts');

  test('the window: contextIsolation, sandbox and webSecurity on, nodeIntegration off, our preload', () => {
    const windows: ts.NewExpression[] = [];
    walk(file, (n) => {
      if (ts.isNewExpression(n) && n.expression.getText(file) === 'BrowserWindow') windows.push(n);
    });
    assert.equal(windows.length, 1, 'exactly one BrowserWindow');
    const options = windows[0]!.arguments![0]!;
    assert.ok(ts.isObjectLiteralExpression(options));
    const prefsProp = options.properties.find((p) => p.name?.getText(file) === 'webPreferences');
    assert.ok(prefsProp && ts.isPropertyAssignment(prefsProp) && ts.isObjectLiteralExpression(prefsProp.initializer), 'webPreferences is an object literal');
    const prefs = new Map(prefsProp.initializer.properties.map((p) => [p.name!.getText(file), ts.isPropertyAssignment(p) ? p.initializer.getText(file) : '(shorthand)']));
    assert.equal(prefs.get('contextIsolation'), 'true');
    assert.equal(prefs.get('sandbox'), 'true');
    assert.equal(prefs.get('nodeIntegration'), 'false');
    assert.equal(prefs.get('webSecurity'), 'true');
    assert.equal(prefs.get('preload'), 'PRELOAD');
    for (const risky of ['nodeIntegrationInSubFrames', 'nodeIntegrationInWorker', 'webviewTag', 'allowRunningInsecureContent', 'experimentalFeatures', 'enableBlinkFeatures']) {
      assert.ok(!prefs.has(risky), `webPreferences must not set ${risky}`);
    }
    assert.match(MAIN_SRC, /const PRELOAD = join\(__dirname, '\.\.', 'preload', 'preload\.cjs'\)/);
    assert.match(MAIN_SRC, /loadFile\(INDEX_HTML\)/);
    assert.doesNotMatch(MAIN_SRC, /loadURL\(/, 'the window loads our file only');
  });

  test('navigation, new windows, webviews and permissions are denied', () => {
    assert.match(MAIN_SRC, /on\('will-navigate', \(event[^)]*\) => \{\s*event\.preventDefault\(\)/);
    assert.match(MAIN_SRC, /on\('will-attach-webview', \(event\) => event\.preventDefault\(\)\)/);
    const openHandlers = calls(file, 'contents.setWindowOpenHandler');
    assert.equal(openHandlers.length, 1);
    assert.match(openHandlers[0]!.getText(file), /return \{ action: 'deny' \}/);
    assert.doesNotMatch(MAIN_SRC, /action: 'allow'/);
    // lockDown runs for every web contents ever created, not just the main window's.
    assert.match(MAIN_SRC, /app\.on\('web-contents-created', \(_event, contents\) => lockDown\(contents\)\)/);
    assert.equal(calls(file, 'ses.setPermissionRequestHandler').length, 1);
    assert.equal(calls(file, 'ses.setPermissionCheckHandler').length, 1);
    assert.match(MAIN_SRC, /ALLOWED_PERMISSIONS = new Set\(\['clipboard-sanitized-write'\]\)/);
  });

  test('IPC: one invoke channel, sender frame checked before the allowlist and the core', () => {
    const handles = calls(file, 'ipcMain.handle');
    assert.equal(handles.length, 1);
    assert.equal(handles[0]!.arguments[0]!.getText(file), 'IPC_INVOKE_CHANNEL');
    assert.equal(calls(file, 'ipcMain.on').length, 0);
    const handler = handles[0]!.arguments[1]!.getText(file);
    const order = ['fromOurPage(event)', 'isCommandName(name)', 'stationApp.handle(name, arg)'].map((s) => handler.indexOf(s));
    assert.ok(order.every((i) => i >= 0), handler);
    assert.deepEqual([...order].sort((a, b) => a - b), order, 'sender check, then allowlist, then the core');
    const check = MAIN_SRC.slice(MAIN_SRC.indexOf('function fromOurPage'), MAIN_SRC.indexOf('function isOurPage'));
    assert.match(check, /event\.senderFrame/);
    assert.match(check, /frame\.parent === null/);
    assert.match(check, /frame\.frameToken === win\.webContents\.mainFrame\.frameToken/);
    assert.match(check, /isOurPage\(frame\.url\)/);
    assert.match(MAIN_SRC, /u\.protocol === 'file:' && u\.pathname === INDEX_URL\.pathname/);
    assert.match(MAIN_SRC, /contents\.send\(IPC_EVENT_CHANNEL, name, payload\)/);
  });

  test('the core starts before the window; quitting stops it first', () => {
    assert.ok(MAIN_SRC.indexOf('await startStationApp(') < MAIN_SRC.indexOf('createWindow();'));
    assert.match(MAIN_SRC, /app\.on\('before-quit', \(event\) => \{[\s\S]*?event\.preventDefault\(\);[\s\S]*?stopStation\(\)[\s\S]*?app\.exit\(0\)/);
    assert.match(MAIN_SRC, /requestSingleInstanceLock\(\)/);
    assert.match(MAIN_SRC, /app\.on\('second-instance'/);
  });

  test('the CSP is the browser host\'s, set on every response', () => {
    const block = /const CONTENT_SECURITY_POLICY = \[([\s\S]*?)\]\.join\('; '\)/.exec(MAIN_SRC);
    assert.ok(block, 'CONTENT_SECURITY_POLICY array in main.ts');
    const directives = [...block[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    assert.equal(directives.join('; '), CONTENT_SECURITY_POLICY);
    assert.match(MAIN_SRC, /webRequest\.onHeadersReceived\(/);
    assert.match(MAIN_SRC, /'Content-Security-Policy': \[CONTENT_SECURITY_POLICY\]/);
  });
});

describe('preload sources', () => {
  const file = parse(PRELOAD_SRC, 'index.ts');

  test('exposes exactly one object, `station`, and never ipcRenderer', () => {
    const exposes = calls(file, 'contextBridge.exposeInMainWorld');
    assert.equal(exposes.length, 1);
    assert.equal(exposes[0]!.arguments[0]!.getText(file), "'station'");
    assert.doesNotMatch(PRELOAD_SRC, /exposeInMainWorld\(\s*['"]ipcRenderer/);
    assert.doesNotMatch(PRELOAD_SRC, /exposeInIsolatedWorld|webFrame/);
    // The exposed object literal itself does not mention ipcRenderer (no property carrying it).
    const exposed = exposes[0]!.arguments[1]!.getText(file);
    assert.equal(exposed, 'station');
    const literal = /const station: StationApi = \{[\s\S]*?\n\};/.exec(PRELOAD_SRC)?.[0] ?? '';
    assert.ok(literal.length > 0);
    assert.doesNotMatch(literal, /ipcRenderer/);
    assert.match(literal, /host: 'electron'/);
  });

  test('checks names against the allowlists and keeps the IPC event to itself', () => {
    assert.match(PRELOAD_SRC, /if \(!isCommandName\(name\)\)[\s\S]*?ipcRenderer\.invoke\(IPC_INVOKE_CHANNEL, name, rest\[0\]\)/);
    // Subscriptions go through the shared registry, which refuses unknown event names.
    assert.match(PRELOAD_SRC, /on: \(name, listener\) => listeners\.add\(name, listener\)/);
    const registry = readFileSync(new URL('../src/shared/event-listeners.ts', import.meta.url), 'utf8');
    assert.match(registry, /if \(!isEventName\(name\)\) throw/);
    assert.equal(calls(file, 'ipcRenderer.on').length, 1, 'one ipcRenderer.on listener for all events');
    assert.match(PRELOAD_SRC, /ipcRenderer\.on\(IPC_EVENT_CHANNEL, \(_event, name: unknown, payload: unknown\) => \{\n {2}if \(isEventName\(name\)\) listeners\.dispatch\(name, payload\);/);
    assert.doesNotMatch(PRELOAD_SRC, /dispatch\(_?event/);
  });
});

describe('preload bundle', () => {
  test('is one CommonJS file requiring only electron, and works in a bare sandbox-like context', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'preload-bundle-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const { buildPreload } = await loadBuild();
    await buildPreload(join(dir, 'preload.cjs'));
    assert.deepEqual(readdirSync(dir), ['preload.cjs'], 'a single file');
    const code = readFileSync(join(dir, 'preload.cjs'), 'utf8');
    assert.deepEqual([...new Set(requires(code))], ['electron']);
    assert.doesNotMatch(code, /^\s*(import|export)\s/m, 'no ES module syntax');

    // Run it the way a sandboxed preload runs: a fresh context whose require knows only `electron`.
    const exposed: Record<string, any> = {};
    const invoked: unknown[][] = [];
    let eventListener: ((event: unknown, ...args: unknown[]) => void) | null = null;
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => {
          invoked.push(args);
          return { ok: true, value: 'answer' };
        },
        on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
          assert.equal(channel, 'station:event');
          eventListener = listener;
        },
      },
    };
    const sandboxRequire = (name: string) => {
      if (name === 'electron') return electron;
      throw new Error(`module not found: ${name}`);
    };
    const module = { exports: {} };
    runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console });

    assert.deepEqual(Object.keys(exposed), ['station']);
    const station = exposed.station;
    assert.equal(station.host, 'electron');
    assert.deepEqual(Object.keys(station).sort(), ['host', 'invoke', 'on']);

    assert.deepEqual(await station.invoke('station.snapshot'), { ok: true, value: 'answer' });
    assert.deepEqual(invoked, [['station:invoke', 'station.snapshot', undefined]]);
    await station.invoke('cash.in', { amountKop: 100 });
    assert.deepEqual(invoked[1], ['station:invoke', 'cash.in', { amountKop: 100 }]);
    const refused = await station.invoke('fs.readFile', '/etc/passwd');
    assert.equal(refused.ok, false);
    assert.equal(refused.error.code, 'unknown_command');
    assert.equal(invoked.length, 2, 'an unknown command never reaches IPC');

    const got: unknown[][] = [];
    const off = station.on('journal.entry', (...args: unknown[]) => got.push(args));
    assert.throws(() => station.on('ipc.raw', () => {}), /Unknown event/);
    const ipcEvent = { sender: { the: 'ipcRenderer' } };
    eventListener!(ipcEvent, 'journal.entry', { id: 1 });
    eventListener!(ipcEvent, 'not.an.event', { id: 2 });
    eventListener!(ipcEvent, 'sync.progress', { done: 1 });
    assert.deepEqual(got, [[{ id: 1 }]], 'the payload only, never the IPC event');
    off();
    eventListener!(ipcEvent, 'journal.entry', { id: 3 });
    assert.equal(got.length, 1, 'unsubscribed');
  });
});

/** A fake `electron` for the main bundle: records what the shell does and lets the test drive it. */
const HARNESS = String.raw`
const Module = require('module');
const { EventEmitter } = require('events');
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

const [mainBundle, work] = process.argv.slice(2);
const dataDir = process.env.STATION_DATA_DIR;
const report = { steps: [], errors: [] };
const step = (s) => report.steps.push(s);
const hooks = {};
let win = null;

const app = new EventEmitter();
Object.assign(app, {
  isPackaged: false,
  name: 'Cashier Station',
  paths: { appData: path.join(work, 'appData'), documents: path.join(work, 'documents') },
  setPath(name, p) { this.paths[name] = p; },
  getPath(name) { return this.paths[name] ?? path.join(work, name); },
  enableSandbox() { step('enableSandbox'); },
  requestSingleInstanceLock() { step('singleInstanceLock'); return true; },
  whenReady() { return Promise.resolve(); },
  isReady() { return true; },
  getVersion() { return '0.0.0-test'; },
  getName() { return 'Cashier Station'; },
  quit() {
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    this.emit('before-quit', event);
    report.quitPrevented = event.defaultPrevented;
    if (!event.defaultPrevented) this.exit(0);
  },
  exit(code) {
    step('exit:' + code);
    report.exitCode = code;
    report.bufferClosedCleanly = !fs.existsSync(path.join(dataDir, 'buffer.sqlite-wal')) || fs.statSync(path.join(dataDir, 'buffer.sqlite-wal')).size === 0;
    process.stdout.write('REPORT ' + JSON.stringify(report) + '\n');
    process.exit(0);
  },
});

class WebContents extends EventEmitter {
  constructor(url) {
    super();
    this.sent = [];
    this.mainFrame = { frameToken: 'main-frame', parent: null, url };
  }
  send(...args) { this.sent.push(args); }
  setWindowOpenHandler(fn) { this.openHandler = fn; }
  isDestroyed() { return false; }
}

class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    step('BrowserWindow');
    report.windowOptions = options;
    report.coreRunningAtWindow = fs.existsSync(path.join(dataDir, 'buffer.sqlite'));
    this.webContents = new WebContents('about:blank');
    win = this;
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadFile(file) {
    step('loadFile');
    report.loadedFile = file;
    this.webContents.mainFrame.url = pathToFileURL(file).href;
    setImmediate(() => scenario().catch((e) => { report.errors.push(String(e && e.stack || e)); app.exit(99); }));
    return Promise.resolve();
  }
  isDestroyed() { return false; }
  isMinimized() { return false; }
  show() {}
  focus() {}
  restore() {}
}

const fake = {
  app,
  BrowserWindow,
  ipcMain: {
    handlers: new Map(),
    handle(channel, fn) { step('ipcMain.handle:' + channel); this.handlers.set(channel, fn); },
    on() {},
  },
  session: {
    defaultSession: {
      webRequest: { onHeadersReceived(fn) { hooks.headers = fn; } },
      setPermissionRequestHandler(fn) { hooks.permissionRequest = fn; },
      setPermissionCheckHandler(fn) { hooks.permissionCheck = fn; },
    },
  },
  Menu: {
    buildFromTemplate(template) { return { template }; },
    setApplicationMenu(menu) { hooks.menu = menu.template; },
  },
  dialog: {
    showErrorBox(title, message) { report.errorBox = { title, message }; },
    async showMessageBox(...args) { report.messages = (report.messages || []).concat(args.length > 1 ? args[1].title : args[0].title); return { response: 0 }; },
    async showSaveDialog() { return { canceled: false, filePath: path.join(work, 'diagnostics.tar.gz') }; },
  },
};

const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'electron' ? fake : load.call(this, request, ...rest);
};

const wait = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, check, ms = 5000) {
  for (const end = Date.now() + ms; Date.now() < end; await wait(20)) if (check()) return;
  throw new Error('timed out waiting for ' + what);
}

async function scenario() {
  const handler = fake.ipcMain.handlers.get('station:invoke');
  const contents = win.webContents;
  const ours = { sender: contents, senderFrame: contents.mainFrame };
  report.snapshot = await handler(ours, 'station.snapshot', undefined);
  report.foreignPage = await handler({ sender: contents, senderFrame: { frameToken: 'main-frame', parent: null, url: 'https://evil.example/' } }, 'station.snapshot');
  report.subFrame = await handler({ sender: contents, senderFrame: { frameToken: 'child', parent: contents.mainFrame, url: contents.mainFrame.url } }, 'station.snapshot');
  report.otherContents = await handler({ sender: new WebContents(contents.mainFrame.url), senderFrame: contents.mainFrame }, 'station.snapshot');
  report.noFrame = await handler({ sender: contents, senderFrame: null }, 'station.snapshot');
  report.unknown = await handler(ours, 'fs.readFile', '/etc/passwd');
  report.sale = await handler(ours, 'receipt.create', { idempotencyKey: 'harness-1', body: {
    pos_id: 'POS-1', type: 'sale',
    items: [{ name: 'Хлеб', price: 45.5, quantity: 2, total: 91, vat_rate: '10' }],
    payments: [{ type: 'cash', amount: 100 }],
  } });
  await until('pushed events', () => contents.sent.some((s) => s[1] === 'journal.entry'));
  report.sentChannels = [...new Set(contents.sent.map((s) => s[0]))];
  report.sentEvents = [...new Set(contents.sent.map((s) => s[1]))];

  const nav = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
  contents.emit('will-navigate', nav, 'https://evil.example/');
  report.navigationPrevented = nav.defaultPrevented;
  report.windowOpen = contents.openHandler({ url: 'https://evil.example/' });
  report.permissionRequest = await new Promise((r) => hooks.permissionRequest(contents, 'media', r));
  report.permissionCheck = hooks.permissionCheck(contents, 'geolocation');
  report.clipboardWrite = hooks.permissionCheck(contents, 'clipboard-sanitized-write');
  report.cspHeaders = await new Promise((r) => hooks.headers({ responseHeaders: { 'X-Other': ['1'] } }, r));

  const help = hooks.menu.find((m) => m.label === 'Справка');
  const exportItem = help.submenu.find((i) => i.label === 'Экспорт диагностики…');
  exportItem.click();
  const saved = path.join(work, 'diagnostics.tar.gz');
  await until('the diagnostics file', () => fs.existsSync(saved) && (report.messages || []).length > 0, 10000);
  report.diagnosticsMagic = fs.readFileSync(saved).subarray(0, 2).toString('hex');

  app.quit();
}

require(mainBundle);
`;

describe('main-process bundle', () => {
  test('requires only Electron, the native modules, electron-log and Node built-ins', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'main-bundle-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const { buildMain, MAIN_EXTERNALS } = await loadBuild();
    await buildMain(join(dir, 'main', 'main.cjs'));
    const code = readFileSync(join(dir, 'main', 'main.cjs'), 'utf8');
    const builtins = new Set((await import('node:module')).builtinModules);
    const allowed = (name: string) =>
      name.startsWith('node:') || builtins.has(name) ||
      MAIN_EXTERNALS.some((e) => (e.endsWith('/*') ? name.startsWith(e.slice(0, -1)) : name === e || name.startsWith(`${e}/`)));
    const foreign = [...new Set(requires(code))].filter((n) => !allowed(n));
    assert.deepEqual(foreign, [], 'everything else is bundled');
  });

  /** Builds the main bundle into a temp dir and runs it under the fake electron; returns the harness's report. */
  async function runHarness(t: TestContext, env: Record<string, string>): Promise<{ r: any; code: number | null; work: string; out: string }> {
    const work = mkdtempSync(join(tmpdir(), 'main-harness-'));
    t.after(() => rmSync(work, { recursive: true, force: true }));
    const { buildMain } = await loadBuild();
    const bundle = join(work, 'dist', 'main', 'main.cjs');
    await buildMain(bundle);
    const harness = join(work, 'harness.cjs');
    writeFileSync(harness, HARNESS);
    const childEnv: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('STATION_')) childEnv[k] = v;
    Object.assign(childEnv, {
      STATION_DATA_DIR: join(work, 'data'), STATION_API_PORT: '0',
      // The bundle lives in a temp dir: let its externals resolve from the repository's node_modules.
      NODE_PATH: join(REPO_ROOT, 'node_modules'),
      ...env,
    });
    const child = spawn(process.execPath, [harness, bundle, work], { cwd: work, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    const line = /^REPORT (.+)$/m.exec(out)?.[1];
    assert.ok(line, `no report:\n${out}`);
    return { r: JSON.parse(line), code, work, out };
  }

  test('run with a fake electron: core first, sender checks, events, diagnostics, graceful quit', async (t) => {
    const ofd = await startOfdMock();
    t.after(() => ofd.close());
    const { r, code, work, out } = await runHarness(t, { STATION_OFD_URL: ofd.url });
    assert.deepEqual(r.errors, [], out);
    assert.equal(code, 0, out);

    // Start-up order: sandbox everywhere, single instance, the core (and its IPC) before the window.
    // electron-log/main registers its own IPC receiver on import; only a preload could reach it, and ours does not.
    const steps = (r.steps as string[]).filter((s) => s !== 'ipcMain.handle:__ELECTRON_LOG__');
    assert.deepEqual(steps.slice(0, 2), ['enableSandbox', 'singleInstanceLock']);
    assert.ok(steps.indexOf('ipcMain.handle:station:invoke') < steps.indexOf('BrowserWindow'), steps.join(', '));
    assert.equal(r.coreRunningAtWindow, true);
    assert.equal(r.windowOptions.webPreferences.contextIsolation, true);
    assert.equal(r.windowOptions.webPreferences.sandbox, true);
    assert.equal(r.windowOptions.webPreferences.nodeIntegration, false);
    assert.equal(r.windowOptions.webPreferences.preload, join(work, 'dist', 'preload', 'preload.cjs'));
    assert.equal(r.loadedFile, join(work, 'dist', 'renderer-electron', 'index.html'));

    // IPC: our page gets answers; anything else is refused before the core sees it.
    assert.equal(r.snapshot.ok, true, JSON.stringify(r.snapshot));
    assert.equal(r.snapshot.value.posId, 'POS-1');
    for (const refused of ['foreignPage', 'subFrame', 'otherContents', 'noFrame']) assert.equal(r[refused].error?.code, 'forbidden_sender', refused);
    assert.equal(r.unknown.error.code, 'unknown_command');
    assert.equal(r.sale.ok, true, JSON.stringify(r.sale));
    assert.deepEqual(r.sentChannels, ['station:event']);
    assert.ok(r.sentEvents.includes('journal.entry'), r.sentEvents);

    // Lock-down and CSP.
    assert.equal(r.navigationPrevented, true);
    assert.deepEqual(r.windowOpen, { action: 'deny' });
    assert.equal(r.permissionRequest, false);
    assert.equal(r.permissionCheck, false);
    assert.equal(r.clipboardWrite, true);
    assert.deepEqual(r.cspHeaders.responseHeaders['Content-Security-Policy'], [CONTENT_SECURITY_POLICY]);
    assert.deepEqual(r.cspHeaders.responseHeaders['X-Other'], ['1']);

    // Help → Экспорт диагностики wrote a gzip archive; quitting waited for the station to stop.
    assert.equal(r.diagnosticsMagic, '1f8b');
    assert.equal(r.quitPrevented, true);
    assert.equal(r.exitCode, 0);
    assert.equal(steps.at(-1), 'exit:0');
    assert.equal(r.errorBox, undefined);
    assert.equal(r.bufferClosedCleanly, true, 'the buffer was closed (WAL checkpointed) before the exit');
    assert.ok(readdirSync(join(work, 'data', 'logs')).includes('station.log'), 'logs in <dataDir>/logs');
  });

  test('a configuration error is shown in a dialog and exits 2 without opening a window', async (t) => {
    const { r, out } = await runHarness(t, { STATION_OFD_URL: 'not a url' });
    assert.equal(r.exitCode, 2, out);
    assert.equal(r.errorBox?.title, 'Ошибка конфигурации');
    assert.match(r.errorBox?.message ?? '', /STATION_OFD_URL/);
    assert.ok(!r.steps.includes('BrowserWindow'));
  });
});
