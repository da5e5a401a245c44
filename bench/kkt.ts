// KKT bench: round trip of a 10-item sale receipt (driver → emulator → driver) over the in-memory
// channel and over a socat pseudo-terminal pair with the emulator CLI, plus the bytes on the wire per
// receipt against what 115200 baud allows. Run alone with `tsx bench/kkt.ts`.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KktReceiptRequest } from '../src/main/core/kkt/kkt.ts';
import { ShtrihKkt } from '../src/main/core/kkt/shtrih-kkt.ts';
import { openKkt } from '../src/main/app/open-kkt.ts';
import type { ByteChannel } from '../src/shtrih-protocol/channel.ts';
import { MemoryChannel } from '../src/shtrih-protocol/memory-channel.ts';
import { KktEmulator } from '../src/kkt-emulator/emulator.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BAUD = 115_200;

function tenItemReceipt(i: number): KktReceiptRequest {
  const lines = Array.from({ length: 10 }, (_, k) => ({
    name: `Товар №${k + 1} тестовый, партия ${i}`,
    priceKop: 10_000 + 137 * k,
    quantityMilli: k % 3 === 0 ? 1_500 : 1_000,
    totalKop: Math.round(((10_000 + 137 * k) * (k % 3 === 0 ? 1_500 : 1_000)) / 1000),
    vat: (k % 2 ? 'vat20' : 'vat22') as 'vat20' | 'vat22',
    paymentMethod: 4,
    paymentSubject: 1,
  }));
  const total = lines.reduce((a, l) => a + l.totalKop, 0);
  return {
    operation: 'sale',
    lines,
    cashKop: Math.floor(total / 2),
    cardKop: total - Math.floor(total / 2),
    otherKop: 0,
    cashierName: 'Иванов И.И.',
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Counts the bytes written through a channel (both directions are counted by wrapping both ends). */
function counting(inner: ByteChannel, counter: { bytes: number }): ByteChannel {
  return {
    label: inner.label,
    onData: (l) =>
      inner.onData((chunk) => {
        counter.bytes += chunk.length;
        l(chunk);
      }),
    write: (b) => {
      counter.bytes += b.length;
      return inner.write(b);
    },
    close: () => inner.close(),
  };
}

async function timeReceipts(kkt: ShtrihKkt, n: number): Promise<number[]> {
  await kkt.openShift();
  await kkt.printReceipt(tenItemReceipt(-1)); // warm-up: FN number and reg. number get cached
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await kkt.printReceipt(tenItemReceipt(i));
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

function summary(name: string, times: number[]): string {
  return `${name}: n=${times.length} p50=${percentile(times, 50).toFixed(2)} ms p95=${percentile(times, 95).toFixed(2)} ms max=${times.at(-1)!.toFixed(2)} ms`;
}

async function memoryBench(n: number): Promise<{ line: string; bytesPerReceipt: number }> {
  const [host, device] = MemoryChannel.pair();
  const stateDir = mkdtempSync(join(tmpdir(), 'kkt-bench-mem-'));
  const emulator = new KktEmulator(device, { statePath: join(stateDir, 'state.json') });
  const counter = { bytes: 0 };
  const kkt = new ShtrihKkt(counting(host, counter), { emulated: true });
  await kkt.openShift();
  await kkt.printReceipt(tenItemReceipt(-1));
  const before = counter.bytes;
  await kkt.printReceipt(tenItemReceipt(0));
  const bytesPerReceipt = counter.bytes - before;
  const times = await timeReceipts(kkt, n);
  await kkt.close();
  await emulator.close();
  rmSync(stateDir, { recursive: true, force: true });
  return { line: summary('10-item receipt, in-memory channel (state file, fsync)', times), bytesPerReceipt };
}

async function ptyBench(n: number): Promise<string> {
  if (spawnSync('sh', ['-c', 'command -v socat']).status !== 0)
    return '10-item receipt, socat pty: skipped (socat not installed)';
  const dir = mkdtempSync(join(tmpdir(), 'kkt-bench-'));
  const hostPath = join(dir, 'host');
  const emuPath = join(dir, 'emu');
  const socat = spawn('socat', [`pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${emuPath}`], {
    stdio: 'ignore',
  });
  let emu: ChildProcess | null = null;
  let kkt: ShtrihKkt | null = null;
  try {
    await until(() => existsSync(hostPath) && existsSync(emuPath));
    // With a state file, so every fiscal document pays for its fsync as in real use.
    emu = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/kkt-emulator/cli.ts', '--port', emuPath, '--state', join(dir, 'state.json')],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    let out = '';
    emu.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.includes('ready'), 20_000);
    kkt = await openKkt(hostPath, { baudRate: BAUD });
    return summary(
      '10-item receipt, socat pty + emulator CLI (state file, fsync)',
      await timeReceipts(kkt, n),
    );
  } finally {
    await kkt?.close();
    emu?.kill('SIGTERM');
    socat.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('bench: timed out waiting for setup');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function benchKkt(): Promise<string[]> {
  const lines: string[] = [];
  const mem = await memoryBench(300);
  lines.push(mem.line);
  lines.push(await ptyBench(100));
  const wireMs = (mem.bytesPerReceipt * 10 * 1000) / BAUD;
  lines.push(
    `bytes on the wire per 10-item receipt (both directions): ${mem.bytesPerReceipt} B → ${wireMs.toFixed(1)} ms at ${BAUD} baud (8N1 = 10 bits/byte), ${(1000 / wireMs).toFixed(1)} receipts/s line limit; at 4800 baud: ${((mem.bytesPerReceipt * 10 * 1000) / 4800).toFixed(0)} ms`,
  );
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const l of await benchKkt()) console.log(l);
}
