// Issue #8 part 4 on a real, small file system: the station's data directory on a tmpfs of its own
// (mount -t tmpfs; skipped with a message where mounting is not permitted), filled with a real file until
// ENOSPC at the moment the KKT has printed and the station is about to record it. A sale the KKT printed
// is answered 202 with its receipt id (never 500), recorded as soon as the disk has room, and a same-key
// retry returns it; a full disk refuses new sales with disk_full before the KKT hears of them and makes
// health unhealthy. A UNIQUE clash on the FD is the same story, and a kill -9 while a record waits is
// settled from the KKT's archive at the next start.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  rmSync,
  statfsSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openKkt } from '../src/main/app/open-kkt.ts';
import type { Kkt, KktReceiptRequest } from '../src/main/core/kkt/kkt.ts';
import { RESERVE_FILE } from '../src/main/core/buffer/disk-guard.ts';
import { saleBody, startFixture, tempDir } from './helpers/fixture.ts';
import { spawnHeadless } from './helpers/headless.ts';
import { freePort } from './helpers/ports.ts';
import { waitFor } from './helpers/wait.ts';

/** A tmpfs of `mb` megabytes, unmounted after the test; null (and the test skipped) when mount is not permitted. */
function smallDisk(t: TestContext, mb: number): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'station-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    t.skip(`mount -t tmpfs is not permitted here (${(e as Error).message.split('\n')[0]}): run as root`);
    return null;
  }
  t.after(() => {
    try {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return dir;
}

/** Writes a real file until the file system answers ENOSPC; returns its path (delete it to make room). */
function fillDisk(dir: string): string {
  const file = join(dir, 'filler.bin');
  const fd = openSync(file, 'a');
  const chunk = Buffer.alloc(256 * 1024, 0x5a);
  const small = Buffer.alloc(512, 0x5a);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  }
  try {
    for (;;) writeSync(fd, small);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  assert.ok(statfsSync(dir).bavail < 2, 'the disk is full');
  return file;
}

/** The emulated KKT (its own state on another disk: it is a separate device), with a hook after each print. */
async function kktWithHook(t: TestContext): Promise<{ kkt: Kkt; afterPrint: { run?: () => void } }> {
  const inner = await openKkt('emulator', { dataDir: tempDir(t, 'kkt-') });
  const afterPrint: { run?: () => void } = {};
  const kkt = new Proxy(inner, {
    get(target, p) {
      if (p === 'printReceipt')
        return async (r: KktReceiptRequest) => {
          const attrs = await target.printReceipt(r);
          const hook = afterPrint.run;
          afterPrint.run = undefined;
          hook?.();
          return attrs;
        };
      const v = Reflect.get(target, p) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as Kkt;
  return { kkt, afterPrint };
}

const lastFd = async (kkt: Kkt) => (await kkt.status()).lastFdNumber;

test('the disk fills while the KKT prints: the reserve records the sale (200); new sales get 507 disk_full before the KKT hears of them; health is unhealthy until there is room', async (t) => {
  const disk = smallDisk(t, 48);
  if (!disk) return;
  const { kkt, afterPrint } = await kktWithHook(t);
  const f = await startFixture(t, { dataDir: disk, kkt: async () => kkt });
  assert.ok(existsSync(join(disk, RESERVE_FILE)), 'the reserve is written at start');
  assert.equal((await f.sale('full-1')).status, 200);

  let filler = '';
  afterPrint.run = () => (filler = fillDisk(disk));
  const printed = await f.sale('full-2');
  assert.equal(printed.status, 200, JSON.stringify(printed.body));
  assert.equal(printed.body.fiscal_doc.fiscal_doc_number, await lastFd(kkt));
  assert.ok(!existsSync(join(disk, RESERVE_FILE)), 'the reserve was spent on the record');

  const fdBefore = await lastFd(kkt);
  const refused = await f.sale('full-3');
  assert.equal(refused.status, 507, JSON.stringify(refused.body));
  assert.equal(refused.body.error, 'disk_full');
  assert.match(refused.body.message, /disk is full.*Free disk space/s);
  assert.equal(await lastFd(kkt), fdBefore, 'the KKT never heard of it');
  assert.equal(f.station.store.findByIdempotencyKey('full-3'), null, 'nothing stored');
  const sick = await f.call('GET', '/v1/health');
  assert.equal(sick.status, 503);
  assert.equal(sick.body.status, 'unhealthy');
  assert.equal(sick.body.components.disk.status, 'full');

  unlinkSync(filler);
  const well = await f.call('GET', '/v1/health');
  assert.equal(well.body.components.disk.status, 'ok', JSON.stringify(well.body.components));
  const again = await f.sale('full-3');
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.fiscal_doc.fiscal_doc_number, fdBefore + 1);
  assert.ok(existsSync(join(disk, RESERVE_FILE)), 'the reserve is back once there is room');
});

test('printed but the record cannot be written (no reserve left): 202 with the receipt id, a same-key retry returns it, it is recorded as soon as there is room, printed once', async (t) => {
  const disk = smallDisk(t, 48);
  if (!disk) return;
  const { kkt, afterPrint } = await kktWithHook(t);
  const f = await startFixture(t, { dataDir: disk, kkt: async () => kkt });
  assert.equal((await f.sale('nr-1')).status, 200);

  let filler = '';
  afterPrint.run = () => {
    rmSync(join(disk, RESERVE_FILE), { force: true }); // spent earlier: nothing left to free
    filler = fillDisk(disk);
  };
  const first = await f.sale('nr-2');
  assert.equal(first.status, 202, JSON.stringify(first.body));
  const id = first.body.receipt_id as string;
  const fd = await lastFd(kkt);
  assert.equal(first.body.fiscal_doc.fiscal_doc_number, fd);
  assert.match(first.body.message, /do not ring it again/);

  const retry = await f.sale('nr-2');
  assert.equal(retry.status, 202, JSON.stringify(retry.body));
  assert.equal(retry.body.receipt_id, id);
  assert.equal(await lastFd(kkt), fd, 'printed once');
  const other = await f.sale('nr-3');
  assert.equal(other.status, 507, JSON.stringify(other.body));
  assert.equal(other.body.error, 'disk_full');
  const health = await f.call('GET', '/v1/health');
  assert.equal(health.status, 503);
  assert.equal(health.body.components.unrecorded_prints, 1);

  unlinkSync(filler);
  await waitFor(
    'the printed record to be written',
    () => f.station.store.get(id)?.fiscal?.fdNumber === fd,
    20_000,
  );
  const replay = await f.sale('nr-2');
  assert.equal(replay.status, 200, JSON.stringify(replay.body));
  assert.equal(replay.body.receipt_id, id);
  assert.equal(replay.body.fiscal_doc.fiscal_doc_number, fd);
  assert.equal(await lastFd(kkt), fd, 'still printed once');
  assert.equal((await f.sale('nr-3')).status, 200, 'sales resume');
});

test('a UNIQUE clash on the printed record answers 202 (not 500 "nothing was lost"); nothing else prints until it is recorded', async (t) => {
  const { kkt } = await kktWithHook(t);
  const f = await startFixture(t, { kkt: async () => kkt });
  assert.equal((await f.sale('uq-1')).status, 200);
  const status = await kkt.status();
  // A stale row holding the FD the KKT gives next (an FN number reused after a repair, a restored backup).
  f.station.db
    .prepare(
      `INSERT INTO receipts (id, idempotency_key, request_hash, pos_id, type, status, hlc, total_kop, draft, created_at, updated_at, fn_number, fd_number)
       SELECT 'stale', 'stale-key', request_hash, pos_id, type, 'synced', hlc, total_kop, draft, created_at, updated_at, fn_number, ? FROM receipts LIMIT 1`,
    )
    .run(status.lastFdNumber + 1);

  const first = await f.sale('uq-2');
  assert.equal(first.status, 202, JSON.stringify(first.body));
  const id = first.body.receipt_id as string;
  const fd = await lastFd(kkt);
  assert.equal(fd, status.lastFdNumber + 1);
  assert.equal((await f.sale('uq-2')).body.receipt_id, id);
  const blocked = await f.sale('uq-3');
  assert.equal(blocked.status, 503, JSON.stringify(blocked.body));
  assert.equal(blocked.body.error, 'buffer_write_failed');
  assert.equal(blocked.body.details.receipt_id, id);
  assert.equal(await lastFd(kkt), fd, 'nothing else printed');

  f.station.db.prepare(`DELETE FROM receipts WHERE id = 'stale'`).run();
  await waitFor(
    'the printed record to be written',
    () => f.station.store.get(id)?.fiscal?.fdNumber === fd,
    20_000,
  );
  const replay = await f.sale('uq-2');
  assert.equal(replay.status, 200);
  assert.equal(replay.body.fiscal_doc.fiscal_doc_number, fd);
  assert.equal((await f.sale('uq-3')).status, 200);
  assert.equal(await lastFd(kkt), fd + 1);
});

test('kill -9 while a printed receipt waits to be recorded: the next start finds it in the KKT archive and a same-key retry returns it, printed once', async (t) => {
  const dataDir = tempDir(t);
  const port = await freePort();
  const token = 'disk-full-token-0123456789';
  const start = async () => {
    const s = spawnHeadless({ dataDir, port, token, env: { STATION_OFD_URL: 'http://127.0.0.1:9' } });
    t.after(() => (s.alive() ? s.kill9() : undefined));
    await s.waitReady();
    return s;
  };
  const sale = (s: Awaited<ReturnType<typeof start>>, key: string) =>
    fetch(`${s.url}/v1/kkt/receipt`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify(saleBody()),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  let s = await start();
  assert.equal((await sale(s, 'k9-1')).status, 200);
  await s.stop();
  // The FD the KKT gives next is already taken in the buffer: the printed record of the next sale fails.
  const plant = (sql: string, ...args: unknown[]) => {
    const db = new Database(join(dataDir, 'buffer.sqlite'));
    try {
      db.prepare(sql).run(...args);
    } finally {
      db.close();
    }
  };
  plant(
    `INSERT INTO receipts (id, idempotency_key, request_hash, pos_id, type, status, hlc, total_kop, draft, created_at, updated_at, fn_number, fd_number)
     SELECT 'stale', 'stale-key', request_hash, pos_id, type, 'synced', hlc, total_kop, draft, created_at, updated_at, fn_number, fd_number + 1 FROM receipts WHERE fd_number IS NOT NULL ORDER BY fd_number DESC LIMIT 1`,
  );

  s = await start();
  const first = await sale(s, 'k9-2');
  assert.equal(first.status, 202, JSON.stringify(first.body));
  const id = first.body.receipt_id as string;
  const fd = first.body.fiscal_doc.fiscal_doc_number as number;
  await s.kill9();

  plant(`DELETE FROM receipts WHERE id = 'stale'`);
  s = await start();
  const replay = await sale(s, 'k9-2');
  assert.equal(replay.status, 200, JSON.stringify(replay.body));
  assert.equal(replay.body.receipt_id, id);
  assert.equal(replay.body.fiscal_doc.fiscal_doc_number, fd, 'the document the KKT printed before the kill');
  const next = await sale(s, 'k9-3');
  assert.equal(next.body.fiscal_doc.fiscal_doc_number, fd + 1, 'nothing was printed twice');
  await s.stop();
});
