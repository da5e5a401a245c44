// FN → OFD exchange through the host at the byte level (kkt-protocol.md §7.7): the request frames
// against the vendor's vectors, the emulator's FF30h–FF33h and table 21, the FN's check of the OFD's
// answer, the relay against the mock OFD's FN port and its faults, and the driver's rule that a
// station operation goes before a queued relay command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KktError } from '../../src/shared/errors.ts';
import { encodeFrame } from '../../src/shtrih-protocol/frame.ts';
import {
  bufferStatusRequest,
  readBlockRequest,
  sessionMessageLength,
  startWriteRequest,
  writeBlockRequest,
  writeTableRequest,
} from '../../src/shtrih-protocol/fn-exchange.ts';
import { commandCodeOf, parseAnswer } from '../../src/shtrih-protocol/codes.ts';
import { MemoryChannel } from '../../src/shtrih-protocol/memory-channel.ts';
import { KktEmulator } from '../../src/kkt-emulator/emulator.ts';
import { DEFAULT_LINK_OPTIONS, ShtrihLink } from '../../src/main/core/kkt/shtrih/link.ts';
import { FnRelay } from '../../src/main/core/fn-relay/fn-relay.ts';
import { exchangeWithOfd } from '../../src/main/core/fn-relay/ofd-tcp.ts';
import { silentLogger } from '../../src/main/core/logger.ts';
import { startFnPortMock, type FnPortMock } from '../../src/ofd-mock/fn-server.ts';
import { FAST_LINK, line, rig, sale, type Rig } from './helpers.ts';
import { waitFor } from '../helpers/wait.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase().match(/../g)!.join(' ');

test('request frames match the vendor vectors (FF30h–FF33h, 1Eh table 21)', () => {
  assert.equal(hex(encodeFrame(bufferStatusRequest(30))), '02 06 FF 30 1E 00 00 00 D7');
  assert.equal(hex(encodeFrame(readBlockRequest(30, 0, 240))), '02 09 FF 31 1E 00 00 00 00 00 F0 29');
  assert.equal(hex(encodeFrame(readBlockRequest(30, 240, 94))), '02 09 FF 31 1E 00 00 00 F0 00 5E 77');
  assert.equal(hex(encodeFrame(startWriteRequest(30, 162))), '02 08 FF 32 1E 00 00 00 A2 00 79');
  assert.equal(
    hex(encodeFrame(writeBlockRequest(30, 0, Uint8Array.of(0x2a, 0x08, 0x41)))),
    '02 0C FF 33 1E 00 00 00 00 00 03 2A 08 41 BE',
  );
  assert.equal(
    hex(encodeFrame(writeTableRequest(30, 21, 1, 2, Uint8Array.of(0)))),
    '02 0A 1E 1E 00 00 00 15 01 00 02 00 1C',
  );
});

async function withShift(n: number): Promise<Rig> {
  const r = await rig();
  await r.kkt.openShift('Иванова');
  for (let i = 0; i < n; i++) await r.kkt.printReceipt(sale([line(`Товар ${i}`, 10_000 + i)]));
  return r;
}

function relayFor(r: Rig, mock: FnPortMock, extra: Partial<ConstructorParameters<typeof FnRelay>[0]> = {}) {
  return new FnRelay({
    port: r.kkt.fnExchange,
    server: { host: '127.0.0.1', port: mock.port },
    log: silentLogger,
    intervalMs: 60_000,
    timeoutMs: 2_000,
    breakerThreshold: 2,
    breakerResetMs: 60_000,
    backoffBaseMs: 50,
    backoffMaxMs: 200,
    ...extra,
  });
}

test('a KKT that sends by itself offers nothing; host mode is switched once and kept in the FN state', async (t) => {
  const r = await withShift(1);
  t.after(() => r.close());
  assert.equal(r.emulator.ofdExchangeMode, 'kkt');
  assert.deepEqual(await r.kkt.fnExchange.bufferStatus(), { size: 0, blockSize: 240 });
  assert.equal(await r.kkt.fnExchange.ensureHostMode(), true);
  assert.equal(await r.kkt.fnExchange.ensureHostMode(), false, 'already in host mode');
  assert.equal(r.emulator.ofdExchangeMode, 'host');
  assert.equal(r.emulator.snapshot().ofdExchangeMode, 0, 'durable, like the KKT tables');

  const { size, blockSize } = await r.kkt.fnExchange.bufferStatus();
  assert.ok(size > 30, `a message waits for the oldest document (${size} bytes)`);
  const head = await r.kkt.fnExchange.readBlock(0, Math.min(blockSize, size));
  assert.equal(sessionMessageLength(head), size, 'the session header announces the whole message');
  assert.equal(Buffer.from(head.subarray(8, 24)).toString('latin1'), '9999078900000001');
  await assert.rejects(r.kkt.fnExchange.readBlock(size - 1, 2), (e: KktError) => e.deviceCode === 0x33);
});

test("the buffer commands and table 21 take the system administrator's password only [SPEC p.23, 47–48]", async (t) => {
  const [host, device] = MemoryChannel.pair();
  const emulator = new KktEmulator(device);
  const link = new ShtrihLink(host, { ...DEFAULT_LINK_OPTIONS, ...FAST_LINK });
  t.after(async () => {
    await link.close();
    await emulator.close();
  });
  const errorOf = async (payload: Buffer) =>
    parseAnswer(commandCodeOf(payload), await link.exchange(payload)).error;
  assert.equal(await errorOf(bufferStatusRequest(1)), 0x4f, 'cashier 1');
  assert.equal(await errorOf(bufferStatusRequest(29)), 0x4f, 'administrator');
  assert.equal(await errorOf(readBlockRequest(1, 0, 10)), 0x4f);
  assert.equal(await errorOf(startWriteRequest(1, 10)), 0x4f);
  assert.equal(await errorOf(writeTableRequest(1, 21, 1, 2, Uint8Array.of(0))), 0x4f);
  assert.equal(await errorOf(bufferStatusRequest(30)), 0);
  assert.equal(await errorOf(writeTableRequest(30, 21, 1, 2, Uint8Array.of(2))), 0x33, 'only 0 or 1');
  assert.equal(await errorOf(writeTableRequest(30, 19, 1, 1, Uint8Array.of(0))), 0x37, 'other tables');
  assert.equal(emulator.ofdExchangeMode, 'kkt');
});

test('the relay delivers every document to the mock OFD and the FN count drops to 0', async (t) => {
  const r = await withShift(3);
  const mock = await startFnPortMock();
  t.after(async () => {
    await mock.close();
    await r.close();
  });
  assert.equal((await r.kkt.status()).unsentCount, 4, 'shift open + 3 receipts');
  const relay = relayFor(r, mock);
  t.after(() => relay.stop());
  const run = await relay.runOnce();
  assert.equal(run.delivered, 4);
  assert.equal(run.failed + run.refused + run.kktErrors, 0);
  assert.equal((await r.kkt.status()).unsentCount, 0);
  assert.equal(await r.kkt.fnExchange.unsentCount(), 0);
  assert.deepEqual(
    mock.received().map((m) => [m.fd_number, m.document_type, m.fn_number]),
    [
      [1, 2, '9999078900000001'],
      [2, 3, '9999078900000001'],
      [3, 3, '9999078900000001'],
      [4, 3, '9999078900000001'],
    ],
  );
  assert.equal(relay.snapshot().hostMode, true);
  assert.equal(relay.snapshot().totals.delivered, 4);
  assert.notEqual(relay.snapshot().lastExchangeAt, null);
  // FF0Ah now reports the documents as delivered too.
  const archived = await r.kkt.document(4);
  assert.equal(archived?.kind, 'receipt');
});

test('the FN refuses an answer that is not a valid receipt for its document (error 20h); nothing is marked sent', async (t) => {
  const r = await withShift(1);
  const mock = await startFnPortMock();
  t.after(async () => {
    await mock.close();
    await r.close();
  });
  const port = r.kkt.fnExchange;
  await port.ensureHostMode();
  const { size, blockSize } = await port.bufferStatus();
  const msg = new Uint8Array(size);
  for (let o = 0; o < size; o += blockSize)
    msg.set(await port.readBlock(o, Math.min(blockSize, size - o)), o);
  const answer = await exchangeWithOfd({ host: '127.0.0.1', port: mock.port }, msg, 2_000);

  const writeBack = async (bytes: Buffer) => {
    const bs = await port.startWrite(bytes.length);
    for (let o = 0; o < bytes.length; o += bs) await port.writeBlock(o, bytes.subarray(o, o + bs));
  };
  const tampered = Buffer.from(answer);
  tampered[tampered.length - 1]! ^= 0xff; // the last byte of the signature (1078)
  await assert.rejects(writeBack(tampered), (e: KktError) => e.deviceCode === 0x20);
  assert.match(r.emulator.lastOfdRefusal ?? '', /CRC|signature/);
  assert.equal(await port.unsentCount(), 2);

  // FF33h out of order, and FF33h without FF32h, are refused too.
  await port.startWrite(answer.length);
  await assert.rejects(port.writeBlock(5, answer.subarray(5, 10)), (e: KktError) => e.deviceCode === 0x33);

  await writeBack(answer); // the genuine receipt
  assert.equal(await port.unsentCount(), 1);
  await assert.rejects(writeBack(answer), (e: KktError) => e.deviceCode === 0x20, 'a receipt for FD 1 again');
  assert.equal(await port.unsentCount(), 1);
});

test('mock faults: refused connections open the breaker; garbage is refused by the FN; back up, all delivered', async (t) => {
  const r = await withShift(2);
  const mock = await startFnPortMock();
  t.after(async () => {
    await mock.close();
    await r.close();
  });
  const lines: string[] = [];
  const log = {
    debug() {},
    info: (m: string) => lines.push(`info ${m}`),
    warn: (m: string) => lines.push(`warn ${m}`),
    error: (m: string) => lines.push(`error ${m}`),
  };
  const relay = relayFor(r, mock, { breakerResetMs: 200, log });
  t.after(() => relay.stop());

  await mock.setMode('refuse');
  let run = await relay.runOnce();
  assert.equal(run.failed, 1);
  assert.match(relay.snapshot().lastError ?? '', /connection refused/);
  assert.deepEqual(relay.snapshot().lastErrorWhy, {
    code: 'ofd_unreachable',
    params: { server: `127.0.0.1:${mock.port}`, error: 'ECONNREFUSED' },
  });
  await relay.runOnce();
  assert.equal(relay.breaker.state, 'OPEN', 'two failures in a row');
  run = await relay.runOnce();
  assert.equal(run.held, true, 'an open breaker sends nothing');
  assert.equal(run.failed, 0);
  // A sale is not held up by the relay's troubles.
  await r.kkt.printReceipt(sale([line('Во время сбоя ОФД', 5_000)]));
  assert.equal(await r.kkt.fnExchange.unsentCount(), 4);

  await mock.setMode('garbage', 1);
  await waitFor('the half-open trial', () => relay.breaker.state !== 'OPEN', 5_000);
  run = await relay.runOnce();
  assert.equal(run.refused, 1, 'the OFD answered noise: the FN refuses it');
  assert.match(relay.snapshot().lastError ?? '', /20h/);
  assert.equal(relay.snapshot().lastErrorWhy?.code, 'fn_refused_answer');
  assert.equal(await r.kkt.fnExchange.unsentCount(), 4);

  run = await relay.runOnce(); // the garbage was one answer only
  assert.equal(run.delivered, 4);
  assert.equal(await r.kkt.fnExchange.unsentCount(), 0);
  assert.equal(relay.breaker.state, 'CLOSED');
  assert.equal(relay.snapshot().lastErrorWhy, null, 'a delivery clears the last error and its code');
  assert.equal(mock.health().receipts_sent, 4);

  // One log line per run that did something, and every breaker change (like the sync worker's).
  const has = (re: RegExp) =>
    assert.ok(
      lines.some((l) => re.test(l)),
      `${re} in:\n${lines.join('\n')}`,
    );
  has(/^warn FN relay run: 0 delivered, 1 failed, .*last error: OFD unreachable: connection refused/);
  has(/^warn FN relay: OFD breaker opened after 2 failures in a row; next try at /);
  has(/^info FN relay: OFD breaker half-open/);
  has(
    /^warn FN relay run: 0 delivered, 0 failed, 1 refused by the FN, 0 KKT errors; \d+ bytes out, \d+ in, .*20h/,
  );
  has(/^info FN relay: OFD breaker closed/);
  has(
    /^info FN relay run: 4 delivered, 0 failed, 0 refused by the FN, 0 KKT errors; \d+ bytes out, \d+ in, \d+ ms$/,
  );
  assert.equal(
    lines.filter((l) => /run: 0 delivered, 0 failed, 0 refused/.test(l)).length,
    0,
    'held runs are not logged',
  );
});

test('a hanging OFD times out and never holds the KKT: a sale prints while the relay waits', async (t) => {
  const r = await withShift(1);
  const mock = await startFnPortMock();
  t.after(async () => {
    await mock.close();
    await r.close();
  });
  const relay = relayFor(r, mock, { timeoutMs: 3_000 });
  t.after(() => relay.stop());
  await mock.setMode('hang');
  const run = relay.runOnce();
  await waitFor('the relay waiting on the OFD', () => mock.health().injected_failures === 1);
  const printed = await r.kkt.printReceipt(sale([line('Пока ОФД молчит', 7_000)]));
  assert.equal(printed.fdNumber, 3);
  assert.equal(relay.snapshot().running, true, 'the sale finished while the relay still waited');
  const result = await run;
  assert.equal(result.failed, 1);
  assert.match(relay.snapshot().lastError ?? '', /did not answer within 3 s/);
  assert.deepEqual(relay.snapshot().lastErrorWhy, {
    code: 'ofd_timeout',
    params: { server: `127.0.0.1:${mock.port}`, ms: 3_000 },
  });
});

test(
  'stopping the relay cuts a hanging exchange short; the document stays unsent',
  { timeout: 30_000 },
  async (t) => {
    const r = await withShift(0);
    const mock = await startFnPortMock();
    t.after(async () => {
      await mock.close();
      await r.close();
    });
    const relay = relayFor(r, mock, { timeoutMs: 600_000 });
    await mock.setMode('hang');
    const run = relay.runOnce();
    await waitFor('the relay waiting on the OFD', () => mock.health().injected_failures === 1);
    await relay.stop();
    const result = await run;
    assert.equal(result.failed + result.delivered, 0, 'stopping is not an OFD failure');
    assert.equal(await r.kkt.fnExchange.unsentCount(), 1);
  },
);

test('a station operation goes before a queued relay command (ShtrihKkt.background)', async (t) => {
  const r = await withShift(0);
  t.after(() => r.close());
  const order: string[] = [];
  const a = r.kkt.status().then(() => order.push('status'));
  const b = r.kkt.fnExchange.bufferStatus().then(() => order.push('relay'));
  const c = r.kkt.printReceipt(sale([line('Продажа', 1_000)])).then(() => order.push('sale'));
  await Promise.all([a, b, c]);
  assert.deepEqual(order, ['status', 'sale', 'relay']);
});
