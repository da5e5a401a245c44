// The Electron shell: one window, a menu, dialogs, and the IPC side of the renderer↔main contract
// (src/shared/contract.ts). Everything else (buffer, KKT, OFD sync) is the plain-Node station started by
// startStationApp with the REST API (src/main/rest), as the browser host and headless mode start it.
//
// Runs only as the CommonJS bundle dist/main/main.cjs (scripts/build.mjs): paths below are relative to
// that file's directory, `__dirname`.
//
// Security posture: a sandboxed, context-isolated renderer without Node; a preload that exposes only
// `window.station`; commands accepted only from our own page's main frame; no navigation, no new
// windows, no permissions; the renderer's one Content-Security-Policy (src/shared/csp.ts) on every response.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  session,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
  type WebContents,
} from 'electron';
import log from 'electron-log/main';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from '../core/config.ts';
import { configureLog } from '../core/logger.ts';
import { DataDirLockedError, EXIT_DATA_DIR_LOCKED } from '../core/data-dir.ts';
import { startStationApp, type StationApp } from '../app/station-app.ts';
import { startRestApi } from '../rest/rest-api.ts';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, isCommandName, type Result } from '../../shared/contract.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.ts';

const APP_NAME = 'Cashier Station';
const INDEX_HTML = join(__dirname, '..', 'renderer-electron', 'index.html');
const INDEX_URL = pathToFileURL(INDEX_HTML);
const PRELOAD = join(__dirname, '..', 'preload', 'preload.cjs');

/** Writing to the clipboard (copying a receipt number) is the one permission the page may use. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

// The data directory: STATION_DATA_DIR, else Electron's userData. When STATION_DATA_DIR is set, Chromium's
// profile and the single-instance lock move there too: one running app per data directory (two processes
// on one buffer is the real hazard), and parallel test runs with their own directories do not collide.
if (process.env.STATION_DATA_DIR) app.setPath('userData', process.env.STATION_DATA_DIR);
else app.setPath('userData', join(app.getPath('appData'), APP_NAME)); // not "Electron" when run unpackaged
const dataDir = app.getPath('userData');

// The core's log file, and a console that goes quiet (only) when stdout/stderr break (core/logger.ts).
configureLog(log, dataDir, app.isPackaged ? false : 'info');

let stationApp: StationApp | null = null;
let mainWindow: BrowserWindow | null = null;
let quitState: 'running' | 'stopping' | 'stopped' = 'running';

app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another instance holds this data directory; it focuses its window (second-instance below).
  app.exit(0);
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
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
    void stopStation().finally(() => {
      quitState = 'stopped';
      app.exit(0);
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
    if (e instanceof ConfigError)
      return fatal('Ошибка конфигурации', `${e.message}\n\nДанные и настройки: ${dataDir}`, 2);
    throw e;
  }
  log.info(`${APP_NAME} ${app.getVersion()} (Electron ${process.versions.electron}), data in ${dataDir}`);
  try {
    // The core first: the window's first command must find it running.
    stationApp = await startStationApp(config, log, { host: 'electron', restApi: startRestApi });
  } catch (e) {
    // Another station (headless, the browser host) holds this data directory: say which, start nothing.
    if (e instanceof DataDirLockedError)
      return fatal('Кассовая станция уже запущена', e.message, EXIT_DATA_DIR_LOCKED);
    return fatal('Кассовая станция не запустилась', (e as Error).message, 1);
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

  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate()));
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
  void win.loadFile(INDEX_HTML);
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
    return u.protocol === 'file:' && u.pathname === INDEX_URL.pathname;
  } catch {
    return false;
  }
}

function menuTemplate(): MenuItemConstructorOptions[] {
  return [
    { label: 'Файл', submenu: [{ role: 'quit', label: 'Выход' }] },
    {
      label: 'Правка',
      submenu: [
        { role: 'undo', label: 'Отменить' },
        { role: 'redo', label: 'Повторить' },
        { type: 'separator' },
        { role: 'cut', label: 'Вырезать' },
        { role: 'copy', label: 'Копировать' },
        { role: 'paste', label: 'Вставить' },
        { role: 'selectAll', label: 'Выделить всё' },
      ],
    },
    {
      label: 'Вид',
      submenu: [
        { role: 'resetZoom', label: 'Обычный размер' },
        { role: 'zoomIn', label: 'Крупнее' },
        { role: 'zoomOut', label: 'Мельче' },
        { type: 'separator' },
        { role: 'togglefullscreen', label: 'Во весь экран' },
        ...(app.isPackaged
          ? []
          : [
              { type: 'separator' as const },
              { role: 'toggleDevTools' as const, label: 'Инструменты разработчика' },
            ]),
      ],
    },
    {
      label: 'Справка',
      submenu: [
        { label: 'Экспорт диагностики…', click: () => void exportDiagnostics() },
        { type: 'separator' },
        { label: 'О программе', click: () => void about() },
      ],
    },
  ];
}

/** Help → Экспорт диагностики: the same bundle as the renderer's button, saved where the user chooses. */
async function exportDiagnostics(): Promise<void> {
  if (!stationApp) return;
  const result = await stationApp.handle('diagnostics.export', undefined);
  if (!result.ok) {
    await message('error', 'Не удалось собрать диагностику', result.error.message);
    return;
  }
  const bundle = result.value as { fileName: string; base64: string };
  const options = {
    title: 'Сохранить диагностику',
    defaultPath: join(app.getPath('documents'), bundle.fileName),
    filters: [{ name: 'Архив диагностики (.tar.gz)', extensions: ['gz'] }],
  };
  const choice = mainWindow
    ? await dialog.showSaveDialog(mainWindow, options)
    : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) return;
  try {
    await writeFile(choice.filePath, Buffer.from(bundle.base64, 'base64'));
    log.info(`Diagnostics saved to ${choice.filePath}`);
    await message(
      'info',
      'Диагностика сохранена',
      `Файл: ${choice.filePath}\nОтправьте его в службу поддержки.`,
    );
  } catch (e) {
    await message('error', 'Не удалось сохранить диагностику', (e as Error).message);
  }
}

async function about(): Promise<void> {
  await message(
    'info',
    APP_NAME,
    [
      `Версия ${app.getVersion()}`,
      `Electron ${process.versions.electron}, Node ${process.versions.node}`,
      `Данные: ${dataDir}`,
      stationApp ? `REST API: ${stationApp.restUrl}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

async function message(type: 'info' | 'error', title: string, detail: string): Promise<void> {
  const options = { type, title, message: title, detail, buttons: ['OK'] };
  if (mainWindow) await dialog.showMessageBox(mainWindow, options);
  else await dialog.showMessageBox(options);
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
  await stopStation();
  quitState = 'stopped';
  app.exit(code);
}
