// Station benchmarks, in-process: a real Station (SQLite file in a temp dir, the configured KKT
// emulator, no print delay) with its REST API on loopback and the mock OFD. The machines are shared and
// noisy, so every figure is reported next to a reference measured in the same run and compared as a
// ratio; nothing here asserts an absolute threshold. Over 400 lines because the four parts share one
// harness (withStation, the keep-alive Client, percentiles) that splitting would only scatter.
//
//   1. Sale intake: latency of POST /v1/kkt/receipt vs a bare durable SQLite insert (target ≤ 5× at
//      p50), and the fsyncs of a sale, the station's and the emulated KKT's apart, counted by strace.
//      The POST answers after the KKT printed (product spec, phase 1), so the sale includes the device's
//      round trip: the KKT requests of the same sales are replayed on their own emulator (driver →
//      in-process emulator with its state file), and the station's own part is the sale minus that.
//      The same POS process also rings a server that only parses the body and answers (openHttpFloor):
//      the HTTP round trip. Round trip + bare insert + the KKT alone is the sale's floor, what any
//      implementation of this design pays; the station's overhead is the sale above it.
//      Sales, replays, bare inserts and round trips take turns in rounds, so a change in the machine's
//      load during the run lands on all four alike. Also the WAL pages a sale writes (walPagesPerSale).
//   2. Isolation: sale latency while the OFD hangs (sync worker busy) vs while it is up.
//   3. Drain: a manual sync of a large backlog to an OFD with fixed latency vs the ideal
//      concurrency / latency.
//   4. Status vs history: GET /v1/kkt/buffer/status + GET /v1/health with 1,000 synced receipts in the
//      buffer vs with 1,000,000 (seeded straight into SQLite in one transaction, as a long retention at a
//      busy shop would leave them); target ≤ 1.2×. Both used to count the whole table (65–100×). The
//      till's receipt list is timed on the same two buffers (it used to sort the whole history).
//
// Sizes can be lowered for a quick look: BENCH_SALES, BENCH_DRAIN_RECEIPTS, BENCH_DRAIN_LATENCY_MS,
// BENCH_STATUS_ROWS (the large buffer of part 4); BENCH_NO_FSYNC=1 skips the strace count. Run parts
// alone with `tsx bench/station.ts intake isolation drain status` (any of them).
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { loadConfig } from '../src/main/core/config.ts';
import { silentLogger } from '../src/main/core/logger.ts';
import { Station } from '../src/main/core/station.ts';
import { openConfiguredKkt } from '../src/main/app/open-kkt.ts';
import { startRestApi, type RestApi } from '../src/main/rest/rest-api.ts';
import { parseReceiptRequest } from '../src/main/core/fiscal/receipt-request.ts';
import { fiscalQr, type KktReceiptRequest } from '../src/main/core/kkt/kkt.ts';
import { openEmulatedKkt } from '../src/main/app/open-kkt.ts';
import { startOfdMock, type OfdMock } from '../src/ofd-mock/server.ts';
import { countSaleFsyncs, straceAvailable } from './strace.ts';
import { Client, TOKEN, saleBody, timedSales } from './sale-client.ts';

/** The repository, where the child processes' scripts are (bench/ sits in it). */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SALES = Number(process.env.BENCH_SALES) || 500;
/** Sales counted under strace (bench/strace.ts): slow under the tracer, and the count is exact anyway. */
const FSYNC_SALES = 200;
const WARMUP = 30;
/** Sale intake: the sales, their KKT requests alone and the bare inserts take turns in this many rounds. */
const INTAKE_ROUNDS = 5;
const DRAIN_RECEIPTS = Number(process.env.BENCH_DRAIN_RECEIPTS) || 10_000;
const DRAIN_LATENCY_MS = Number(process.env.BENCH_DRAIN_LATENCY_MS) || 20;
const STATUS_ROWS = Number(process.env.BENCH_STATUS_ROWS) || 1_000_000;
const STATUS_SMALL_ROWS = 1_000;
const STATUS_SAMPLES = 200;
const HANG_OFD_TIMEOUT_MS = 2_000;
/** Pause between sales in the isolation phases, so the hang phase spans several OFD timeouts. */
const THINK_MS = 10;

// --- small tools -----------------------------------------------------------------------------------

interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function percentiles(samples: number[]): Percentiles {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
  return { n: s.length, p50: at(50), p95: at(95), p99: at(99), max: s.at(-1)! };
}

const ms = (v: number) => `${v.toFixed(2)} ms`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}×` : 'n/a');
const fmtP = (p: Percentiles) =>
  `p50 ${ms(p.p50)}  p95 ${ms(p.p95)}  p99 ${ms(p.p99)}  max ${ms(p.max)}  (n=${p.n})`;

interface Running {
  station: Station;
  api: RestApi;
  client: Client;
  dir: string;
}

async function withStation<T>(
  ofd: Pick<OfdMock, 'url'>,
  env: Record<string, string>,
  opts: { startWorker: boolean },
  fn: (s: Running) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'station-bench-'));
  const config = loadConfig({
    STATION_DATA_DIR: dir,
    STATION_API_PORT: '0',
    STATION_API_TOKEN: TOKEN,
    STATION_OFD_URL: ofd.url,
    ...env,
  });
  const station = await Station.open(config, silentLogger, await openConfiguredKkt(config, silentLogger));
  let api: RestApi | null = null;
  let client: Client | null = null;
  try {
    api = await startRestApi(station, { port: 0, token: TOKEN, log: silentLogger });
    client = new Client(api.url);
    if (opts.startWorker) station.start();
    return await fn({ station, api, client, dir });
  } finally {
    client?.close();
    await api?.close();
    await station.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- 1. sale intake vs a bare durable insert -------------------------------------------------------

/** A bare durable insert, the reference: one file opened once, `run(n)` times n single-row commits. */
function openBareInsert(): { run(count: number, warmup?: number): number[]; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-bench-'));
  const db = new Database(join(dir, 'bare.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  if (db.pragma('synchronous', { simple: true }) !== 2) throw new Error('synchronous=FULL was refused');
  // A row like the station's receipt row: ids, key, hash, state, totals, the draft as JSON, times.
  db.exec(`CREATE TABLE receipts (id TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, request_hash TEXT NOT NULL,
    pos_id TEXT NOT NULL, type TEXT NOT NULL, status TEXT NOT NULL, total_kop INTEGER NOT NULL, draft TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`);
  const insert = db.prepare(`INSERT INTO receipts VALUES (?, ?, ?, ?, 'sale', 'accepted', ?, ?, ?, ?)`);
  let i = 0;
  return {
    run(count, warmup = 0) {
      const out: number[] = [];
      for (let n = 0; n < count + warmup; n++, i++) {
        const draft = JSON.stringify(parseReceiptRequest(saleBody(i)));
        const at = new Date().toISOString();
        const t0 = performance.now();
        insert.run(randomUUID(), randomUUID(), 'f'.repeat(64), 'POS-BENCH', 100 + i, draft, at, at);
        if (n >= warmup) out.push(performance.now() - t0);
      }
      return out;
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The device's part of a sale: the KKT requests the station sent, replayed in order through the same
 * driver on a fresh in-process emulator with its state file in a temp dir, as the station's own.
 */
async function openKktAlone(): Promise<{
  run(requests: KktReceiptRequest[]): Promise<number[]>;
  close(): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'kkt-alone-bench-'));
  const { kkt } = await openEmulatedKkt({ dataDir: dir });
  await kkt.openShift();
  return {
    async run(requests) {
      const out: number[] = [];
      for (const r of requests) {
        const t0 = performance.now();
        await kkt.printReceipt(r);
        out.push(performance.now() - t0);
      }
      return out;
    },
    async close() {
      await kkt.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The floor of any HTTP API on this machine: a node:http server on loopback that reads the request's
 * body, parses its JSON and answers a sale-sized JSON at once. The same POS process rings it as the
 * station, so the difference is the station's work, not the round trip.
 */
async function openHttpFloor(): Promise<{ url: string; close(): Promise<void> }> {
  const answer = JSON.stringify({
    receipt_id: randomUUID(),
    state: 'printed',
    total_kop: 12_345,
    fiscal_doc: {
      fiscal_doc_number: 1,
      fiscal_sign: 2_654_435_761,
      fn_number: '9999078900000001',
      fiscal_datetime: '2026-11-30T12:00:00',
      shift_number: 1,
      receipt_number: 1,
      qr: 't=20261130T1200&s=123.45&fn=9999078900000001&i=1&fp=2654435761&n=1',
    },
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A child process started with `node --import tsx ARGS`, once its stdout printed a line matching `ready`. */
async function startChild(
  args: string[],
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, STATION_API_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const m = out.match(ready);
      if (m) resolve(m);
    });
    child.once('exit', (code) =>
      reject(new Error(`${args.join(' ')} exited (${code}) before ready: ${out}`)),
    );
  });
  return { child, match };
}

/** `count` sales (after `warmup`) from a POS in a process of its own (bench/pos-client.ts); their latencies. */
async function posSales(apiUrl: string, count: number, warmup: number): Promise<number[]> {
  const pos = await startChild(
    ['bench/pos-client.ts', apiUrl, String(count), String(warmup), 'shop'],
    /^\[.*\]\s*$/m,
  );
  if (pos.child.exitCode === null) await new Promise((r) => pos.child.once('exit', r));
  return JSON.parse(pos.match[0]) as number[];
}

interface ShopRun {
  sale: number[];
  kkt: number[];
  bare: number[];
  http: number[];
  syncRuns: number;
  synced: number;
}

/**
 * The sales as at a shop: the mock OFD and the POS each in a process of their own (a remote operator and
 * another program), so the station's event loop carries only the station's work. In INTAKE_ROUNDS
 * rounds, each of a block of sales, then the same block's KKT requests replayed on their own emulator,
 * then as many bare inserts: the three figures share the machine's load, which drifts over a run.
 */
async function shopRun(): Promise<ShopRun> {
  const ofd = await startChild(['src/ofd-mock/cli.ts', '--port', '0'], /listening on (http:\/\/\S+)/);
  const bare = openBareInsert();
  const device = await openKktAlone();
  const floor = await openHttpFloor();
  try {
    return await withStation({ url: ofd.match[1]! }, {}, { startWorker: true }, async ({ api, station }) => {
      const sent: KktReceiptRequest[] = [];
      const print = station.kkt.printReceipt.bind(station.kkt);
      station.kkt.printReceipt = (request) => {
        sent.push(request);
        return print(request);
      };
      const out: ShopRun = { sale: [], kkt: [], bare: [], http: [], syncRuns: 0, synced: 0 };
      const block = Math.ceil(SALES / INTAKE_ROUNDS);
      const before = station.worker.snapshot().totals;
      for (let round = 0; round < INTAKE_ROUNDS; round++) {
        // Each round's POS is a new process: its first sales (and the new connection) are warm-up.
        const warmup = WARMUP;
        sent.length = 0;
        out.sale.push(...(await posSales(api.url, block, warmup)));
        out.kkt.push(...(await device.run(sent)).slice(warmup));
        out.bare.push(...bare.run(block, warmup));
        out.http.push(...(await posSales(floor.url, block, warmup)));
      }
      const after = station.worker.snapshot().totals;
      out.syncRuns = after.runs - before.runs;
      out.synced = after.synced - before.synced;
      return out;
    });
  } finally {
    bare.close();
    await device.close();
    await floor.close();
    ofd.child.kill('SIGTERM');
    if (ofd.child.exitCode === null) await new Promise((r) => ofd.child.once('exit', r));
  }
}

/** A WAL frame: a 4096-byte page and its 24-byte header (sqlite.org/fileformat.html, «WAL file format»). */
const WAL_FRAME_BYTES = 4096 + 24;
const WAL_SALES = 200;

/**
 * WAL pages a sale writes, its `synced` record included: the WAL is emptied, checkpoints are held off
 * for the count (only here: the station checkpoints every 256 pages), and its growth over WAL_SALES
 * sales, once the sync worker delivered them, is divided by the frame size.
 */
async function walPagesPerSale(ofd: OfdMock): Promise<string> {
  return withStation(ofd, {}, { startWorker: true }, async ({ station, client, dir }) => {
    await timedSales(client, WARMUP, 'wal-warmup');
    const synced = () => station.bufferStatus().counts.synced;
    const waitSynced = async (n: number) => {
      for (const until = performance.now() + 30_000; synced() < n && performance.now() < until;)
        await new Promise((r) => setTimeout(r, 20));
    };
    await waitSynced(WARMUP);
    station.db.pragma('wal_checkpoint(TRUNCATE)');
    station.db.pragma('wal_autocheckpoint = 0');
    await timedSales(client, WAL_SALES, 'wal');
    await waitSynced(WARMUP + WAL_SALES);
    const frames = statSync(join(dir, 'buffer.sqlite-wal')).size / WAL_FRAME_BYTES / WAL_SALES;
    station.db.pragma('wal_autocheckpoint = 256');
    return `  WAL pages per sale    ${frames.toFixed(1)} (intake, printed and synced records; ${WAL_SALES} sales, checkpoints held off for the count)`;
  });
}

async function benchIntake(ofd: OfdMock): Promise<string[]> {
  ofd.reset();
  const walLine = await walPagesPerSale(ofd);
  const inProcess = await withStation(ofd, {}, { startWorker: true }, async ({ station, client }) => {
    await timedSales(client, WARMUP, 'warmup');
    return { lat: await timedSales(client, SALES, 'intake'), kkt: station.kkt.label };
  });
  const run = await shopRun();
  const shop = percentiles(run.sale);
  const d = percentiles(run.kkt);
  const b = percentiles(run.bare);
  const h = percentiles(run.http);
  const s = percentiles(inProcess.lat);
  // What no implementation of this design avoids: the POS's HTTP round trip, the station's durable
  // commit before the KKT hears of the sale, and the device's own work (with its fsync).
  const floor = h.p50 + b.p50 + d.p50;
  return [
    `Sale intake: sequential POST /v1/kkt/receipt, one keep-alive connection, KKT: ${inProcess.kkt}, mock OFD up, sync worker running (target ≤ 5× at p50, as at a shop: the POS and the OFD are other processes)`,
    `  station sale          ${fmtP(shop)}   (the POS and the mock OFD in processes of their own)`,
    `  the KKT alone         ${fmtP(d)}   (the same sales' KKT requests replayed: driver → in-process emulator, state journal)`,
    `  bare SQLite insert    ${fmtP(b)}   (WAL, synchronous=FULL, one row per transaction)`,
    `  HTTP round trip       ${fmtP(h)}   (the same POS process against a server that only parses the body and answers)`,
    `  (the four above in ${INTAKE_ROUNDS} rounds of ${Math.ceil(SALES / INTAKE_ROUNDS)}: sales, their KKT requests, inserts, round trips — so they share the machine's load)`,
    `  all in one process    ${fmtP(s)}   (the POS's requests and the mock OFD on the station's event loop, before the rounds)`,
    `  ratio sale / insert   p50 ${ratio(shop.p50, b.p50)}  p95 ${ratio(shop.p95, b.p95)}  p99 ${ratio(shop.p99, b.p99)}   (all in one process: p50 ${ratio(s.p50, b.p50)})`,
    `  of it at p50          the KKT ${ratio(d.p50, b.p50)}, the station's own part (sale − KKT) ${ratio(shop.p50 - d.p50, b.p50)}`,
    `  floor at p50          HTTP round trip + bare insert + the KKT alone = ${ms(floor)} = ${ratio(floor, b.p50)} the insert; the sale is ${ratio(shop.p50, floor)} its floor, ${ms(shop.p50 - floor)} above it`,
    walLine,
    `  sync worker           ${run.syncRuns} runs delivered ${run.synced} receipts during the sales at a shop (a rush goes in batches: kicked runs keep 200 ms apart)`,
    ...(process.env.BENCH_NO_FSYNC ? [] : fsyncLines()),
  ];
}

/** The fsyncs of FSYNC_SALES sales, counted by strace in a child process (bench/strace.ts). */
function fsyncLines(): string[] {
  if (!straceAvailable())
    return ['  fsyncs per sale       not counted: strace is not installed (apt-get install strace)'];
  const f = countSaleFsyncs(FSYNC_SALES);
  const per = (n: number) => (n / f.sales).toFixed(2);
  return [
    `  fsyncs per sale       station ${per(f.stationCommits + f.stationCheckpoints)} (commits ${per(f.stationCommits)} + WAL checkpoints ${per(f.stationCheckpoints)}), ` +
      `emulated KKT ${per(f.device)}${f.other ? `, other ${per(f.other)}` : ''}   (strace -f of ${f.sales} sales in a child process; target: 1 station commit fsync)`,
  ];
}

// --- 2. isolation: sales while the OFD hangs --------------------------------------------------------

async function benchIsolation(ofd: OfdMock): Promise<string[]> {
  ofd.reset();
  const env = {
    STATION_OFD_TIMEOUT_MS: String(HANG_OFD_TIMEOUT_MS),
    STATION_SYNC_INTERVAL_MS: '100',
    // Keep the worker sending into the hang for the whole phase instead of resting behind an open breaker.
    STATION_BREAKER_THRESHOLD: '1000',
    // Nothing is delivered during the hang: room for every sale of both phases.
    STATION_BUFFER_CAPACITY: String(4 * (SALES + WARMUP)),
  };
  return withStation(ofd, env, { startWorker: true }, async ({ station, client }) => {
    await timedSales(client, WARMUP, 'warmup');
    const up = await timedSales(client, SALES, 'up', THINK_MS);

    ofd.setMode({ mode: 'hang' });
    // Wait until the worker has sends stuck in the hang, then ring the same number of sales.
    const until = performance.now() + 5_000;
    await timedSales(client, 5, 'prime');
    while (station.worker.snapshot().inFlight === 0 && performance.now() < until)
      await new Promise((r) => setTimeout(r, 10));
    let busySamples = 0;
    let samples = 0;
    const sampler = setInterval(() => {
      samples++;
      if (station.worker.snapshot().inFlight > 0) busySamples++;
    }, 5);
    const callsBefore = ofd.health().call_count;
    const hangStarted = performance.now();
    let hang: number[];
    try {
      hang = await timedSales(client, SALES, 'hang', THINK_MS);
    } finally {
      clearInterval(sampler);
      ofd.setMode({ mode: 'up' });
    }
    const u = percentiles(up);
    const h = percentiles(hang);
    const hangSeconds = (performance.now() - hangStarted) / 1000;
    const hungCalls = ofd.health().call_count - callsBefore;
    return [
      `Isolation: ${SALES} sequential sales ${THINK_MS} ms apart with the OFD up, then ${SALES} with the OFD hanging (station OFD timeout ${HANG_OFD_TIMEOUT_MS / 1000} s)`,
      `  OFD up                ${fmtP(u)}`,
      `  OFD hanging           ${fmtP(h)}`,
      `  ratio hang / up       p50 ${ratio(h.p50, u.p50)}  p95 ${ratio(h.p95, u.p95)}  p99 ${ratio(h.p99, u.p99)}`,
      `  during the ${hangSeconds.toFixed(1)} s hang phase the sync worker had sends in flight in ${samples ? Math.round((busySamples / samples) * 100) : 0}% of samples ` +
        `and started ${hungCalls} new sends into the hang (it backs off between runs that make no progress); breaker ${station.breaker.snapshot().state}`,
    ];
  });
}

// --- 3. drain a large backlog -----------------------------------------------------------------------

/** Fills the buffer with `count` printed receipts straight through the store, in one transaction. */
function preparePrinted(station: Station, count: number): void {
  const fnNumber = '9999078900000001';
  station.db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const body = saleBody(i);
      const draft = parseReceiptRequest(body);
      const id = randomUUID();
      station.store.insertAccepted(
        { id, idempotencyKey: `drain-${i}`, requestHash: 'f'.repeat(64), draft },
        Number.MAX_SAFE_INTEGER,
      );
      station.store.markPrinting(id);
      const fiscalDatetime = '2025-01-15T12:00:00';
      const fdNumber = i + 1;
      const fiscalSign = (2_654_435_761 * fdNumber) >>> 0;
      station.store.markPrinted(id, {
        fdNumber,
        fiscalSign,
        fnNumber,
        kktRegNumber: '0000000001012345',
        shiftNumber: 1,
        receiptNumber: i + 1,
        fiscalDatetime,
        totalKop: draft.totalKop,
        changeKop: 0,
        qr: fiscalQr({
          fiscalDatetime,
          totalKop: draft.totalKop,
          fnNumber,
          fdNumber,
          fiscalSign,
          operation: 'sale',
        }),
      });
    }
  })();
}

async function benchDrain(ofd: OfdMock): Promise<string[]> {
  ofd.reset();
  ofd.setMode({ mode: 'down' });
  const env = { STATION_BUFFER_CAPACITY: String(DRAIN_RECEIPTS + 1000), STATION_BREAKER_RESET_MS: '600000' };
  return withStation(ofd, env, { startWorker: false }, async ({ station }) => {
    const t0 = performance.now();
    preparePrinted(station, DRAIN_RECEIPTS);
    const prepMs = performance.now() - t0;
    if (station.store.counts().printed !== DRAIN_RECEIPTS) throw new Error('the backlog was not prepared');

    ofd.setMode({ mode: 'up', latency_ms: DRAIN_LATENCY_MS });
    // How long the event loop (which also serves the REST API and prints) stalls during the drain.
    const loop = monitorEventLoopDelay({ resolution: 1 });
    const lag = (ns: number) => ms(Math.max(0, ns / 1e6 - 1)); // the histogram includes the 1 ms sampling interval
    loop.enable();
    const t1 = performance.now();
    const result = await station.worker.syncNow();
    const seconds = (performance.now() - t1) / 1000;
    loop.disable();
    const counts = station.store.counts();
    const received = ofd.received().length;
    if (counts.synced !== DRAIN_RECEIPTS || received !== DRAIN_RECEIPTS) {
      throw new Error(
        `drain incomplete: ${counts.synced} synced, ${received} at the OFD, result ${JSON.stringify(result)}`,
      );
    }
    const { syncConcurrency, syncBatchSize } = station.config;
    const rate = DRAIN_RECEIPTS / seconds;
    const ideal = syncConcurrency / (DRAIN_LATENCY_MS / 1000);
    return [
      `Drain: manual sync of ${DRAIN_RECEIPTS} printed receipts to the mock OFD at latency ${DRAIN_LATENCY_MS} ms ` +
        `(syncConcurrency ${syncConcurrency}, syncBatchSize ${syncBatchSize}; backlog prepared in ${(prepMs / 1000).toFixed(1)} s)`,
      `  delivered             ${rate.toFixed(0)} receipts/s (${seconds.toFixed(1)} s for ${DRAIN_RECEIPTS})`,
      `  ideal                 ${ideal.toFixed(0)} receipts/s (concurrency / latency)`,
      `  ratio actual / ideal  ${(rate / ideal).toFixed(2)}`,
      `  event-loop delay during the drain (what a sale arriving meanwhile would wait first): ` +
        `p50 ${lag(loop.percentile(50))}  p99 ${lag(loop.percentile(99))}  max ${lag(loop.max)}`,
    ];
  });
}

// --- 4. status cost vs the buffer's history ---------------------------------------------------------

/**
 * `count` synced receipts written straight into SQLite in one transaction (not through the store: a
 * million state machines would take minutes), each a full row with its draft and fiscal attributes.
 */
function seedSynced(station: Station, count: number): void {
  const draft = JSON.stringify(parseReceiptRequest(saleBody(1)));
  const insert = station.db.prepare(
    `INSERT INTO receipts (id, idempotency_key, request_hash, pos_id, type, status, hlc, total_kop, draft,
       created_at, updated_at, printed_at, fd_number, fiscal_sign, fn_number, kkt_reg_number, shift_number,
       receipt_number, fiscal_datetime, synced_at, ofd_id)
     VALUES (@id, @id, 'h', 'POS-BENCH', 'sale', 'synced', @hlc, 100, @draft, @at, @at, @at, @fd, @fd,
       '9999078900000001', '0000000001012345', 1, @fd, '2025-01-15T12:00:00', @at, @id)`,
  );
  const at = new Date().toISOString();
  station.db.transaction(() => {
    for (let i = 1; i <= count; i++)
      insert.run({ id: `seed-${i}`, hlc: `0000000000000:${String(i).padStart(10, '0')}`, draft, at, fd: i });
  })();
}

/** One status + health, back to back, as a panel or a fleet scraper asks them; its latency in ms. */
async function statusOnce(client: Client): Promise<number> {
  const t0 = performance.now();
  const status = await client.get('/v1/kkt/buffer/status');
  const health = await client.get('/v1/health');
  const took = performance.now() - t0;
  if (status.status !== 200) throw new Error(`buffer status: HTTP ${status.status} ${status.body}`);
  if (health.status !== 200) throw new Error(`health: HTTP ${health.status} ${health.body}`);
  return took;
}

/** The till's receipt list (refund picking; «Копия чека» reads the same rows): the 50 newest receipts. */
async function listOnce(client: Client): Promise<number> {
  const t0 = performance.now();
  const list = await client.get('/v1/kkt/receipts?limit=50');
  const took = performance.now() - t0;
  if (list.status !== 200) throw new Error(`receipts list: HTTP ${list.status} ${list.body}`);
  return took;
}

/**
 * Both buffers are open at once and asked in turns (small, large, small…), so a burst of load on the
 * shared machine or a warmer JIT lands on both sides alike instead of on whichever ran second.
 */
export async function benchStatus(ofd: OfdMock, bigRows = STATUS_ROWS): Promise<string[]> {
  ofd.reset();
  return withStation(ofd, {}, { startWorker: false }, (small) =>
    withStation(ofd, {}, { startWorker: false }, async (big) => {
      seedSynced(small.station, STATUS_SMALL_ROWS);
      const t0 = performance.now();
      seedSynced(big.station, bigRows);
      const seedMs = performance.now() - t0;
      for (const [s, rows] of [
        [small, STATUS_SMALL_ROWS],
        [big, bigRows],
      ] as const)
        if (s.station.bufferStatus().counts.synced !== rows)
          throw new Error('the synced receipts were not seeded');
      const lat = {
        small: [] as number[],
        big: [] as number[],
        smallList: [] as number[],
        bigList: [] as number[],
      };
      for (let i = 0; i < STATUS_SAMPLES + WARMUP; i++) {
        const a = await statusOnce(small.client);
        const b = await statusOnce(big.client);
        const c = await listOnce(small.client);
        const d = await listOnce(big.client);
        if (i < WARMUP) continue;
        lat.small.push(a);
        lat.big.push(b);
        lat.smallList.push(c);
        lat.bigList.push(d);
      }
      const ps = percentiles(lat.small);
      const pb = percentiles(lat.big);
      const ls = percentiles(lat.smallList);
      const lb = percentiles(lat.bigList);
      return [
        `Status vs history: GET /v1/kkt/buffer/status + GET /v1/health, back to back, the two buffers asked in turns (target ≤ 1.2× at p50)`,
        `  ${String(STATUS_SMALL_ROWS).padStart(9)} synced receipts  ${fmtP(ps)}`,
        `  ${String(bigRows).padStart(9)} synced receipts  ${fmtP(pb)}  (seeded in ${(seedMs / 1000).toFixed(1)} s)`,
        `  ratio large / small (p50)  ${(pb.p50 / ps.p50).toFixed(2)}×`,
        `The receipt list: GET /v1/kkt/receipts?limit=50 (the till's refund picking; «Копия чека» reads the same rows), same buffers, same turns`,
        `  ${String(STATUS_SMALL_ROWS).padStart(9)} synced receipts  ${fmtP(ls)}`,
        `  ${String(bigRows).padStart(9)} synced receipts  ${fmtP(lb)}`,
        `  ratio large / small (p50)  ${(lb.p50 / ls.p50).toFixed(2)}×`,
      ];
    }),
  );
}

const PARTS = {
  intake: benchIntake,
  isolation: benchIsolation,
  drain: benchDrain,
  status: (ofd: OfdMock) => benchStatus(ofd),
};

export async function benchStation(
  parts: (keyof typeof PARTS)[] = ['intake', 'isolation', 'drain', 'status'],
): Promise<string[]> {
  const ofd = await startOfdMock();
  try {
    const lines: string[] = [];
    for (const part of parts) lines.push(...(await PARTS[part](ofd)), '');
    return lines.slice(0, -1);
  } finally {
    await ofd.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((p) => !(p in PARTS));
  if (unknown.length) {
    console.error(`unknown part(s) ${unknown.join(', ')}; parts: ${Object.keys(PARTS).join(', ')}`);
    process.exit(2);
  }
  const parts = asked.length ? (asked as (keyof typeof PARTS)[]) : undefined;
  for (const l of await benchStation(parts)) console.log(l);
}
