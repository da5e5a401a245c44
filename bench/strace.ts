// Real fsync counts for the bench and the intake-durability test: bench/fsync-sales.ts runs in a child
// process under `strace -f -y` (every thread; file descriptors shown with their paths), and the trace
// between its two marker fsyncs is read back as a list of events on the files of its data directory.
// Nothing is assumed: a count is what the kernel was asked to do.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The files bench/fsync-sales.ts fsyncs around the sales it counts. */
export const START_MARK = 'bench-mark-start';
export const END_MARK = 'bench-mark-end';

export type FileKind = 'station' | 'device' | 'marker' | 'other';

export interface TraceEvent {
  call: string;
  path: string;
  kind: FileKind;
}

/** True when strace can be run here (it is a Debian package: apt-get install strace). */
export function straceAvailable(): boolean {
  return spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
}

/**
 * The station's files are the SQLite buffer and its -wal/-shm; the device's are the emulator's state
 * file, its journal, its temporary twin and the data directory itself (the emulator fsyncs it after a
 * snapshot's rename; SQLite syncs a directory only when it creates a journal, before the first marker).
 */
function kindOf(path: string, dir: string): FileKind {
  const name = basename(path);
  if (name === START_MARK || name === END_MARK) return 'marker';
  if (name.startsWith('buffer.sqlite')) return 'station';
  if (name.startsWith('kkt-emulator.json') || path === dir) return 'device';
  return 'other';
}

/** One strace line → the call and the file it names (a descriptor's path, or a rename's target). */
function parseLine(line: string, dir: string): TraceEvent | null {
  const body = line.replace(/^\d+\s+/, '');
  if (body.startsWith('<...')) return null; // the end of a call already counted when it began
  const fd = /^(\w+)\(\d+<([^>]*)>/.exec(body);
  if (fd) return { call: fd[1]!, path: fd[2]!, kind: kindOf(fd[2]!, dir) };
  const rename = /^(rename\w*)\(.*"([^"]+)"(?:, \w+)?\)?/.exec(body);
  if (rename) return { call: rename[1]!, path: rename[2]!, kind: kindOf(rename[2]!, dir) };
  return null;
}

/**
 * Runs `count` sales (after a warm-up) in a fresh station under strace, tracing `calls`, and returns the
 * events between the markers, in order.
 */
export function traceSales(count: number, calls: string[]): TraceEvent[] {
  const dir = mkdtempSync(join(tmpdir(), 'station-strace-'));
  const out = join(dir, 'strace.txt');
  const dataDir = join(dir, 'data');
  try {
    const child = fileURLToPath(new URL('./fsync-sales.ts', import.meta.url));
    const run = spawnSync(
      'strace',
      [
        '-f',
        '-y',
        '-qq',
        '-e',
        `trace=${calls.join(',')}`,
        '-o',
        out,
        process.execPath,
        '--import',
        'tsx',
        child,
        dataDir,
        String(count),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 },
    );
    if (run.status !== 0)
      throw new Error(`strace of bench/fsync-sales.ts failed (${run.status}): ${run.stderr}`);
    const events: TraceEvent[] = [];
    let on = false;
    for (const line of readFileSync(out, 'utf8').split('\n')) {
      const e = parseLine(line, dataDir);
      if (!e) continue;
      if (e.kind === 'marker') {
        if (/^f(data)?sync$/.test(e.call)) on = basename(e.path) === START_MARK;
        continue;
      }
      if (on) events.push(e);
    }
    return events;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isSync = (e: TraceEvent) => e.call === 'fsync' || e.call === 'fdatasync';

export interface SaleFsyncs {
  sales: number;
  /** fsyncs of the WAL at the station's commits. */
  stationCommits: number;
  /** fsyncs of WAL checkpoints (the WAL, the database file, the restarted WAL's header): amortised. */
  stationCheckpoints: number;
  /** fsyncs of the emulated device's journal, state file and directory. */
  device: number;
  other: number;
}

/** Counts the fsyncs of `sales` sales, the station's and the emulated device's apart. */
export function countSaleFsyncs(sales: number): SaleFsyncs {
  const syncs = traceSales(sales, ['fsync', 'fdatasync']).filter(isSync);
  const out: SaleFsyncs = { sales, stationCommits: 0, stationCheckpoints: 0, device: 0, other: 0 };
  let previous: TraceEvent | null = null; // the last station fsync
  syncs.forEach((e, i) => {
    if (e.kind === 'device') out.device++;
    else if (e.kind === 'other') out.other++;
    else {
      // A checkpoint syncs the WAL, then the database file it copied the pages into, and the next
      // write syncs the header of the restarted WAL: three fsyncs every so many sales, not a commit's.
      const next = syncs.slice(i + 1).find((n) => n.kind === 'station');
      const beforeDbSync = next !== undefined && !next.path.endsWith('-wal');
      const afterDbSync = previous !== null && !previous.path.endsWith('-wal');
      if (e.path.endsWith('-wal') && !beforeDbSync && !afterDbSync) out.stationCommits++;
      else out.stationCheckpoints++;
      previous = e;
    }
  });
  return out;
}
