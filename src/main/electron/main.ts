// The Electron shell: one window, the menu (menu.ts), dialogs, and the IPC side of the renderer↔main
// contract (src/shared/contract.ts). Everything else (buffer, KKT, OFD sync) is the plain-Node station started by
// startStationApp with the REST API (src/main/rest), as the browser host and headless mode start it.
//
// Runs only as the CommonJS bundle dist/main/main.cjs (scripts/build.mjs): paths below are relative to
// that file's directory, `__dirname`.
//
// Security posture: a sandboxed, context-isolated renderer without Node, served from app://station
// (app-protocol.ts), never file://; a preload that exposes only `window.station`; commands accepted only
// from our own page's main frame; no navigation, no new windows, no permissions; the renderer's one
// Content-Security-Policy (src/shared/csp.ts) on every response.
//
// A till must never be left without a window: a start-up failure (configuration, data directory, the
// page not loading, the preload failing) is a dialog and an exit; a quit waits for the station at most
// QUIT_LIMIT_MS, then exits anyway (the next start reconciles with the KKT); a second launch focuses the
// window or, if there is none, opens it again.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  type IpcMainInvokeEvent,
  type WebContents,
} from 'electron';
import log from 'electron-log/main';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, resolveDataDir } from '../core/config.ts';
import { configureLog } from '../core/logger.ts';
import { useElectronNativeDir } from '../core/sqlite.ts';
import { startStationApp, type StationApp } from '../app/station-app.ts';
import { startFailure } from '../app/start-failure.ts';
import { startRestApi } from '../rest/rest-api.ts';
import { menuTemplate } from './menu.ts';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, isCommandName, type Result } from '../../shared/contract.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.ts';
import {
  APP_HOST,
  APP_INDEX_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  rendererResponse,
} from './app-protocol.ts';

const APP_NAME = 'Cashier Station';
const RENDERER_DIR = join(__dirname, '..', 'renderer-electron');
const PRELOAD = join(__dirname, '..', 'preload', 'preload.cjs');
/** The Electron build of better-sqlite3 (core/sqlite.ts); in the package it is unpacked beside app.asar. */
const NATIVE_DIR = join(__dirname, '..', '..', 'native').replace(/app\.asar(?=[\\/]|$)/, 'app.asar.unpacked');
/** How long a quit waits for the station (a print stuck on the KKT) before exiting anyway. */
const QUIT_LIMIT_MS = 15_000;
/** The exit code of a quit that did not wait for the station to stop. */
const EXIT_STOP_TIMED_OUT = 4;

/** Writing to the clipboard (copying a receipt number) is the one permission the page may use. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

let stationApp: StationApp | null = null;
let mainWindow: BrowserWindow | null = null;
let quitState: 'running' | 'stopping' | 'stopped' = 'running';
let dataDir = '';

// Before `ready`, once: app:// is a standard, secure scheme (relative URLs and a secure context).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
useElectronNativeDir(NATIVE_DIR);

if (prepareDataDir()) run();

/**
 * The data directory, the same as headless and the browser host use (core/config.ts: STATION_DATA_DIR
 * made absolute, else the default, with an older version's data moved in), created before anything
 * uses it; the log file in it. Chromium's own profile (and the single-instance lock) goes to
 * chromiumProfileDir, never among the fiscal files. A failure here comes before logging: a dialog says
 * it, and the app exits (false).
 */
function prepareDataDir(): boolean {
  try {
    dataDir = resolveDataDir(process.env);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const profile = chromiumProfileDir(dataDir);
    mkdirSync(profile, { recursive: true, mode: 0o700 });
    app.setPath('userData', profile); // absolute, and existing: setPath requires both
  } catch (e) {
    const detail = `${(e as Error).message}\n\nПапка данных: ${dataDir || process.env.STATION_DATA_DIR || '—'}`;
    dialog.showErrorBox('Кассовая станция не запустилась', detail);
    app.exit(1);
    return false;
  }
  // The core's log file, and a console that goes quiet (only) when stdout/stderr break (core/logger.ts).
  configureLog(log, dataDir, app.isPackaged ? false : 'info');
  return true;
}

/**
 * Chromium's profile: Electron's usual userData for the default data directory, and a folder of its own
 * under it (profiles/<hash of the path>) for any other (STATION_DATA_DIR), so that each data directory
 * has its own single-instance lock (two processes on one buffer is the hazard; parallel test runs do
 * not collide). Never inside the data directory: that holds the station's files only.
 */
function chromiumProfileDir(dir: string): string {
  const base = join(app.getPath('appData'), APP_NAME); // not "Electron" when run unpackaged
  if (!process.env.STATION_DATA_DIR) return base;
  return join(base, 'profiles', createHash('sha256').update(dir).digest('hex').slice(0, 16));
}

function run(): void {
  app.enableSandbox();

  if (!app.requestSingleInstanceLock()) {
    // Another instance holds this data directory; it focuses its window (second-instance below).
    app.exit(0);
    return;
  }
  app.on('second-instance', () => {
    // Quitting: this process is gone within QUIT_LIMIT_MS; starting still: the window is on its way.
    if (quitState !== 'running' || !stationApp) return;
    if (!mainWindow || mainWindow.isDestroyed()) {
      log.warn('Started again with no window open: opening it again');
      createWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  // One window is the whole app: closing it quits, on every platform.
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (quitState === 'stopped') return;
    event.preventDefault();
    if (quitState === 'stopping') return;
    quitState = 'stopping';
    void stopWithinLimit().then((stopped) => {
      quitState = 'stopped';
      app.exit(stopped ? 0 : EXIT_STOP_TIMED_OUT);
    });
  });
  process.on('SIGTERM', () => app.quit());
  process.on('SIGINT', () => app.quit());
  app
    .whenReady()
    .then(start)
    .catch((e: Error) => {
      log.error(e.stack ?? String(e));
      return fatal('Кассовая станция не запустилась', e.message, 1);
    });
}

async function start(): Promise<void> {
  let config;
  try {
    config = loadConfig({ ...process.env, STATION_DATA_DIR: dataDir });
  } catch (e) {
    const f = startFailure(e);
    if (f.unexpected) throw e;
    return fatal(f.title, `${(e as Error).message}\n\nДанные и настройки: ${dataDir}`, f.exitCode);
  }
  log.info(`${APP_NAME} ${app.getVersion()} (Electron ${process.versions.electron}), data in ${dataDir}`);
  try {
    // The core first: the window's first command must find it running.
    stationApp = await startStationApp(config, log, { host: 'electron', restApi: startRestApi });
  } catch (e) {
    // Another station (headless, the browser host) holds this data directory: say which, start nothing.
    const f = startFailure(e);
    return fatal(f.title, (e as Error).message, f.exitCode);
  }
  log.info(`REST API on ${stationApp.restUrl}`);

  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  ses.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(ALLOWED_PERMISSIONS.has(permission)),
  );
  ses.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
  // The page and its assets: the renderer's Electron build, nothing else (app-protocol.ts).
  protocol.handle(APP_SCHEME, (request) => rendererResponse(request, RENDERER_DIR));

  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, name: unknown, arg: unknown): Promise<Result<unknown>> => {
    if (!fromOurPage(event)) {
      log.warn(`IPC: refused ${String(name)} from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
      return {
        ok: false,
        error: { code: 'forbidden_sender', message: 'Commands are accepted from the station window only.' },
      };
    }
    if (!isCommandName(name))
      return { ok: false, error: { code: 'unknown_command', message: `Unknown command ${String(name)}.` } };
    if (!stationApp)
      return { ok: false, error: { code: 'stopping', message: 'Кассовая станция завершает работу.' } };
    return stationApp.handle(name, arg);
  });

  stationApp.onEvent((name, payload) => {
    const contents = mainWindow?.webContents;
    if (!contents || contents.isDestroyed() || !isOurPage(contents.mainFrame.url)) return;
    contents.send(IPC_EVENT_CHANNEL, name, payload);
  });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        appName: APP_NAME,
        dataDir,
        stationApp: () => stationApp,
        window: () => mainWindow,
        log,
      }),
    ),
  );
  createWindow();
}

function createWindow(): void {
  const win = new BrowserWindow({
    title: APP_NAME,
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: PRELOAD,
      spellcheck: false,
    },
  });
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  // The renderer logs to its console; keep what matters in the station's log file.
  win.webContents.on('console-message', (details) => {
    if (details.level === 'error')
      log.error(`renderer: ${details.message} (${details.sourceId}:${details.lineNumber})`);
    else if (details.level === 'warning') log.warn(`renderer: ${details.message}`);
  });
  let crashes = 0;
  win.webContents.on('render-process-gone', (_event, details) => {
    log.error(`Renderer gone: ${details.reason} (exit code ${details.exitCode})`);
    // A till must come back by itself; a renderer that keeps dying is left for diagnostics instead.
    if (details.reason !== 'clean-exit' && ++crashes <= 3 && !win.isDestroyed()) win.reload();
  });
  // A window that cannot show the till is a start-up failure, said in a dialog: never a blank window.
  win.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    // -3 (ERR_ABORTED) is a navigation we cancelled ourselves (lockDown), not a failure.
    if (isMainFrame && code !== -3) windowFailed(`${description} (${code}) при загрузке ${url}`);
  });
  win.webContents.on('preload-error', (_event, preloadPath, error) =>
    windowFailed(`ошибка в ${preloadPath}: ${error.message}`),
  );
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    windowFailed(`нет ${join(RENDERER_DIR, 'index.html')} (сборка неполная: npm run build)`);
    return;
  }
  // Electron rejects with { errno, code } as did-fail-load reports it; -3 is the same non-failure as above.
  win.loadURL(APP_INDEX_URL).catch((e: Error & { errno?: number }) => {
    if (e.errno !== -3) windowFailed(e.message);
  });
}

let windowFailure = false;

/** The window could not show the till: the start-up error dialog, then an exit (once, however many reports). */
function windowFailed(detail: string): void {
  if (windowFailure) return;
  windowFailure = true;
  log.error(`The window failed: ${detail}`);
  void fatal(
    'Окно кассы не открылось',
    `Окно кассы не загрузилось: ${detail}\n\nЖурнал: ${join(dataDir, 'logs')}`,
    1,
  );
}

/** Applied to every web contents: no navigation away, no pop-ups, no <webview>. */
function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log.warn(`Blocked navigation to ${url}`);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    log.warn(`Blocked a new window for ${url}`);
    return { action: 'deny' };
  });
  // Downloads (the renderer's diagnostics <a download>) keep Electron's default: the save dialog.
}

/** The command comes from our index.html in the main frame of our window, not from a frame or a foreign page. */
function fromOurPage(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  const win = mainWindow;
  if (!frame || !win || win.isDestroyed() || event.sender !== win.webContents) return false;
  return (
    frame.parent === null && frame.frameToken === win.webContents.mainFrame.frameToken && isOurPage(frame.url)
  );
}

function isOurPage(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.pathname === '/index.html';
  } catch {
    return false;
  }
}

/** Stops the station, waiting at most QUIT_LIMIT_MS; false when it did not stop in time. */
async function stopWithinLimit(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), QUIT_LIMIT_MS);
  });
  const stopped = await Promise.race([stopStation().then(() => true as const), limit]);
  clearTimeout(timer);
  if (!stopped)
    log.error(
      `The station did not stop within ${QUIT_LIMIT_MS / 1000} s (a print stuck on the KKT?): exiting ` +
        'anyway; the next start reconciles the buffer with the KKT.',
    );
  return stopped;
}

async function stopStation(): Promise<void> {
  const running = stationApp;
  stationApp = null; // commands arriving now get "stopping", not a half-closed database
  if (!running) return;
  try {
    await running.stop();
    log.info('Stopped cleanly');
  } catch (e) {
    log.error(`Stopping the station failed: ${(e as Error).stack ?? String(e)}`);
  }
}

/** A start-up failure: tell the person why (they have no terminal), stop what did start, leave with `code`. */
async function fatal(title: string, detail: string, code: number): Promise<void> {
  log.error(`${title}: ${detail}`);
  dialog.showErrorBox(title, detail);
  quitState = 'stopping';
  await stopWithinLimit();
  quitState = 'stopped';
  app.exit(code);
}
