// Runs the headless station as a child process from its bundle (helpers/bundles.ts), the way `npm run
// headless` does but without npm in between, so the pid we hold is the station itself and SIGKILL really kills it.
// The child's environment is ours minus every STATION_* variable, plus the given ones.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundlePath } from './bundles.ts';
import { StationClient, httpJson } from './http-client.ts';
import { freePort } from './ports.ts';
import { waitFor } from './wait.ts';
import { programEnv } from './program-env.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface HeadlessOptions {
  dataDir: string;
  port: number;
  token: string;
  /** More STATION_* variables (OFD URL, intervals, ...). */
  env?: Record<string, string>;
}

export interface HeadlessStation {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  readonly client: StationClient;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** The last few KB of the child's stdout and stderr, for failure messages. */
  output(): string;
  /** Polls the API until it answers (or the child dies, or the time is up). */
  waitReady(timeoutMs?: number): Promise<void>;
  /** SIGKILL and wait for the process to be gone. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful stop) and wait; SIGKILL if it does not stop within `timeoutMs`. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const OUTPUT_TAIL = 16 * 1024;

export function spawnHeadless(opts: HeadlessOptions): HeadlessStation {
  const env = programEnv({
    STATION_DATA_DIR: opts.dataDir,
    STATION_API_PORT: String(opts.port),
    STATION_API_TOKEN: opts.token,
    ...opts.env,
  });
  const child = spawn(process.execPath, [bundlePath('headless')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });
  const url = `http://127.0.0.1:${opts.port}`;
  const alive = () => exitInfo === null;

  return {
    child,
    pid: child.pid!,
    url,
    client: new StationClient(url, opts.token),
    exited,
    alive,
    output: () => out,
    async waitReady(timeoutMs = 20_000) {
      await waitFor(
        'the station to answer',
        async () => {
          if (!alive())
            throw new Error(`The station exited during start-up (${JSON.stringify(exitInfo)}):\n${out}`);
          try {
            const r = await httpJson(`${url}/v1/kkt/buffer/status`, {
              headers: { authorization: `Bearer ${opts.token}` },
              timeoutMs: 2_000,
            });
            return r.status === 200;
          } catch {
            return false; // not listening yet
          }
        },
        { timeoutMs, intervalMs: 50, detail: () => out },
      );
    },
    async kill9() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop(timeoutMs = 10_000) {
      if (!alive()) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Spawns the station on a free port and waits until it answers. The port can be taken between picking
 * and binding it: then another one is tried (three tries in all). `onSpawn` hears of every child at once,
 * so the caller's clean-up can kill it even when the test times out during the start.
 */
export async function startHeadless(
  opts: Omit<HeadlessOptions, 'port'> & { onSpawn?: (s: HeadlessStation) => void },
): Promise<HeadlessStation> {
  for (let attempt = 1; ; attempt++) {
    const s = spawnHeadless({ ...opts, port: await freePort() });
    opts.onSpawn?.(s);
    try {
      await s.waitReady();
      return s;
    } catch (e) {
      await s.kill9();
      if (attempt < 3 && /EADDRINUSE/.test(s.output())) continue;
      throw e;
    }
  }
}
