// A child process for the fsync count of `npm run bench` (bench/fsync-count.ts runs it under strace):
// a real Station on a fresh data directory with the in-process KKT emulator (state file in the same
// directory), `count` sales through the fiscal service after a warm-up. The sales are framed by an
// fsync of two marker files, so the parent counts only the fsyncs the sales themselves made.
//   node --import tsx bench/fsync-sales.ts <dataDir> <count>
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/main/core/config.ts';
import { silentLogger } from '../src/main/core/logger.ts';
import { Station } from '../src/main/core/station.ts';
import { openConfiguredKkt } from '../src/main/app/open-kkt.ts';
import { END_MARK, START_MARK } from './strace.ts';

const WARMUP = 5;

function mark(dir: string, name: string): void {
  const fd = openSync(join(dir, name), 'w');
  fsyncSync(fd);
  closeSync(fd);
}

function sale(i: number) {
  const price = `${100 + i}.00`;
  return {
    pos_id: 'POS-BENCH',
    type: 'sale',
    items: [{ name: `Товар ${i}`, price, quantity: 1, total: price, vat_rate: '20' }],
    payments: [{ type: 'card', amount: price }],
  };
}

async function main(dir: string, count: number): Promise<void> {
  const config = loadConfig({
    STATION_DATA_DIR: dir,
    STATION_API_TOKEN: 'bench-api-token-0123456789abcdef',
    // Nothing listens there: the sync worker is not started, so no OFD commit mixes into the count.
    STATION_OFD_URL: 'http://127.0.0.1:9',
    STATION_BUFFER_CAPACITY: String(count + 100),
  });
  const station = await Station.open(config, silentLogger, await openConfiguredKkt(config, silentLogger));
  try {
    const ring = async (i: number) => {
      const { receipt } = await station.fiscal.createReceipt(randomUUID(), sale(i));
      if (receipt.status !== 'printed') throw new Error(`sale ${i}: ${receipt.status}`);
    };
    for (let i = 0; i < WARMUP; i++) await ring(i);
    mark(dir, START_MARK);
    for (let i = 0; i < count; i++) await ring(WARMUP + i);
    mark(dir, END_MARK);
  } finally {
    await station.stop();
  }
}

const [dir, count] = process.argv.slice(2);
if (!dir || !Number(count)) {
  console.error('usage: node --import tsx bench/fsync-sales.ts <dataDir> <count>');
  process.exit(2);
}
await main(dir, Number(count));
