// FN → OFD relay bench: what the relay costs a sale. A 10-item sale on the in-process emulator (state
// file, fsync) is timed with the relay idle, then while the relay drains a backlog of FN documents to
// the mock OFD's FN port over loopback TCP; and the relay's own rate. Run alone with
// `tsx bench/fn-relay.ts`; `npm run bench` runs it after the KKT bench.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KktReceiptRequest } from '../src/main/core/kkt/kkt.ts';
import { openEmulatedKkt } from '../src/main/app/open-kkt.ts';
import { FnRelay } from '../src/main/core/fn-relay/fn-relay.ts';
import { silentLogger } from '../src/main/core/logger.ts';
import { startFnPortMock } from '../src/ofd-mock/fn-server.ts';

const BACKLOG = 300;
const SALES = 100;

function sale(i: number): KktReceiptRequest {
  const lines = Array.from({ length: 10 }, (_, k) => ({
    name: `Товар №${k + 1}, партия ${i}`,
    priceKop: 10_000 + 137 * k,
    quantityMilli: 1_000,
    totalKop: 10_000 + 137 * k,
    vat: 'vat22' as const,
    paymentMethod: 4,
    paymentSubject: 1,
  }));
  const total = lines.reduce((a, l) => a + l.totalKop, 0);
  return { operation: 'sale', lines, cashKop: total, cardKop: 0, otherKop: 0 };
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const summary = (name: string, t: number[]) =>
  `${name}: n=${t.length} p50=${pct(t, 50).toFixed(2)} ms p95=${pct(t, 95).toFixed(2)} ms max=${t.at(-1)!.toFixed(2)} ms`;

export async function benchFnRelay(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fn-relay-bench-'));
  const { kkt } = await openEmulatedKkt({ dataDir: dir });
  const mock = await startFnPortMock();
  const relay = new FnRelay({
    port: kkt.fnExchange,
    server: { host: '127.0.0.1', port: mock.port },
    log: silentLogger,
    intervalMs: 60_000,
    timeoutMs: 10_000,
    breakerThreshold: 5,
    breakerResetMs: 60_000,
    backoffBaseMs: 1_000,
    backoffMaxMs: 60_000,
  });
  try {
    await kkt.openShift();
    const timeSales = async (from: number) => {
      const times: number[] = [];
      for (let i = 0; i < SALES; i++) {
        const t0 = performance.now();
        await kkt.printReceipt(sale(from + i));
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b);
    };
    const idle = await timeSales(0);
    for (let i = 0; i < BACKLOG; i++) await kkt.printReceipt(sale(1_000 + i));
    const backlog = await kkt.fnExchange.unsentCount();

    // The relay drains the backlog run after run while the sales go on beside it.
    let draining = true;
    let delivered = 0;
    const t0 = performance.now();
    const drain = (async () => {
      while (draining) {
        const r = await relay.runOnce();
        delivered += r.delivered;
        if (r.delivered === 0) break;
      }
    })();
    const busy = await timeSales(10_000);
    draining = false;
    await drain;
    const besideMs = performance.now() - t0;
    const besideSales = delivered;
    // Then alone: the rest of the backlog with no sale competing.
    const t1 = performance.now();
    let alone = 0;
    for (let r = await relay.runOnce(); r.delivered > 0; r = await relay.runOnce()) alone += r.delivered;
    const aloneMs = performance.now() - t1;
    const rate = (n: number, ms: number) => `${((n * 1000) / ms).toFixed(0)} documents/s`;
    return [
      summary('10-item sale, relay idle', idle),
      summary(`10-item sale, back to back, while the relay drains a backlog of ${backlog}`, busy),
      `relay beside back-to-back sales: ${besideSales} documents in ${(besideMs / 1000).toFixed(2)} s (${rate(besideSales, besideMs)}: it only gets the gaps between sales)`,
      `relay alone: ${alone} documents in ${(aloneMs / 1000).toFixed(2)} s (${rate(alone, aloneMs)}); unsent left ${await kkt.fnExchange.unsentCount()} (in-memory emulator with fsync, loopback TCP)`,
    ];
  } finally {
    await relay.stop();
    await mock.close();
    await kkt.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const l of await benchFnRelay()) console.log(l);
}
