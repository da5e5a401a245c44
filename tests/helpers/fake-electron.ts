// Fakes of the `electron` module, for running the shell's real bundles under plain Node (this machine has
// no Electron binary). Each fake implements only the subset of Electron's API that its bundle calls —
// declared here rather than imported from 'electron', which the lint rule keeps out of tests — and
// RECORDS what the bundle did with it (windows and their options, IPC handlers, lock-down listeners,
// permission and header hooks, the menu, dialogs) so that a test asserts on behaviour, not on source text.
//
// Where Electron is strict, the fake is strict the same way, so the shell's failure paths are exercised:
// app.setPath refuses a relative path (Electron throws "Path must be absolute"), registerSchemesAsPrivileged
// is refused after `ready`, loadURL of an app:// page goes through the registered protocol handler (no
// handler: did-fail-load, as Chromium's ERR_UNKNOWN_URL_SCHEME), and options make a load fail or a
// preload error be raised as Electron reports them.
//
// - FakeMainElectron: for dist/main/main.cjs (and electron-log/main, which the bundle loads and which calls
//   app, ipcMain, session, BrowserWindow and dialog too). Used by tests/helpers/electron-shell-process.ts.
// - fakePreloadElectron: for dist/preload/preload.cjs, which may touch contextBridge and ipcRenderer only;
//   every property it reads is recorded, so "the preload never uses webFrame" is an observed fact.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';

// --- the main-process subset -----------------------------------------------------------------------

/** An Electron event a listener may cancel (will-navigate, before-quit, ...). */
export interface CancellableEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function cancellableEvent(): CancellableEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export interface WebPreferences {
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
  webSecurity?: boolean;
  preload?: string;
  [other: string]: unknown;
}

export interface BrowserWindowOptions {
  title?: string;
  show?: boolean;
  webPreferences?: WebPreferences;
  [other: string]: unknown;
}

export interface MenuItem {
  label?: string;
  role?: string;
  type?: string;
  click?: () => void;
  submenu?: MenuItem[];
}

export interface Frame {
  frameToken: string;
  parent: Frame | null;
  url: string;
}

export type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };
export type IpcInvokeHandler = (
  event: { sender: FakeWebContents; senderFrame: Frame | null },
  ...args: unknown[]
) => unknown;
export type PermissionRequestHandler = (
  contents: FakeWebContents,
  permission: string,
  callback: (granted: boolean) => void,
) => void;
export type PermissionCheckHandler = (contents: FakeWebContents, permission: string) => boolean;
export interface ResponseHeaders {
  responseHeaders?: Record<string, string[]>;
}
export type HeadersReceivedHandler = (
  details: ResponseHeaders,
  callback: (response: ResponseHeaders) => void,
) => void;

export class FakeWebContents extends EventEmitter {
  /** Every `send(channel, ...args)`, in order. */
  readonly sent: unknown[][] = [];
  readonly mainFrame: Frame;
  openHandler: WindowOpenHandler | null = null;

  constructor(url = 'about:blank') {
    super();
    this.mainFrame = { frameToken: 'main-frame', parent: null, url };
  }

  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.openHandler = handler;
  }

  isDestroyed(): boolean {
    return false;
  }

  isCrashed(): boolean {
    return false;
  }

  reload(): void {}
}

export interface FakeMainElectronOptions {
  /** STATION_DATA_DIR: "is the core running?" means "does its buffer file exist?". */
  dataDir: string;
  /** Where app.getPath('appData' | 'documents' | ...) points. */
  pathsRoot: string;
  /** What the save dialog answers. */
  saveDialogPath: string;
  /** What requestSingleInstanceLock() answers: false plays a second instance. */
  singleInstanceLock: boolean;
  /** app.exit(code): the process under test ends here. */
  onExit(code: number): void;
  /** The window loaded its page. */
  onWindowLoaded(): void;
  /** The page load fails as Chromium's network errors do: did-fail-load, then loadURL rejects. */
  loadFails?: boolean;
  /** The preload throws: Electron emits preload-error on the web contents. */
  preloadError?: boolean;
}

/** What a request to a registered protocol answered: plain data. */
export interface ProtocolAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type ProtocolHandler = (request: Request) => Response | Promise<Response>;

/** What the shell did, as plain data (it crosses a process boundary). */
export interface MainElectronRecord {
  /** Start-up and shutdown steps in order: enableSandbox, singleInstanceLock, ipcMain.handle:<channel>, BrowserWindow, ... */
  steps: string[];
  windowOptions: BrowserWindowOptions[];
  /** True when the buffer file existed as the (first) window was created. */
  coreRunningAtWindow: boolean | null;
  loadedFiles: string[];
  loadedUrls: string[];
  ipcHandleChannels: string[];
  ipcOnChannels: string[];
  permissionRequestHandlers: number;
  permissionCheckHandlers: number;
  headersHandlers: number;
  errorBox: { title: string; message: string } | null;
  /** Titles of the message boxes shown. */
  messages: string[];
  exitCode: number | null;
  /** app.setPath calls that Electron accepted, in order. */
  paths: { name: string; path: string }[];
  /** registerSchemesAsPrivileged's schemes, and whether it came before `ready`. */
  privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[];
  /** Schemes given a protocol.handle handler. */
  handledSchemes: string[];
}

export class FakeMainElectron {
  readonly record: MainElectronRecord = {
    steps: [],
    windowOptions: [],
    coreRunningAtWindow: null,
    loadedFiles: [],
    loadedUrls: [],
    ipcHandleChannels: [],
    ipcOnChannels: [],
    permissionRequestHandlers: 0,
    permissionCheckHandlers: 0,
    headersHandlers: 0,
    errorBox: null,
    messages: [],
    exitCode: null,
    paths: [],
    privilegedSchemes: [],
    handledSchemes: [],
  };
  readonly protocolHandlers = new Map<string, ProtocolHandler>();
  readonly windows: FakeBrowserWindow[] = [];
  readonly invokeHandlers = new Map<string, IpcInvokeHandler>();
  permissionRequest: PermissionRequestHandler | null = null;
  permissionCheck: PermissionCheckHandler | null = null;
  headersReceived: HeadersReceivedHandler | null = null;
  menu: MenuItem[] | null = null;

  readonly app: FakeApp;
  readonly BrowserWindow: new (options: BrowserWindowOptions) => FakeBrowserWindow;

  constructor(readonly options: FakeMainElectronOptions) {
    this.app = new FakeApp(this);
    this.BrowserWindow = fakeBrowserWindowClass(this);
  }

  step(name: string): void {
    this.record.steps.push(name);
  }

  /** A request through a registered protocol handler, as Chromium would make it for the page. */
  async request(url: string, method = 'GET'): Promise<ProtocolAnswer | null> {
    const handler = this.protocolHandlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) return null;
    const response = await handler(new Request(url, { method }));
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.text(),
    };
  }

  /** The object `require('electron')` returns in the main process under test. */
  get module() {
    return {
      app: this.app,
      protocol: {
        registerSchemesAsPrivileged: (schemes: MainElectronRecord['privilegedSchemes']) => {
          if (this.app.ready)
            throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
          this.step('protocol.registerSchemesAsPrivileged');
          this.record.privilegedSchemes.push(...schemes);
        },
        handle: (scheme: string, handler: ProtocolHandler) => {
          if (!this.app.ready) throw new Error('protocol.handle can only be used after ready');
          this.step(`protocol.handle:${scheme}`);
          this.record.handledSchemes.push(scheme);
          this.protocolHandlers.set(scheme, handler);
        },
      },
      BrowserWindow: this.BrowserWindow,
      ipcMain: {
        handle: (channel: string, handler: IpcInvokeHandler) => {
          this.step(`ipcMain.handle:${channel}`);
          this.record.ipcHandleChannels.push(channel);
          this.invokeHandlers.set(channel, handler);
        },
        on: (channel: string) => {
          this.record.ipcOnChannels.push(channel);
        },
      },
      session: {
        defaultSession: {
          webRequest: {
            onHeadersReceived: (handler: HeadersReceivedHandler) => {
              this.record.headersHandlers++;
              this.headersReceived = handler;
            },
          },
          setPermissionRequestHandler: (handler: PermissionRequestHandler) => {
            this.record.permissionRequestHandlers++;
            this.permissionRequest = handler;
          },
          setPermissionCheckHandler: (handler: PermissionCheckHandler) => {
            this.record.permissionCheckHandlers++;
            this.permissionCheck = handler;
          },
          getPreloads: () => [],
          setPreloads: () => undefined,
        },
      },
      Menu: {
        buildFromTemplate: (template: MenuItem[]) => ({ template }),
        setApplicationMenu: (menu: { template: MenuItem[] }) => {
          this.menu = menu.template;
        },
      },
      dialog: {
        showErrorBox: (title: string, message: string) => {
          this.record.errorBox = { title, message };
        },
        // (options) or (window, options), as in Electron.
        showMessageBox: async (...args: unknown[]) => {
          const options = args.at(-1) as { title: string };
          this.record.messages.push(options.title);
          return { response: 0 };
        },
        showSaveDialog: async () => ({ canceled: false, filePath: this.options.saveDialogPath }),
      },
    };
  }
}

class FakeApp extends EventEmitter {
  readonly isPackaged = false;
  readonly name = 'Cashier Station';
  /** `ready` comes once the main script's first run is over, as in Electron. */
  ready = false;
  private readonly paths = new Map<string, string>();

  constructor(private readonly electron: FakeMainElectron) {
    super();
    setImmediate(() => {
      this.ready = true;
      electron.step('ready');
    });
  }

  /** As Electron's App::SetPath: a relative path is an error thrown at the caller. */
  setPath(name: string, path: string): void {
    if (!isAbsolute(path)) throw new Error('Path must be absolute');
    this.paths.set(name, path);
    this.electron.record.paths.push({ name, path });
  }

  /** appData as Electron has it on Linux: $XDG_CONFIG_HOME (the test harness always sets it). */
  getPath(name: string): string {
    if (name === 'appData' && process.env.XDG_CONFIG_HOME) return process.env.XDG_CONFIG_HOME;
    return this.paths.get(name) ?? join(this.electron.options.pathsRoot, name);
  }

  enableSandbox(): void {
    this.electron.step('enableSandbox');
  }

  requestSingleInstanceLock(): boolean {
    this.electron.step('singleInstanceLock');
    return this.electron.options.singleInstanceLock;
  }

  whenReady(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.ready ? resolve() : setImmediate(check));
      check();
    });
  }

  isReady(): boolean {
    return this.ready;
  }

  getVersion(): string {
    return '0.0.0-test';
  }

  getName(): string {
    return this.name;
  }

  /** As Electron: 'before-quit' may cancel; otherwise the app exits. Returns whether it was cancelled. */
  quit(): boolean {
    const event = cancellableEvent();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.exit(0);
    return event.defaultPrevented;
  }

  exit(code: number): void {
    this.electron.step(`exit:${code}`);
    this.electron.record.exitCode = code;
    this.electron.options.onExit(code);
  }
}

/** `new BrowserWindow(options)` as the shell calls it, bound to the fake that records it. */
function fakeBrowserWindowClass(electron: FakeMainElectron) {
  return class extends FakeBrowserWindow {
    constructor(options: BrowserWindowOptions) {
      super(electron, options);
    }

    static getAllWindows(): FakeBrowserWindow[] {
      return electron.windows;
    }
  };
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  minimized = false;
  destroyed = false;

  constructor(
    private readonly electron: FakeMainElectron,
    private readonly options: BrowserWindowOptions,
  ) {
    super();
    const { record, options: o } = electron;
    electron.step('BrowserWindow');
    record.windowOptions.push(options);
    record.coreRunningAtWindow ??= existsSync(join(o.dataDir, 'buffer.sqlite'));
    electron.windows.push(this);
    electron.app.emit('web-contents-created', {}, this.webContents);
  }

  loadFile(file: string): Promise<void> {
    this.electron.step('loadFile');
    this.electron.record.loadedFiles.push(file);
    this.webContents.mainFrame.url = pathToFileURL(file).href;
    setImmediate(() => this.electron.options.onWindowLoaded());
    return Promise.resolve();
  }

  /**
   * As Chromium: the page is fetched (a registered protocol's handler answers app:// URLs), then the
   * preload runs. A network error emits did-fail-load (main frame) and rejects, as Electron does.
   */
  async loadURL(url: string): Promise<void> {
    const { electron } = this;
    electron.step('loadURL');
    electron.record.loadedUrls.push(url);
    const fail = (code: number, description: string) => {
      this.webContents.emit('did-fail-load', cancellableEvent(), code, description, url, true);
      throw Object.assign(new Error(`${description} (${code}) loading '${url}'`), {
        errno: code,
        code: description,
      });
    };
    if (electron.options.loadFails) fail(-6, 'ERR_FILE_NOT_FOUND');
    const answer = await electron.request(url);
    if (!answer) fail(-302, 'ERR_UNKNOWN_URL_SCHEME');
    this.webContents.mainFrame.url = url;
    if (electron.options.preloadError) {
      const preload = this.options.webPreferences?.preload ?? '';
      this.webContents.emit('preload-error', cancellableEvent(), preload, new Error('preload threw'));
      return;
    }
    setImmediate(() => electron.options.onWindowLoaded());
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** The window closed (by the user, a crash of the whole window): 'closed', then it is destroyed. */
  close(): void {
    this.destroyed = true;
    this.emit('closed');
  }

  isMinimized(): boolean {
    return this.minimized;
  }

  restore(): void {
    this.minimized = false;
    this.electron.step('window.restore');
  }

  show(): void {
    this.electron.step('window.show');
  }

  focus(): void {
    this.electron.step('window.focus');
  }
}

// --- the preload subset ----------------------------------------------------------------------------

export type IpcRendererListener = (event: unknown, ...args: unknown[]) => void;

export interface FakePreloadElectron {
  /** What `require('electron')` returns in the preload. */
  module: object;
  /** Every `electron.<x>.<y>` the preload read, e.g. 'contextBridge.exposeInMainWorld'. */
  accessed: Set<string>;
  /** exposeInMainWorld(key, api) calls, by key. */
  exposed: Map<string, unknown>;
  /** ipcRenderer.invoke calls' arguments. */
  invoked: unknown[][];
  /** ipcRenderer.on registrations. */
  listeners: { channel: string; listener: IpcRendererListener }[];
  /** The ipcRenderer object itself, to check it never reaches the page. */
  ipcRenderer: object;
}

/** `answer` is what every ipcRenderer.invoke resolves with. */
export function fakePreloadElectron(answer: unknown): FakePreloadElectron {
  const accessed = new Set<string>();
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const listeners: FakePreloadElectron['listeners'] = [];
  const ipcRenderer = {
    invoke: async (...args: unknown[]) => {
      invoked.push(args);
      return answer;
    },
    on: (channel: string, listener: IpcRendererListener) => {
      listeners.push({ channel, listener });
    },
  };
  const contextBridge = { exposeInMainWorld: (key: string, api: unknown) => void exposed.set(key, api) };
  // Records each read; a read of anything this subset lacks answers undefined, so the call fails loudly.
  const recording = (name: string, target: object) =>
    new Proxy(target, {
      get(obj, prop) {
        accessed.add(`${name}.${String(prop)}`);
        return Reflect.get(obj, prop);
      },
    });
  const module = recording('electron', {
    contextBridge: recording('contextBridge', contextBridge),
    ipcRenderer: recording('ipcRenderer', ipcRenderer),
  });
  return { module, accessed, exposed, invoked, listeners, ipcRenderer };
}
