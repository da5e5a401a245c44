// The child process of tests/helpers/electron-shell.ts: runs the real main-process bundle (argv[2]) under
// plain Node with FakeMainElectron answering `require('electron')`, and lets the parent test drive it over
// the process IPC channel: it plays what Electron would do (a frame sending a command, a navigation, a
// permission prompt, a response's headers, a menu click, a quit) and answers with what the shell did.
//
// Options make the stand-in misbehave as Electron can (ShellProcessOptions: a page that fails to load, a
// preload that throws, a station whose stop never ends).
//
// Messages to the parent: { type: 'loaded' } once the window loaded its page; { type: 'reply', id, ... }
// per call; { type: 'exit', code, record } when the shell calls app.exit (then this process exits with
// that code). Built into one CommonJS file by esbuild, so Node runs it without a TypeScript loader.
import { Server } from 'node:http';
import Module, { createRequire } from 'node:module';
import {
  cancellableEvent,
  FakeMainElectron,
  FakeWebContents,
  type Frame,
  type ResponseHeaders,
} from './fake-electron.ts';

export interface ShellProcessOptions {
  dataDir: string;
  pathsRoot: string;
  saveDialogPath: string;
  singleInstanceLock: boolean;
  loadFails?: boolean;
  preloadError?: boolean;
  /** The station's stop never finishes (as with a print stuck on the KKT): its REST server never closes. */
  stopHangs?: boolean;
}

/** Who sends an IPC command: by default our window's main frame showing the page the window loaded. */
export interface SenderSpec {
  /** 'other': some other web contents than the window's. */
  contents?: 'window' | 'other';
  /** 'sub': a child frame; 'none': the frame is gone; 'other-token': a main frame that is not the window's. */
  frame?: 'main' | 'sub' | 'none' | 'other-token';
  /** The frame's URL (default: the loaded page's). */
  url?: string;
}

export type ParentMessage = { id: number; op: keyof ShellOps; args: unknown[] };
export type ChildMessage =
  | { type: 'loaded' }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'exit'; code: number; record: FakeMainElectron['record'] };

const [mainBundle, optionsJson] = process.argv.slice(2) as [string, string];
const options = JSON.parse(optionsJson) as ShellProcessOptions;
const send = (message: ChildMessage, then: () => void = () => undefined) => process.send!(message, then);

const electron = new FakeMainElectron({
  ...options,
  onWindowLoaded: () => send({ type: 'loaded' }),
  onExit: (code) => send({ type: 'exit', code, record: electron.record }, () => process.exit(code)),
});

/** The window now open (after a close and a second launch, the new one). */
const theWindow = () => {
  const win = electron.windows.filter((w) => !w.isDestroyed()).at(-1);
  if (!win) throw new Error('the shell has no window open');
  return win;
};

function invokeFrom(from: SenderSpec, name: unknown, arg?: unknown): unknown {
  const handler = electron.invokeHandlers.get('station:invoke');
  if (!handler) throw new Error('no handler on station:invoke');
  const ours = theWindow().webContents;
  const sender = from.contents === 'other' ? new FakeWebContents(ours.mainFrame.url) : ours;
  const url = from.url ?? ours.mainFrame.url;
  // Each refused kind breaks exactly one of the shell's conditions, so each condition is tested on its own
  // (a real sub-frame has its own token too; here only its parent gives it away).
  const frames: Record<NonNullable<SenderSpec['frame']>, Frame | null> = {
    main: { ...ours.mainFrame, url },
    sub: { frameToken: ours.mainFrame.frameToken, parent: ours.mainFrame, url },
    'other-token': { frameToken: 'another-main-frame', parent: null, url },
    none: null,
  };
  return handler({ sender, senderFrame: frames[from.frame ?? 'main'] }, name, arg);
}

/** What the parent may ask. Each answer is plain data. */
const ops = {
  record: () => electron.record,

  invoke: (from: SenderSpec, name: unknown, arg?: unknown) => invokeFrom(from, name, arg),

  /** Everything the shell sent to the window's web contents: [channel, ...args]. */
  sentToWindow: () => theWindow().webContents.sent,

  /** Plays the lock-down events on the window's web contents, or on a web contents created now (a pop-up, a webview). */
  lockDown: (which: 'window' | 'new') => {
    let contents = theWindow().webContents;
    if (which === 'new') {
      contents = new FakeWebContents();
      electron.app.emit('web-contents-created', {}, contents);
    }
    const prevented = (eventName: string) => {
      const event = cancellableEvent();
      contents.emit(eventName, event, 'https://evil.example/');
      return event.defaultPrevented;
    };
    return {
      willNavigate: prevented('will-navigate'),
      willRedirect: prevented('will-redirect'),
      willAttachWebview: prevented('will-attach-webview'),
      windowOpen: contents.openHandler?.({ url: 'https://evil.example/' }) ?? null,
    };
  },

  /** The session's answers to a permission request and a permission check, per permission. */
  permissions: async (names: string[]) => {
    const contents = theWindow().webContents;
    const answers: Record<string, { request: boolean; check: boolean }> = {};
    for (const name of names) {
      const request = await new Promise<boolean>((resolve) =>
        electron.permissionRequest!(contents, name, resolve),
      );
      answers[name] = { request, check: electron.permissionCheck!(contents, name) };
    }
    return answers;
  },

  /** The headers a response ends up with after the session's onHeadersReceived hook. */
  responseHeaders: (headers: Record<string, string[]>) =>
    new Promise<ResponseHeaders>((resolve) =>
      electron.headersReceived!({ responseHeaders: headers }, resolve),
    ),

  clickMenu: (menuLabel: string, itemLabel: string) => {
    const item = electron.menu
      ?.find((m) => m.label === menuLabel)
      ?.submenu?.find((i) => i.label === itemLabel);
    if (!item?.click) throw new Error(`no menu item ${menuLabel} → ${itemLabel}`);
    item.click();
  },

  /** A request for `url` through the shell's registered protocol handler (null: no handler for its scheme). */
  request: (url: string, method?: string) => electron.request(url, method),

  /** The window is closed while the app keeps running; answers how many windows were ever created. */
  closeWindow: () => {
    theWindow().close();
    return electron.windows.length;
  },

  /** Another start of the app with the lock held by us: Electron emits second-instance here. */
  secondInstance: (minimized: boolean) => {
    const open = electron.windows.filter((w) => !w.isDestroyed()).at(-1);
    if (open) open.minimized = minimized;
    const from = electron.record.steps.length;
    electron.app.emit('second-instance');
    return electron.record.steps.slice(from);
  },

  /**
   * app.quit(), then at once (while the station is stopping) one command from our page, one unknown
   * command and one from a foreign page. The process exits when the shell calls app.exit.
   */
  quit: async () => {
    const prevented = electron.app.quit();
    const [known, unknown, foreign] = [
      invokeFrom({}, 'station.snapshot'),
      invokeFrom({}, 'fs.readFile', '/etc/passwd'),
      invokeFrom({ url: 'https://evil.example/' }, 'fs.readFile'),
    ];
    return {
      prevented,
      whileStopping: { known: await known, unknown: await unknown, foreign: await foreign },
    };
  },
};
export type ShellOps = typeof ops;

// The test process went away (failed, timed out): do not outlive it.
process.on('disconnect', () => process.exit(1));
process.on('message', (message: ParentMessage) => {
  void (async () => {
    try {
      const op = ops[message.op] as (...args: unknown[]) => unknown;
      send({ type: 'reply', id: message.id, ok: true, value: await op(...message.args) });
    } catch (e) {
      send({ type: 'reply', id: message.id, ok: false, error: (e as Error).stack ?? String(e) });
    }
  })();
});

if (options.stopHangs) {
  // Never calls back: the station's stop waits on it for ever, as on a print that never ends.
  Server.prototype.close = function (this: Server) {
    return this;
  };
}

// Every `require('electron')` from now on (the bundle's and electron-log's) gets the fake.
const moduleLoader = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
const load = moduleLoader._load;
moduleLoader._load = function (request, ...rest) {
  return request === 'electron' ? electron.module : load.call(this, request, ...rest);
};
createRequire(mainBundle)(mainBundle);
