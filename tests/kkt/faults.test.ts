// Fault injection: every failure mode of the link and the printer, and the rule that a dropped ACK or
// a damaged answer never makes a second fiscal document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KktError } from '../../src/shared/errors.ts';
import { ShtrihKkt } from '../../src/main/core/kkt/shtrih-kkt.ts';
import type { ByteChannel } from '../../src/shtrih-protocol/channel.ts';
import { ACK, STX, encodeFrame } from '../../src/shtrih-protocol/frame.ts';
import { shortStatusRequest } from '../../src/shtrih-protocol/status-commands.ts';
import { MemoryChannel } from '../../src/shtrih-protocol/memory-channel.ts';
import { KktEmulator } from '../../src/kkt-emulator/emulator.ts';
import { FAST_LINK, line, receiptsIn, rig, sale } from './helpers.ts';

const CLOSE_RECEIPT = 0xff45;

async function withOpenShift(
  fn: (r: Awaited<ReturnType<typeof rig>>) => Promise<void>,
  options: Parameters<typeof rig>[0] = {},
) {
  const r = await rig(options);
  try {
    await r.kkt.openShift();
    await fn(r);
  } finally {
    await r.close();
  }
}

test('dropped ACK of every command of a receipt: answers still arrive, nothing runs twice', async () => {
  await withOpenShift(async (r) => {
    r.emulator.faults.dropAck({ count: 100 });
    const a = await r.kkt.printReceipt(sale([line('Хлеб', 5_000), line('Соль', 2_000)]));
    r.emulator.faults.clear();
    assert.equal(a.totalKop, 7_000);
    assert.equal(receiptsIn(r.emulator), 1);
    assert.equal(r.emulator.archive.at(-1)?.itemCount, 2, 'no item was added twice');
  });
});

test('dropped ACK of FF45h with an answer slower than the ACK wait: collected via ENQ, not resent', async () => {
  await withOpenShift(async (r) => {
    r.emulator.faults.dropAck({ command: CLOSE_RECEIPT });
    r.emulator.faults.delayAnswer(FAST_LINK.ctlTimeoutMs * 2, { command: CLOSE_RECEIPT });
    const a = await r.kkt.printReceipt(sale([line('Хлеб', 5_000)]));
    assert.equal(a.fdNumber, 2);
    assert.equal(receiptsIn(r.emulator), 1);
  });
});

test('corrupted answer LRC (every answer of a receipt): host NAKs, gets a good copy, one receipt', async () => {
  await withOpenShift(async (r) => {
    r.emulator.faults.corruptAnswer({ count: 100 });
    const a = await r.kkt.printReceipt(sale([line('Хлеб', 5_000)]));
    r.emulator.faults.clear();
    assert.equal(a.fdNumber, 2);
    assert.equal(receiptsIn(r.emulator), 1);
    assert.equal(r.emulator.archive.at(-1)?.itemCount, 1);
  });
});

test('answer of FF45h delayed past the host response timeout: recovered with ENQ, one receipt', async () => {
  await withOpenShift(async (r) => {
    r.emulator.faults.delayAnswer(FAST_LINK.responseTimeoutMs() + 200, { command: CLOSE_RECEIPT });
    const a = await r.kkt.printReceipt(sale([line('Хлеб', 5_000)]));
    assert.equal(a.fdNumber, 2);
    assert.equal(receiptsIn(r.emulator), 1);
  });
});

test('answer of FF45h lost: outcome_unknown, the archive shows the single receipt', async () => {
  await withOpenShift(async (r) => {
    r.emulator.faults.loseAnswer({ command: CLOSE_RECEIPT });
    await assert.rejects(
      r.kkt.printReceipt(sale([line('Хлеб', 5_000)])),
      (e: unknown) =>
        e instanceof KktError &&
        e.failure === 'outcome_unknown' &&
        e.code === 'kkt_outcome_unknown' &&
        /FF45h/.test(e.message),
    );
    assert.equal(receiptsIn(r.emulator), 1);
    const last = await r.kkt.lastDocument();
    assert.equal(last?.kind, 'receipt');
    assert.equal(last?.totalKop, 5_000);
    // The device is fine afterwards; numbering continues.
    const next = await r.kkt.printReceipt(sale([line('Соль', 2_000)]));
    assert.equal(next.fdNumber, last!.fdNumber + 1);
  });
});

test('answer of an item (FF46h) lost: the receipt is cancelled and refused, nothing fiscal', async () => {
  await withOpenShift(async (r) => {
    r.emulator.faults.loseAnswer({ command: 0xff46 });
    await assert.rejects(
      r.kkt.printReceipt(sale([line('Хлеб', 5_000)])),
      (e: unknown) => e instanceof KktError && e.failure === 'refused' && e.code === 'kkt_refused',
    );
    assert.equal(r.emulator.receiptOpen, false);
    assert.equal(receiptsIn(r.emulator), 0);
  });
});

test('FF45h ACK dropped and its answer lost (double fault): never "refused", never a second receipt', async () => {
  await withOpenShift(async (r) => {
    r.emulator.faults.dropAck({ command: CLOSE_RECEIPT });
    r.emulator.faults.loseAnswer({ command: CLOSE_RECEIPT });
    await assert.rejects(
      r.kkt.printReceipt(sale([line('Хлеб', 5_000)])),
      (e: unknown) =>
        e instanceof KktError && e.failure === 'outcome_unknown' && e.code === 'kkt_outcome_unknown',
    );
    assert.equal(receiptsIn(r.emulator), 1);
  });
});

test('Z report answer lost: the driver re-reads the FN and reports the closed shift', async () => {
  await withOpenShift(async (r) => {
    await r.kkt.printReceipt(sale([line('Хлеб', 5_000)]));
    r.emulator.faults.loseAnswer({ command: 0x41 });
    const z = await r.kkt.closeShift();
    assert.equal(z.fdNumber, 3);
    assert.equal(r.emulator.archive.filter((d) => d.type === 5).length, 1);
  });
});

test('cover open: refused before anything is sent, with the reason a program acts on', async () => {
  await withOpenShift(async (r) => {
    r.emulator.setCoverOpen(true);
    await assert.rejects(r.kkt.printReceipt(sale([line('Хлеб', 5_000)])), (e: unknown) => {
      assert.ok(e instanceof KktError);
      assert.equal(e.code, 'kkt_refused');
      assert.match(e.message, /крышка/);
      assert.deepEqual(e.details, { reason: 'cover_open' });
      return true;
    });
    assert.equal(receiptsIn(r.emulator), 0);
  });
});

test('answer of a cash in (50h) lost: settled by the drawer register, done once, not an error', async () => {
  await withOpenShift(async (r) => {
    r.emulator.faults.loseAnswer({ command: 0x50 });
    const op = await r.kkt.cashIn(1_000);
    assert.equal(op.cashInDrawerKop, 1_000);
    assert.equal(
      (await r.kkt.xReport()).cashInKop,
      1_000,
      'the device did it once: only its answer was lost',
    );
  });
});

test('silent device: a clear "не отвечает" error within the link timeout; status says disconnected', async () => {
  await withOpenShift(async (r) => {
    r.emulator.faults.setSilent(true);
    const s = await r.kkt.status();
    assert.equal(s.connected, false);
    assert.match(s.problem ?? '', /не отвечает/);
    await assert.rejects(
      r.kkt.printReceipt(sale([line('Хлеб', 5_000)])),
      (e: unknown) =>
        e instanceof KktError &&
        e.failure === 'refused' &&
        /ККТ не отвечает/.test(e.message) &&
        e.fault.reason === 'not_connected',
    );
    r.emulator.faults.setSilent(false);
    assert.equal((await r.kkt.status()).connected, true);
    assert.equal(receiptsIn(r.emulator), 0);
  });
});

test('garbage bytes on the line are skipped', async () => {
  await withOpenShift(async (r) => {
    for (let i = 0; i < 5; i++) {
      r.emulator.faults.injectGarbage();
      await r.kkt.printReceipt(sale([line(`Товар ${i}`, 1_000)]));
    }
    assert.equal(receiptsIn(r.emulator), 5);
  });
});

test('forced error for the next N commands: "printing" (50h) is waited out, 33h on an item cancels', async () => {
  await withOpenShift(async (r) => {
    r.emulator.faults.failNext(0x50, { count: 3 });
    const a = await r.kkt.printReceipt(sale([line('Хлеб', 5_000)]));
    assert.equal(a.receiptNumber, 1);
    r.emulator.faults.failNext(0x33, { command: 0xff46 });
    await assert.rejects(
      r.kkt.printReceipt(sale([line('Хлеб', 5_000)])),
      (e: unknown) =>
        e instanceof KktError &&
        e.failure === 'refused' &&
        e.deviceCode === 0x33 &&
        /FF46h/.test(e.message) &&
        e.code === 'kkt_refused',
    );
    assert.equal(r.emulator.receiptOpen, false);
    assert.equal(receiptsIn(r.emulator), 1);
  });
});

test('paper out: clear message before anything is fiscalised; works again with paper', async () => {
  await withOpenShift(async (r) => {
    r.emulator.setPaper(false);
    const s = await r.kkt.status();
    assert.equal(s.paperPresent, false);
    assert.equal(s.printer, 'paper_out');
    await assert.rejects(
      r.kkt.printReceipt(sale([line('Хлеб', 5_000)])),
      (e: unknown) =>
        e instanceof KktError &&
        e.failure === 'refused' &&
        e.deviceCode === 0x6b &&
        /Нет бумаги/.test(e.message),
    );
    await assert.rejects(r.kkt.xReport(), /Нет бумаги/);
    await assert.rejects(r.kkt.cashIn(1_000), (e: unknown) => {
      assert.ok(e instanceof KktError);
      assert.equal(e.code, 'kkt_refused');
      assert.deepEqual(e.details, {
        reason: 'paper_out',
        device_code: 0x6b,
        device_code_hex: '6Bh',
        device_message: 'Нет бумаги в ККТ — вставьте новый рулон чековой ленты',
      });
      return true;
    });
    assert.equal(receiptsIn(r.emulator), 0);
    r.emulator.setPaper(true);
    assert.equal((await r.kkt.printReceipt(sale([line('Хлеб', 5_000)]))).receiptNumber, 1);
  });
});

test('paper runs out while a receipt prints: the receipt is fiscal, printing continues after B0h', async () => {
  await withOpenShift(async (r) => {
    r.emulator.runOutOfPaperDuringNextPrint();
    const a = await r.kkt.printReceipt(sale([line('Хлеб', 5_000)]));
    assert.equal(a.fdNumber, 2);
    let s = await r.kkt.status();
    assert.equal(s.printer, 'paper_out');
    assert.match(s.problem ?? '', /Нет бумаги/);
    r.emulator.setPaper(true);
    s = await r.kkt.status();
    assert.equal(s.printer, 'awaiting_continue');
    // The next receipt first resumes the interrupted print (B0h), then prints.
    const b = await r.kkt.printReceipt(sale([line('Соль', 2_000)]));
    assert.equal(b.fdNumber, 3);
    assert.ok(r.emulator.tape.includes('-- печать продолжена --'));
    assert.equal((await r.kkt.status()).printer, 'ready');
    // And the explicit path: continuePrint().
    r.emulator.runOutOfPaperDuringNextPrint();
    await r.kkt.printReceipt(sale([line('Сахар', 3_000)]));
    r.emulator.setPaper(true);
    await r.kkt.continuePrint();
    assert.equal((await r.kkt.status()).printer, 'ready');
    assert.equal(receiptsIn(r.emulator), 3);
  });
});

test('cover open: refused with a clear message', async () => {
  await withOpenShift(async (r) => {
    r.emulator.setCoverOpen(true);
    assert.equal((await r.kkt.status()).coverOpen, true);
    await assert.rejects(r.kkt.printReceipt(sale([line('Хлеб', 5_000)])), /крышка/);
    r.emulator.setCoverOpen(false);
    await r.kkt.printReceipt(sale([line('Хлеб', 5_000)]));
  });
});

test('print delay: the driver waits for the printer between documents', async () => {
  await withOpenShift(
    async (r) => {
      for (let i = 0; i < 3; i++) await r.kkt.printReceipt(sale([line(`Товар ${i}`, 1_000)]));
      await r.kkt.cashIn(10_000);
      await r.kkt.xReport();
      assert.equal(receiptsIn(r.emulator), 3);
    },
    { emulator: { printDelayMs: 40 } },
  );
});

test('24-hour rule with the injected clock: sales blocked, Z allowed, then a new shift sells', async () => {
  await withOpenShift(async (r) => {
    await r.kkt.printReceipt(sale([line('Хлеб', 5_000)]));
    r.clock.advance(24 * 3600_000 - 60_000);
    assert.equal((await r.kkt.status()).shiftExpired, false);
    await r.kkt.printReceipt(sale([line('Хлеб', 5_000)]));
    r.clock.advance(2 * 60_000);
    const s = await r.kkt.status();
    assert.equal(s.shiftExpired, true);
    assert.match(s.problem ?? '', /24 часа/);
    await assert.rejects(
      r.kkt.printReceipt(sale([line('Хлеб', 5_000)])),
      (e: unknown) =>
        e instanceof KktError &&
        e.deviceCode === 0x4e &&
        /Z-отчёт/.test(e.message) &&
        e.fault.reason === 'shift_expired',
    );
    await assert.rejects(r.kkt.openShift(), /24 часа/);
    const z = await r.kkt.closeShift();
    assert.equal(z.saleReceipts, 2);
    const opened = await r.kkt.openShift();
    assert.equal(opened.shiftNumber, 2);
    assert.equal((await r.kkt.printReceipt(sale([line('Хлеб', 5_000)]))).receiptNumber, 1);
  });
});

/** Wraps a channel and corrupts the LRC of the first `n` frames the host sends. */
function corruptingChannel(inner: ByteChannel, n: number): ByteChannel {
  let left = n;
  return {
    label: inner.label,
    onData: (l) => inner.onData(l),
    close: () => inner.close(),
    write: (bytes) => {
      if (left > 0 && bytes[0] === STX && bytes.length > 3) {
        left--;
        const copy = Uint8Array.from(bytes);
        copy[copy.length - 1]! ^= 0xff;
        return inner.write(copy);
      }
      return inner.write(bytes);
    },
  };
}

test('a command frame damaged on the way to the device is NAKed and resent: one receipt', async () => {
  const [host, device] = MemoryChannel.pair();
  const emulator = new KktEmulator(device, {});
  const kkt = new ShtrihKkt(corruptingChannel(host, 3), {
    emulated: true,
    link: FAST_LINK,
    pollIntervalMs: 10,
  });
  try {
    await kkt.openShift();
    const a = await kkt.printReceipt(sale([line('Хлеб', 5_000)]));
    assert.equal(a.fdNumber, 2);
    assert.equal(receiptsIn(emulator), 1);
    assert.equal(emulator.archive.length, 2);
  } finally {
    await kkt.close();
    await emulator.close();
  }
});

test('a device that never ACKs frames (but answers ENQ) is reported as refused', async () => {
  const [host, device] = MemoryChannel.pair();
  const emulator = new KktEmulator(device, {});
  // Every frame the host sends is damaged: the device NAKs each one.
  const kkt = new ShtrihKkt(corruptingChannel(host, 1_000), {
    emulated: true,
    link: FAST_LINK,
    pollIntervalMs: 10,
  });
  try {
    await assert.rejects(
      kkt.openShift(),
      (e: unknown) => e instanceof KktError && e.failure === 'refused' && /помехи/.test(e.message),
    );
    assert.equal(emulator.archive.length, 0);
  } finally {
    await kkt.close();
    await emulator.close();
  }
});

test('the device drops a frame whose bytes stop for its inter-byte timeout, and keeps one whose bytes keep coming', async () => {
  const TIMEOUT_MS = 150;
  const [host, device] = MemoryChannel.pair();
  const emulator = new KktEmulator(device, { interByteTimeoutMs: TIMEOUT_MS });
  const heard: number[] = [];
  host.onData((chunk) => heard.push(...chunk));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const frame = encodeFrame(shortStatusRequest(30));
  try {
    // Bytes 60 % of the timeout apart, over twice the timeout in all: each byte restarts the wait.
    const parts = [frame.subarray(0, 2), frame.subarray(2, 4), frame.subarray(4)];
    for (const [i, part] of parts.entries()) {
      if (i) await sleep(TIMEOUT_MS * 0.6);
      await host.write(part);
    }
    await sleep(50);
    assert.equal(heard[0], ACK, 'the slow but steady frame was taken');
    assert.equal(heard[1], STX, 'and answered');
    heard.length = 0;
    await host.write(Uint8Array.of(ACK)); // the host takes the answer
    // Half a frame, then silence past the timeout: dropped, so the next whole frame stands alone.
    await host.write(frame.subarray(0, 3));
    await sleep(TIMEOUT_MS * 1.6);
    await host.write(frame);
    await sleep(50);
    assert.equal(heard[0], ACK, 'the frame after the pause is read from its own STX, not glued to the half');
    assert.equal(heard[1], STX);
  } finally {
    await emulator.close();
    await host.close();
  }
});
