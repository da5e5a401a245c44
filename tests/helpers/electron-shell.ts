// Runs the Electron shell's real main-process bundle under plain Node with a fake `electron`
// (tests/helpers/electron-shell-process.ts + fake-electron.ts) and gives the test a typed handle to drive
// it: `shell.call('invoke', { frame: 'sub' }, 'station.snapshot')` plays an IPC command from a sub-frame and
// answers with what the shell's handler returned. One process per shell; its environment is ours minus
// every STATION_* variable, plus the given ones.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from './headless.ts';
import type { MainElectronRecord } from './fake-electron.ts';
import type { ChildMessage, ParentMessage, ShellOps, ShellProcessOptions } from './electron-shell-process.ts';
import { programEnv } from './program-env.ts';

/** Builds the child entry (with the fake) into `outfile`: one CommonJS file that plain Node runs. */
export async function buildShellProcess(outfile: string): Promise<void> {
  await build({
    entryPoints: [join(REPO_ROOT, 'tests/helpers/electron-shell-process.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
}

export interface ShellExit {
  code: number;
  record: MainElectronRecord;
}

export interface ElectronShell {
  readonly child: ChildProcess;
  /** Resolves when the window loaded its page; rejects if the shell exits first. */
  readonly loaded: Promise<void>;
  /** Resolves when the shell called app.exit (with what it had done by then). */
  readonly exited: Promise<ShellExit>;
  call<K extends keyof ShellOps>(
    op: K,
    ...args: Parameters<ShellOps[K]>
  ): Promise<Awaited<ReturnType<ShellOps[K]>>>;
  /** The child's stdout and stderr so far, for failure messages. */
  output(): string;
  kill(): void;
}

export interface ShellOptions {
  /** The child entry built by buildShellProcess. */
  processEntry: string;
  /** The main bundle (scripts/build.mjs buildMain). */
  mainBundle: string;
  /** A fresh directory for this run: data/, paths/, the diagnostics file. */
  work: string;
  env?: Record<string, string>;
  singleInstanceLock?: boolean;
  /**
   * STATION_DATA_DIR: by default <work>/data; a relative path is passed as it is (the child runs in
   * <work>); null leaves it unset, so the shell uses the default data directory, under <work>/xdg-data.
   */
  dataDir?: string | null;
  /** How the stand-in Electron misbehaves (fake-electron.ts). */
  fake?: Pick<ShellProcessOptions, 'loadFails' | 'preloadError' | 'stopHangs'>;
}

/** The data directory a shell started with these options uses. */
export function shellDataDir(o: Pick<ShellOptions, 'work' | 'dataDir'>): string {
  if (o.dataDir === null) return join(o.work, 'xdg-data', 'cashier-station');
  return resolve(o.work, o.dataDir ?? 'data');
}

export function startElectronShell(o: ShellOptions): ElectronShell {
  const dataDir = shellDataDir(o);
  mkdirSync(o.work, { recursive: true });
  const processOptions: ShellProcessOptions = {
    dataDir,
    pathsRoot: join(o.work, 'paths'),
    saveDialogPath: join(o.work, 'diagnostics.tar.gz'),
    singleInstanceLock: o.singleInstanceLock ?? true,
    ...o.fake,
  };
  const env = programEnv({
    ...(o.dataDir === null ? {} : { STATION_DATA_DIR: o.dataDir ?? dataDir }),
    // Electron's appData and the default data directory's parent: inside the run's folder, never $HOME.
    XDG_CONFIG_HOME: join(o.work, 'xdg-config'),
    XDG_DATA_HOME: join(o.work, 'xdg-data'),
    STATION_API_PORT: '0',
    // The bundle lives in a temp dir: let its externals resolve from the repository's node_modules.
    NODE_PATH: join(REPO_ROOT, 'node_modules'),
    ...o.env,
  });
  const child = spawn(process.execPath, [o.processEntry, o.mainBundle, JSON.stringify(processOptions)], {
    cwd: o.work,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));

  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let exitReport: ShellExit | null = null;
  let markLoaded!: () => void;
  const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
  const exited = new Promise<ShellExit>((resolve, reject) => {
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'loaded') markLoaded();
      else if (m.type === 'exit') exitReport = { code: m.code, record: m.record };
      else {
        const waiter = pending.get(m.id);
        pending.delete(m.id);
        if (m.ok) waiter?.resolve(m.value);
        else waiter?.reject(new Error(`${m.error}\n--- shell output:\n${out}`));
      }
    });
    child.once('exit', (code, signal) => {
      for (const waiter of pending.values())
        waiter.reject(new Error(`the shell exited (${code ?? signal}) before answering:\n${out}`));
      pending.clear();
      if (exitReport) resolve(exitReport);
      else reject(new Error(`the shell ended (${code ?? signal}) without calling app.exit:\n${out}`));
    });
  });
  exited.catch(() => undefined); // a test that never awaits it must not fail on an unhandled rejection
  const loadedOrExit = Promise.race([
    loaded,
    exited.then(
      (e) => Promise.reject(new Error(`the shell exited (${e.code}) before loading its window:\n${out}`)),
      (e: Error) => Promise.reject(e),
    ),
  ]);
  loadedOrExit.catch(() => undefined);

  return {
    child,
    loaded: loadedOrExit,
    exited,
    call: (op, ...args) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, op, args } satisfies ParentMessage);
      }),
    output: () => out,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
