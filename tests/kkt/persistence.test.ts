// Emulator state survives a restart: numbering continues, the shift stays open, the archive answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMULATOR_STATE_FILE, openEmulatedKkt } from '../../src/main/app/open-kkt.ts';
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
    // No close(): as after kill -9, whatever is on disk is all there is.
    const onDisk = JSON.parse(readFileSync(join(t.dir, EMULATOR_STATE_FILE), 'utf8')) as {
      lastFd: number;
      archive: { fd: number }[];
    };
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
