// Why the FN relay failed when the KKT side is at fault, as the code the status panel words: a torn
// read of the FN's message (never sent to the OFD), a KKT that does not answer, a KKT that refuses a
// buffer command with its own code. The port is a scripted stand-in for the driver's buffer commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KktError } from '../src/shared/errors.ts';
import { FnRelay } from '../src/main/core/fn-relay/fn-relay.ts';
import type { FnExchangePort } from '../src/main/core/kkt/fn-exchange-port.ts';
import { silentLogger } from '../src/main/core/logger.ts';
import { SESSION_HEADER_LENGTH, SESSION_SIGNATURE } from '../src/shtrih-protocol/fn-exchange.ts';
import { ru } from '../src/renderer/i18n/ru.ts';

/** A session header announcing a body of `body` bytes, followed by `extra` bytes of it. */
function message(body: number, extra: number): Uint8Array {
  const m = new Uint8Array(SESSION_HEADER_LENGTH + extra);
  m.set(SESSION_SIGNATURE, 0);
  m[24] = body & 0xff;
  m[25] = body >> 8;
  return m;
}

function relayOver(port: Partial<FnExchangePort>) {
  let sent = 0;
  const relay = new FnRelay({
    port: {
      ensureHostMode: async () => false,
      bufferStatus: async () => ({ size: 0, blockSize: 64 }),
      readBlock: async () => new Uint8Array(),
      startWrite: async () => 64,
      writeBlock: async () => undefined,
      unsentCount: async () => 0,
      ...port,
    },
    server: { host: '127.0.0.1', port: 1 },
    log: silentLogger,
    intervalMs: 60_000,
    timeoutMs: 1_000,
    breakerThreshold: 3,
    breakerResetMs: 60_000,
    backoffBaseMs: 50,
    backoffMaxMs: 200,
    exchange: async () => {
      sent++;
      return Buffer.alloc(0);
    },
  });
  return { relay, sent: () => sent };
}

test('a message read shorter than its header says is not sent: fn_message_torn', async () => {
  const m = message(40, 30); // 60 bytes read, the header says 70
  const { relay, sent } = relayOver({
    bufferStatus: async () => ({ size: m.length, blockSize: 64 }),
    readBlock: async (offset, count) => m.subarray(offset, offset + count),
  });
  const run = await relay.runOnce();
  assert.equal(run.kktErrors, 1);
  assert.equal(sent(), 0, 'nothing went to the OFD');
  const s = relay.snapshot();
  assert.deepEqual(s.lastErrorWhy, { code: 'fn_message_torn', params: { size: 60, announced: 70 } });
  assert.match(s.lastError ?? '', /torn: 60 bytes read, its header says 70/);
  assert.equal(
    ru.fnRelayFailureText(s.lastErrorWhy!),
    'Сообщение ФН для ОФД прочитано с ошибкой (60 байт, в заголовке 70); касса прочитает его ещё раз',
  );
});

test('a message without a session header is not sent either', async () => {
  const junk = new Uint8Array(40).fill(7);
  const { relay, sent } = relayOver({
    bufferStatus: async () => ({ size: junk.length, blockSize: 64 }),
    readBlock: async (offset, count) => junk.subarray(offset, offset + count),
  });
  await relay.runOnce();
  assert.equal(sent(), 0);
  assert.deepEqual(relay.snapshot().lastErrorWhy, {
    code: 'fn_message_torn',
    params: { size: 40, announced: null },
  });
});

test('a KKT that does not answer is kkt_not_connected; one that refuses says its code', async () => {
  const silent = relayOver({
    ensureHostMode: async () => {
      throw new KktError('refused', 'no answer', { reason: 'not_connected' });
    },
  }).relay;
  await silent.runOnce();
  assert.deepEqual(silent.snapshot().lastErrorWhy, { code: 'kkt_not_connected', params: {} });

  const refusing = relayOver({
    bufferStatus: async () => {
      throw new KktError('refused', 'Неверный параметр', {
        deviceCode: 0x7e,
        deviceMessage: 'Неверный параметр',
      });
    },
  }).relay;
  await refusing.runOnce();
  assert.deepEqual(refusing.snapshot().lastErrorWhy, {
    code: 'kkt_error',
    params: { deviceCode: 0x7e, deviceMessage: 'Неверный параметр' },
  });
  assert.equal(
    ru.fnRelayFailureText(refusing.snapshot().lastErrorWhy!),
    'ККТ отказала в команде обмена с ОФД (ошибка 7Eh): Неверный параметр',
  );
});
