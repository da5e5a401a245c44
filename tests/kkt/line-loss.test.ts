// The driver's side of a lost line (issue #8), on parts a pty cannot produce on demand: a write that
// never completes (a serial port that queues writes for ever after a hang-up), a device whose line is
// lost being swapped for a new one by connect-on-demand, and a close() that must not wait for an
// operation that runs for minutes. The same faults over a real socat pair: tests/station-line-loss.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KktError } from '../../src/shared/errors.ts';
import { DataListeners, type ByteChannel } from '../../src/shtrih-protocol/channel.ts';
import { ShtrihKkt } from '../../src/main/core/kkt/shtrih-kkt.ts';
import { ConnectOnDemandKkt } from '../../src/main/core/kkt/connect-on-demand.ts';
import { FAST_LINK, line, rig, sale } from './helpers.ts';

/** A port whose writes are accepted and never called back. */
class JammedChannel implements ByteChannel {
  readonly label = 'jammed';
  readonly listeners = new DataListeners();
  closed = false;
  write(): Promise<void> {
    return new Promise(() => undefined);
  }
  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.listeners.add(listener);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const isNotConnected = (e: unknown) =>
  e instanceof KktError && e.failure === 'refused' && e.fault.reason === 'not_connected';

async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: still running after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

test('a write that never completes ends the exchange at its deadline: refused, not_connected, line lost', async () => {
  const channel = new JammedChannel();
  const kkt = new ShtrihKkt(channel, { link: { ...FAST_LINK, writeTimeoutMs: 200 } });
  await within(
    5_000,
    'a receipt on a jammed port',
    assert.rejects(kkt.printReceipt(sale([line('Хлеб', 4_550)])), isNotConnected),
  );
  assert.match(kkt.lineLost ?? '', /не завершилась за 200 мс/);
  assert.equal(channel.closed, true, 'the jammed port is released');
  const status = await within(5_000, 'status after the loss', kkt.status());
  assert.equal(status.connected, false);
  assert.match(status.problem ?? '', /Связь с ККТ потеряна/);
  await within(5_000, 'close', kkt.close());
});

test('connect-on-demand drops a device whose line is lost and opens the port again', async () => {
  const good = await rig();
  let opens = 0;
  const kkt = new ConnectOnDemandKkt(
    async () => {
      opens++;
      return opens === 1
        ? new ShtrihKkt(new JammedChannel(), { link: { ...FAST_LINK, writeTimeoutMs: 200 } })
        : good.kkt;
    },
    '/dev/ttyKKT',
    null,
  );
  try {
    const lost = await within(5_000, 'status on the jammed port', kkt.status());
    assert.equal(lost.connected, false);
    assert.match(lost.problem ?? '', /Связь с ККТ потеряна/);
    assert.equal(kkt.label, 'ККТ /dev/ttyKKT (не подключена)', 'the lost device is forgotten at once');
    const s = await within(5_000, 'status on the reopened port', kkt.status());
    assert.equal(s.connected, true);
    assert.equal(opens, 2);
    const printed = await kkt.printReceipt(sale([line('Хлеб', 4_550)]));
    assert.equal(printed.fdNumber, good.emulator.snapshot().lastFd, 'printed on the new device');
  } finally {
    await kkt.close();
    await good.close();
  }
});

test('close() does not wait for an operation that runs for minutes: the link is closed under it', async () => {
  const r = await rig({
    driver: { link: { ...FAST_LINK, responseTimeoutMs: () => 120_000 }, closeWaitMs: 200 },
  });
  r.emulator.faults.delayAnswer(120_000);
  const running = r.kkt.document(1).then(
    () => 'answered',
    (e: unknown) => (e instanceof KktError ? e.failure : String(e)),
  );
  try {
    await within(5_000, 'close during a long operation', r.kkt.close());
    assert.equal(await within(5_000, 'the operation to end', running), 'outcome_unknown');
  } finally {
    await r.close();
  }
});
