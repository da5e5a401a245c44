// A real serial line for tests: a socat pseudo-terminal pair at fixed paths (`link=`), the KKT emulator
// CLI on its device end, and the means to cut both and bring them back at the same paths, as a store
// sees a KKT whose cable is pulled and plugged in again.
//
// `startRelayedLine` puts this test process in the middle of the line (host pty ⇄ socat ⇄ unix socket ⇄
// relay ⇄ unix socket ⇄ socat ⇄ device pty), so a test can cut the line at an exact point of the
// protocol — after the device fiscalised a receipt and before its answer reaches the station — instead
// of at a time that races the device.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './headless.ts';
import { readKktRecords, type KktRecords } from './kkt-records.ts';
import { bundlePath } from './bundles.ts';
import { waitFor } from './wait.ts';

export interface Proc {
  readonly child: ChildProcess;
  output(): string;
  /** SIGKILL (default) or another signal, and wait until it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A child process of the repository (cwd), its output kept for failure messages. */
export function startProc(cmd: string, args: string[]): Proc {
  const child = spawn(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-16_384)));
  child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-16_384)));
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => out,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await gone;
    },
  };
}

export interface LinePaths {
  dir: string;
  /** The station's end (STATION_KKT). */
  host: string;
  /** The emulator's end. */
  device: string;
  /** The emulator's state: `dir/kkt-emulator.json`, read with `records()`. */
  state: string;
}

export function linePaths(dir: string): LinePaths {
  return {
    dir,
    host: join(dir, 'kkt-host'),
    device: join(dir, 'kkt-device'),
    state: join(dir, 'kkt-emulator.json'),
  };
}

/** What the emulator fiscalised (its durable archive). */
export function records(p: LinePaths): KktRecords {
  return readKktRecords(p.dir);
}

const PTY = 'pty,raw,echo=0';

/** A socat pty pair linked at p.host and p.device. */
export async function startLine(p: LinePaths): Promise<Proc> {
  const socat = startProc('socat', [`${PTY},link=${p.host}`, `${PTY},link=${p.device}`]);
  await waitFor('the socat pty pair', () => existsSync(p.host) && existsSync(p.device), {
    detail: socat.output,
  });
  return socat;
}

/**
 * The emulator CLI on p.device with its state in p.state; resolves once it printed its ready line.
 * `extraArgs` e.g. `['--fault', 'lose:ff46']`.
 */
export async function startEmulator(p: LinePaths, extraArgs: string[] = []): Promise<Proc> {
  const emu = startProc(process.execPath, [
    bundlePath('kkt-emulator'),
    '--port',
    p.device,
    '--state',
    p.state,
    ...extraArgs,
  ]);
  await waitFor(
    'the emulator ready line',
    () => {
      if (emu.child.exitCode !== null) throw new Error(`the emulator exited: ${emu.output()}`);
      return emu.output().includes('ready');
    },
    { timeoutMs: 30_000, detail: emu.output },
  );
  return emu;
}

/**
 * The usual setup of a pty test: the line and the emulator CLI on it, both killed when the test ends.
 * Resolves with the emulator (stop it with `kill('SIGTERM')` before reading p.state).
 */
export async function startKktLine(
  t: { after(fn: () => unknown): void },
  p: LinePaths,
  extraArgs: string[] = [],
): Promise<Proc> {
  const socat = await startLine(p);
  t.after(() => socat.kill());
  const emulator = await startEmulator(p, extraArgs);
  t.after(() => emulator.kill());
  return emulator;
}

export interface RelayedLine {
  /** Both socat processes and the relay's sockets. */
  kill(): Promise<void>;
  /** Resolves when the station has sent a frame of command `code` (e.g. 0xff45) and the device answered it; from then on nothing the device sends reaches the station. */
  cutAfterAnswerTo(code: number): Promise<void>;
  /** Forwards the device's bytes again (after a cut). */
  reconnect(): void;
}

/** Like startLine, with this process relaying the bytes in the middle (see the header). */
export async function startRelayedLine(p: LinePaths): Promise<RelayedLine> {
  const hostSock = join(p.dir, 'h.sock');
  const devSock = join(p.dir, 'd.sock');
  const socats = [
    startProc('socat', [`${PTY},link=${p.host}`, `UNIX-LISTEN:${hostSock}`]),
    startProc('socat', [`${PTY},link=${p.device}`, `UNIX-LISTEN:${devSock}`]),
  ];
  const detail = () => socats.map((s) => s.output()).join('\n');
  const connectOnce = (path: string) =>
    new Promise<Socket | null>((resolve, reject) => {
      const s = connect(path, () => resolve(s));
      // socat binds the socket (the file appears) a moment before it listens: refused until then.
      s.once('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNREFUSED' ? resolve(null) : reject(e)));
    });
  const open = async (path: string): Promise<Socket> => {
    let socket: Socket | null = null;
    await waitFor('socat listening on ' + path, async () => (socket = await connectOnce(path)) !== null, {
      detail,
    });
    return socket!;
  };
  let h: Socket;
  let d: Socket;
  try {
    await waitFor(
      'the relayed pty pair',
      () => [p.host, p.device, hostSock, devSock].every((f) => existsSync(f)),
      { detail },
    );
    [h, d] = [await open(hostSock), await open(devSock)];
  } catch (e) {
    await Promise.all(socats.map((s) => s.kill())); // the caller never gets them to clean up
    throw e;
  }
  h.on('error', () => undefined);
  d.on('error', () => undefined);

  let watching: { code: number; seen: boolean; done: () => void } | null = null;
  let cut = false;
  let fromHost = Buffer.alloc(0);
  h.on('data', (chunk: Buffer) => {
    d.write(chunk);
    if (!watching || watching.seen) return;
    fromHost = Buffer.concat([fromHost, chunk]).subarray(-512);
    const [hi, lo] = watching.code > 0xff ? [watching.code >> 8, watching.code & 0xff] : [watching.code, -1];
    for (let i = 0; i + 3 < fromHost.length; i++) {
      // STX, LEN, command code
      if (fromHost[i] === 0x02 && fromHost[i + 2] === hi && (lo < 0 || fromHost[i + 3] === lo)) {
        watching.seen = true;
        cut = true;
      }
    }
  });
  d.on('data', (chunk: Buffer) => {
    if (!cut) {
      h.write(chunk);
      return;
    }
    // The answer frame (after the ACK) leaves the device only once the command is executed and its
    // document durable. The station never hears it.
    if (watching?.seen && chunk.includes(0x02)) watching.done();
  });
  return {
    cutAfterAnswerTo(code) {
      return new Promise<void>((resolve) => {
        watching = { code, seen: false, done: resolve };
      });
    },
    reconnect() {
      cut = false;
      watching = null;
    },
    async kill() {
      h.destroy();
      d.destroy();
      await Promise.all(socats.map((s) => s.kill()));
    },
  };
}
