// Emulator state survives a restart: numbering continues, the shift stays open, the archive answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMULATOR_STATE_FILE, openEmulatedKkt } from '../../src/main/app/open-kkt.ts';
import { readDurableState } from '../../src/kkt-emulator/state.ts';
import { line, receiptsIn, rig, sale, tempDir, TestClock } from './helpers.ts';

test('restart: document numbers, shift and receipt numbers continue from the state file', async () => {
  const t = tempDir();
  const clock = new TestClock();
  try {
    const first = await rig({ keepDir: t.dir, clock });
    await first.kkt.openShift();
    await first.kkt.printReceipt(sale([line('Хлеб', 5_000)]));
    const before = await first.kkt.printReceipt(sale([line('Соль', 2_000)]));
    await first.kkt.cashIn(10_000);
    await first.kkt.close();

    const state = JSON.parse(readFileSync(join(t.dir, EMULATOR_STATE_FILE), 'utf8')) as { lastFd: number };
    assert.equal(state.lastFd, 3, 'the file holds the last FD');

    const second = await rig({ keepDir: t.dir, clock });
    const s = await second.kkt.status();
    assert.equal(s.lastFdNumber, 3);
    assert.equal(s.shiftOpen, true);
    assert.equal(s.shiftNumber, 1);
    assert.equal(s.unsentCount, 3);
    const after = await second.kkt.printReceipt(sale([line('Сахар', 3_000)]));
    assert.equal(after.fdNumber, before.fdNumber + 1);
    assert.equal(after.receiptNumber, 3);
    assert.equal((await second.kkt.document(before.fdNumber))?.fiscalSign, before.fiscalSign);
    const z = await second.kkt.closeShift();
    assert.equal(z.saleReceipts, 3);
    assert.equal(z.cashInDrawerKop, 10_000 + 10_000);
    assert.equal(receiptsIn(second.emulator), 3);
    await second.kkt.close();
  } finally {
    t.cleanup();
  }
});

test('the state is durable before the answer: a fresh emulator on the same file sees every acknowledged receipt', async () => {
  const t = tempDir();
  try {
    const { kkt } = await openEmulatedKkt({ dataDir: t.dir });
    const fds: number[] = [];
    for (let i = 0; i < 5; i++)
      fds.push((await kkt.printReceipt(sale([line(`Товар ${i}`, 1_000)]))).fdNumber);
    // No close(): as after kill -9, whatever is on disk (snapshot + journal) is all there is.
    const onDisk = readDurableState(join(t.dir, EMULATOR_STATE_FILE));
    assert.equal(onDisk.lastFd, fds.at(-1));
    assert.deepEqual(
      onDisk.archive.slice(1).map((d) => d.fd),
      fds,
    );
    await kkt.close();
  } finally {
    t.cleanup();
  }
});

test('a state file that is not ours is rejected with a clear error', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.dir, EMULATOR_STATE_FILE), JSON.stringify({ hello: 'world' }));
    await assert.rejects(openEmulatedKkt({ dataDir: t.dir }), /not a KKT emulator state file/);
  } finally {
    t.cleanup();
  }
});

/**
 * Makes a directory and the files in it (the state file and its journal) refuse writes for real, root
 * included (chmod does not stop root): `chattr +i` where the file system supports it, else a read-only
 * bind mount; as another user, chmod 0555/0444. Returns the undo, or null when nothing here can make
 * the directory read-only (the test is then skipped).
 */
function makeReadOnly(dir: string): (() => void) | null {
  const files = readdirSync(dir).map((f) => join(dir, f));
  const probe = () => {
    try {
      writeFileSync(join(dir, '.probe'), 'x');
      rmSync(join(dir, '.probe'));
      return false;
    } catch {
      return true;
    }
  };
  const attempts: [string[], string[]][] =
    process.getuid?.() === 0
      ? [
          [
            ['chattr', '+i', dir, ...files],
            ['chattr', '-i', dir, ...files],
          ],
          [
            ['sh', '-c', `mount --bind "${dir}" "${dir}" && mount -o remount,ro,bind "${dir}"`],
            ['umount', dir],
          ],
        ]
      : [
          [
            ['sh', '-c', `chmod 0555 "${dir}" && chmod 0444 "$@"`, 'sh', ...files],
            ['sh', '-c', `chmod 0755 "${dir}" && chmod 0644 "$@"`, 'sh', ...files],
          ],
        ];
  for (const [on, off] of attempts) {
    if (spawnSync(on[0]!, on.slice(1)).status !== 0) continue;
    const undo = () => void spawnSync(off[0]!, off.slice(1));
    if (probe()) return undo;
    undo();
  }
  return null;
}

test('a state the emulator cannot save is refused and leaves no trace; after the fix one sale is one FD', async (t) => {
  const d = tempDir();
  let undo: (() => void) | null = null;
  t.after(() => {
    undo?.();
    d.cleanup();
  });
  const r = await rig({ keepDir: d.dir });
  await r.kkt.openShift();
  const first = await r.kkt.printReceipt(sale([line('Хлеб', 5_000)]));
  const file = join(d.dir, EMULATOR_STATE_FILE);
  const before = r.emulator.snapshot();

  undo = makeReadOnly(d.dir);
  if (!undo) return t.skip('cannot make a directory read-only here (no chattr, mount or chmod that works)');

  // Three sales and a cash-in while the state cannot be saved: each is refused, none is fiscalised.
  for (const name of ['Соль', 'Сахар', 'Мука'])
    await assert.rejects(r.kkt.printReceipt(sale([line(name, 2_000)])), (e: Error & { failure?: string }) => {
      assert.equal(e.failure, 'refused', `a refusal, not an unknown outcome: ${e.message}`);
      return true;
    });
  await assert.rejects(r.kkt.cashIn(10_000));
  assert.deepEqual(r.emulator.snapshot(), before, 'a refused command changed the durable state');
  assert.equal(receiptsIn(r.emulator), 1, 'a refused sale reached the fiscal archive');
  assert.deepEqual(readDurableState(file), before, 'a refused command reached the disk');
  assert.equal((await r.kkt.status()).lastFdNumber, first.fdNumber, 'the KKT announces a phantom FD');

  undo();
  undo = null;
  const again = await r.kkt.printReceipt(sale([line('Соль', 2_000)]));
  assert.equal(again.fdNumber, first.fdNumber + 1, 'FD numbers are contiguous after the fix');
  assert.equal(receiptsIn(r.emulator), 2, 'the retried sale is exactly one document');
  assert.deepEqual(
    r.emulator.archive.map((doc) => doc.fd),
    [1, 2, 3],
  );
  await r.close();

  // A fresh emulator on the same file agrees: nothing of the refused commands survived a restart.
  const second = await rig({ keepDir: d.dir });
  assert.equal((await second.kkt.status()).lastFdNumber, again.fdNumber);
  assert.equal(second.emulator.snapshot().cashInDrawerKop, 5_000 + 2_000);
  await second.kkt.close();
});
