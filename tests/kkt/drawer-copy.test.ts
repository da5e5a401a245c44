// 28h «Открыть денежный ящик» and the 17h text lines of a receipt copy: the frames as the spec gives them,
// the emulator's drawer counter (durable, by drawer), its refusals, and the driver over the emulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame } from '../../src/shtrih-protocol/frame.ts';
import { openDrawerRequest, printStringRequest } from '../../src/shtrih-protocol/print-commands.ts';
import { DeviceErrorCode } from '../../src/shtrih-protocol/device-errors.ts';
import { KktError } from '../../src/shared/errors.ts';
import { rig } from './helpers.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase().match(/../g)!.join(' ');

test('28h frame: `28 | PWD | drawer`, as kkt-protocol.md §7.8 gives it; drawer 2 is no drawer', () => {
  assert.equal(hex(encodeFrame(openDrawerRequest(30, 0))), '02 06 28 1E 00 00 00 00 30');
  assert.equal(hex(openDrawerRequest(30, 1)), '28 1E 00 00 00 01');
  assert.throws(() => openDrawerRequest(30, 2), /0 or 1/);
});

test('17h frame: receipt tape flag, cp1251, unpadded, cut at 40 bytes', () => {
  assert.equal(
    hex(encodeFrame(printStringRequest(30, 'Спасибо!'))),
    '02 0E 17 1E 00 00 00 02 D1 EF E0 F1 E8 E1 EE 21 EC',
  );
  assert.equal(printStringRequest(30, 'x'.repeat(60)).length, 1 + 4 + 1 + 40);
});

test('the emulator counts drawer openings durably, by drawer, and makes no document', async (t) => {
  const r = await rig();
  t.after(() => r.close());
  await r.kkt.openDrawer(0);
  await r.kkt.openDrawer(0);
  await r.kkt.openDrawer(1);
  assert.equal(r.emulator.drawerOpenings(0), 2);
  assert.equal(r.emulator.drawerOpenings(1), 1);
  assert.deepEqual(r.emulator.snapshot().drawerOpenings, [2, 1], 'in the state file');
  assert.ok(r.emulator.tape.includes('-- денежный ящик 0 открыт --'));
  assert.equal(r.emulator.snapshot().lastFd, 0, 'no fiscal document');
});

test('a drawer the KKT refuses is a KktError refused, and nothing is counted', async (t) => {
  const r = await rig();
  t.after(() => r.close());
  r.emulator.faults.failNext(DeviceErrorCode.BAD_PARAMS, { command: 0x28 });
  await assert.rejects(r.kkt.openDrawer(0), (e) => e instanceof KktError && e.failure === 'refused');
  assert.equal(r.emulator.drawerOpenings(0), 0);
});

test('printText prints each line on the tape with 17h and makes no document', async (t) => {
  const r = await rig();
  t.after(() => r.close());
  const before = r.emulator.snapshot();
  await r.kkt.printText(['*** КОПИЯ ЧЕКА ***', 'ФД 7']);
  assert.deepEqual(r.emulator.tape.slice(-2), ['*** КОПИЯ ЧЕКА ***', 'ФД 7']);
  const after = r.emulator.snapshot();
  assert.equal(after.lastFd, before.lastFd);
  assert.equal(after.documentNumber, before.documentNumber);
});
