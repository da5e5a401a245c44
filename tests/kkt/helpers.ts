// Shared test fixtures: a driver wired to the in-process emulator with short timeouts, a movable
// clock and a temp directory that is removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KktReceiptLine, KktReceiptRequest } from '../../src/main/core/kkt/kkt.ts';
import type { ShtrihKkt } from '../../src/main/core/kkt/shtrih-kkt.ts';
import { openEmulatedKkt, type OpenKktOptions } from '../../src/main/app/open-kkt.ts';
import type { KktEmulator } from '../../src/kkt-emulator/emulator.ts';
import { lineTotalKop } from '../../src/shared/money.ts';

export function tempDir(prefix = 'kkt-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A clock tests move by hand (for the 24-hour rule). */
export class TestClock {
  constructor(private ms = Date.parse('2026-03-02T09:00:00')) {}
  now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Link timeouts small enough that fault tests finish in well under a second each. */
export const FAST_LINK = { ctlTimeoutMs: 150, byteTimeoutMs: 100, maxTries: 4, responseTimeoutMs: () => 400 };

export interface Rig {
  kkt: ShtrihKkt;
  emulator: KktEmulator;
  clock: TestClock;
  dir: string;
  close: () => Promise<void>;
}

export async function rig(
  options: OpenKktOptions & { clock?: TestClock; keepDir?: string } = {},
): Promise<Rig> {
  const t = options.keepDir ? { dir: options.keepDir, cleanup: () => undefined } : tempDir();
  const clock = options.clock ?? new TestClock();
  const { kkt, emulator } = await openEmulatedKkt({
    dataDir: t.dir,
    ...options,
    driver: { link: FAST_LINK, pollIntervalMs: 10, printWaitMs: 5_000, ...options.driver },
    emulator: { clock: clock.now, answerAckTimeoutMs: 300, ...options.emulator },
  });
  return {
    kkt,
    emulator,
    clock,
    dir: t.dir,
    close: async () => {
      await kkt.close();
      t.cleanup();
    },
  };
}

export function line(
  name: string,
  priceKop: number,
  quantityMilli = 1000,
  extra: Partial<KktReceiptLine> = {},
): KktReceiptLine {
  return {
    name,
    priceKop,
    quantityMilli,
    totalKop: lineTotalKop(priceKop, quantityMilli),
    vat: 'vat22',
    paymentMethod: 4,
    paymentSubject: 1,
    ...extra,
  };
}

export function sale(
  lines: KktReceiptLine[],
  pay: Partial<Pick<KktReceiptRequest, 'cashKop' | 'cardKop' | 'otherKop'>> = {},
  extra: Partial<KktReceiptRequest> = {},
): KktReceiptRequest {
  const total = lines.reduce((a, l) => a + l.totalKop, 0);
  const cardKop = pay.cardKop ?? 0;
  const otherKop = pay.otherKop ?? 0;
  return {
    operation: 'sale',
    lines,
    cashKop: pay.cashKop ?? total - cardKop - otherKop,
    cardKop,
    otherKop,
    ...extra,
  };
}

/** Fiscal receipts in the emulator's archive. */
export function receiptsIn(emulator: KktEmulator): number {
  return emulator.archive.filter((d) => d.type === 3).length;
}
