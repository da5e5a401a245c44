// Start-up: how long from spawning `npm run headless` (and its pieces) until the REST API answers an
// authorised GET /v1/kkt/buffer/status, on a fresh data directory and on a restart over it. Next to the
// wall time, the CPU time the process had used by then (from /proc): the machines are shared, and under
// load the wall time mostly measures the wait for a core. `node -e ""` (start and exit, nothing loaded)
// is the reference from the same run. Target: ready in ≤ 1 s.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = 'bench-api-token-0123456789abcdef';
const RUNS = Number(process.env.BENCH_STARTUP_RUNS) || 5;
const READY_TIMEOUT_MS = 60_000;
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

interface Start {
  readyMs: number;
  /** User + system CPU of the process group (npm and its child) when it was ready; null off Linux. */
  cpuMs: number | null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/kkt/buffer/status',
        headers: { authorization: `Bearer ${TOKEN}` },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.setTimeout(1_000, () => req.destroy());
  });
}

/** User + system CPU used so far by every process of the group `pgid` (npm and the station it runs). */
function groupCpuMs(pgid: number): number | null {
  let ticks = 0;
  try {
    for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // gone meanwhile
      }
      // After "pid (comm) ": state, ppid, pgrp, … utime and stime are stat(5) fields 14 and 15.
      const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]);
    }
  } catch {
    return null; // no /proc: not Linux
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

/** SIGTERM to the whole process group (npm runs the station in a child), then waits until all of it is gone. */
async function stop(child: ChildProcess): Promise<void> {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  for (;;) {
    try {
      process.kill(-child.pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Spawns `cmd args` as a station on `dataDir` and times it until the REST API answers. */
export async function startOnce(cmd: string, args: string[], dataDir: string): Promise<Start> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(cmd, args, {
    cwd: ROOT,
    stdio: 'ignore',
    detached: true, // its own process group, so stop() reaches npm's child too
    env: {
      ...process.env,
      STATION_DATA_DIR: dataDir,
      STATION_API_PORT: String(port),
      STATION_API_TOKEN: TOKEN,
      STATION_OFD_URL: 'http://127.0.0.1:9', // nothing listens: the start must not wait for the OFD
    },
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${cmd} ${args.join(' ')} exited with ${child.exitCode}`);
      if (await answers(port)) break;
      if (performance.now() - t0 > READY_TIMEOUT_MS) throw new Error(`${args.join(' ')}: not ready in 60 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const readyMs = performance.now() - t0;
    return { readyMs, cpuMs: child.pid ? groupCpuMs(child.pid) : null };
  } finally {
    await stop(child);
  }
}

/** The reference: a Node process that starts and exits, nothing loaded. */
function bareNode(): Start {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  return { readyMs: performance.now() - t0, cpuMs: null };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function line(label: string, starts: Start[]): string {
  const ready = median(starts.map((s) => s.readyMs));
  const cpu = starts.every((s) => s.cpuMs !== null) ? median(starts.map((s) => s.cpuMs!)) : null;
  return `  ${label.padEnd(50)} ready p50 ${ready.toFixed(0).padStart(5)} ms${cpu === null ? '' : `  CPU ${cpu.toFixed(0).padStart(4)} ms`}  (n=${starts.length}, max ${Math.max(...starts.map((s) => s.readyMs)).toFixed(0)} ms)`;
}

export async function benchStartup(): Promise<string[]> {
  // Built once up front, so no run below pays for a build (scripts/headless.mjs builds when stale).
  const specifier = '../scripts/build.mjs'; // JavaScript: not a literal import, so tsc does not type it
  const { ensureNodeBundlesBuilt } = (await import(specifier)) as {
    ensureNodeBundlesBuilt: (names: string[]) => Promise<void>;
  };
  await ensureNodeBundlesBuilt(['headless']);
  const variants: [string, string, string[]][] = [
    ['npm run headless', 'npm', ['run', '--silent', 'headless']],
    ['node scripts/headless.mjs (the built bundle)', process.execPath, [join(ROOT, 'scripts/headless.mjs')]],
    [
      'node --import tsx src/main/cli/headless.ts',
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/main/cli/headless.ts')],
    ],
  ];
  const out = [
    `Start-up: spawn → the REST API answers GET /v1/kkt/buffer/status (in-process KKT emulator; target ≤ 1 s), median of ${RUNS}`,
    line('node -e "" (reference: start and exit)', Array.from({ length: RUNS }, bareNode)),
  ];
  for (const [label, cmd, args] of variants) {
    const first: Start[] = [];
    const restart: Start[] = [];
    for (let i = 0; i < RUNS; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'station-startup-'));
      try {
        first.push(await startOnce(cmd, args, dir));
        restart.push(await startOnce(cmd, args, dir));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    out.push(line(`${label}, empty data dir`, first), line(`${label}, restart`, restart));
  }
  return out;
}
