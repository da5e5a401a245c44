// Marked goods on the byte-level emulator, in memory: the FF61h/FF69h/FF67h/FF70h frames and answers,
// the sequence rules the emulated FN enforces, and the driver's receipt with marked lines — accepted,
// rejected by the FN or by the marking server (nothing opened, nothing printed), server silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KktEmulator } from '../../src/kkt-emulator/emulator.ts';
import { ShtrihLink } from '../../src/main/core/kkt/shtrih/link.ts';
import { encodeFrame } from '../../src/shtrih-protocol/frame.ts';
import { Cmd, parseAnswer, withPassword } from '../../src/shtrih-protocol/codes.ts';
import {
  MarkDecision,
  PlannedStatus,
  ServerAnswerCode,
  acceptMarkRequest,
  bindMarkRequest,
  checkMarkRequest,
  parseBindMark,
  parseCheckMark,
  parseMarkStatus,
} from '../../src/shtrih-protocol/marking.ts';
import { MemoryChannel } from '../../src/shtrih-protocol/memory-channel.ts';
import { openReceiptRequest, operationV2Request } from '../../src/shtrih-protocol/receipt-commands.ts';
import { KktError, MarkRejectedError } from '../../src/shared/errors.ts';
import { GS, parseMarkCode } from '../../src/shared/marking-code.ts';
import { judgeMarkCheck } from '../../src/main/core/kkt/shtrih/marking-flow.ts';
import type { KktLineMark } from '../../src/main/core/kkt/kkt.ts';
import { FAST_LINK, line, receiptsIn, rig, sale } from './helpers.ts';

const SHOES = `010464007801637221_X.g!8xnpuiFV${GS}91FFD0${GS}92dGVzdIzSWNqFlCZrv+e0GSXQd6Qnar28rNj+8v2D+j0=`;
const WATER = `0104600439931256215Nf9Mgx7Vb1YU${GS}93dGVz`;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

function mark(code: string): KktLineMark {
  const mc = parseMarkCode(code);
  return { code: mc.code, gtin: mc.gtin, serial: mc.serial, measured: mc.netWeightG !== undefined };
}

/** A host link straight onto a fresh emulator, to send single commands. */
async function rawDevice() {
  const [host, device] = MemoryChannel.pair();
  const emulator = new KktEmulator(device, {});
  const link = new ShtrihLink(host, FAST_LINK);
  const send = async (payload: Buffer) => {
    const code = payload[0] === 0xff ? 0xff00 | payload[1]! : payload[0]!;
    return parseAnswer(code, await link.exchange(payload));
  };
  return { emulator, send, close: () => Promise.all([link.close(), emulator.close()]) };
}

test('frames: FF69h accept/reject and FF70h as in kkt-protocol.md §7.5, FF61h/FF67h layout', () => {
  assert.equal(hex(encodeFrame(acceptMarkRequest(30, 1))), '0207FF691E000000018E');
  assert.equal(hex(encodeFrame(acceptMarkRequest(30, 0))), '0207FF691E000000008F');
  assert.equal(hex(encodeFrame(withPassword(Cmd.MARK_STATUS, 30))), '0206FF701E00000097');
  const check = checkMarkRequest({ password: 30, code: SHOES, plannedStatus: 1 });
  assert.equal(check.length, 10 + 85, 'LEN = 10 + X + Y');
  assert.equal(hex(check.subarray(0, 10)), `FF611E000000010055 00`.replace(' ', ''));
  assert.equal(check.subarray(10).toString('latin1'), SHOES, 'the code byte for byte, GS included');
  const bind = bindMarkRequest(30, SHOES);
  assert.equal(hex(bind.subarray(0, 7)), 'FF671E00000055');
  assert.equal(bind.length, 7 + 85);
});

test('emulator: check → accept → bind in an open receipt; FF70h follows the check table', async () => {
  const d = await rawDevice();
  try {
    await d.send(withPassword(Cmd.OPEN_SHIFT, 30));
    const checked = await d.send(checkMarkRequest({ password: 30, code: SHOES, plannedStatus: 1 }));
    assert.equal(checked.error, 0);
    const a = parseCheckMark(checked.data);
    assert.deepEqual([a.localResult, a.localReason, a.codeType], [0x03, 0, 4]);
    assert.equal(a.server?.code, ServerAnswerCode.OK);
    assert.equal(a.server?.result2106, 0x0f);
    assert.deepEqual(judgeMarkCheck(a), { accepted: true, checkedOnline: true, note: 'checked online' });
    assert.equal(parseMarkStatus((await d.send(withPassword(Cmd.MARK_STATUS, 30))).data).checkState, 2);
    const accepted = await d.send(acceptMarkRequest(30, MarkDecision.ACCEPT));
    assert.deepEqual([accepted.error, accepted.data[0]], [0, 0x0f]);
    const st = parseMarkStatus((await d.send(withPassword(Cmd.MARK_STATUS, 30))).data);
    assert.deepEqual([st.checkState, st.savedResults], [1, 1]);

    assert.equal((await d.send(bindMarkRequest(30, SHOES))).error, 0x55, 'no receipt open: 55h');
    await d.send(openReceiptRequest(30, 0));
    const op = operationV2Request({
      password: 30,
      operation: 1,
      quantityMicro: 1_000_000,
      priceKop: 15_000,
      sumKop: 15_000,
      taxKop: null,
      vatByte: 1,
      department: 1,
      paymentMethod: 4,
      paymentSubject: 33,
      name: 'Кроссовки',
    });
    assert.equal((await d.send(op)).error, 0);
    const bound = await d.send(bindMarkRequest(30, SHOES));
    assert.equal(bound.error, 0);
    const b = parseBindMark(bound.data);
    assert.deepEqual([b.productCodePrefix, b.dataMatrixType, b.check], [1306, 3, null]);
    assert.equal((await d.send(bindMarkRequest(30, SHOES))).error, 0x33, 'one code per line');
  } finally {
    await d.close();
  }
});

test('emulator: sequence and length rules (A1h, 7Eh, 33h, A4h) and a bind that runs the check itself', async () => {
  const d = await rawDevice();
  try {
    await d.send(withPassword(Cmd.OPEN_SHIFT, 30));
    assert.equal((await d.send(acceptMarkRequest(30, 1))).error, 0xa1, 'FF69h with nothing checked');
    const short = checkMarkRequest({ password: 30, code: SHOES, plannedStatus: 1 }).subarray(0, 50);
    assert.equal((await d.send(short)).error, 0x7e, 'X disagrees with the frame');
    const mode1 = checkMarkRequest({ password: 30, code: SHOES, plannedStatus: 1 });
    mode1[7] = 1;
    assert.equal((await d.send(mode1)).error, 0x33, 'processing mode must be 0');
    const measured = checkMarkRequest({
      password: 30,
      code: SHOES,
      plannedStatus: PlannedStatus.MEASURED_SOLD,
    });
    assert.equal((await d.send(measured)).error, 0xa4, 'status 2 needs the unit and quantity TLVs');

    d.emulator.rejectMarkCode(WATER, 'status');
    await d.send(openReceiptRequest(30, 0));
    await d.send(
      operationV2Request({
        password: 30,
        operation: 1,
        quantityMicro: 1_000_000,
        priceKop: 9_000,
        sumKop: null,
        taxKop: null,
        vatByte: 1,
        department: 1,
        paymentMethod: 4,
        paymentSubject: 33,
        name: 'Вода',
      }),
    );
    const bound = await d.send(bindMarkRequest(30, WATER));
    assert.equal(bound.error, 0);
    const b = parseBindMark(bound.data);
    assert.ok(b.check, 'not checked by FF61h: the bind answers the check block');
    assert.equal(b.check.localReason, 3, 'no AI 91/92: the FN cannot check it locally');
    assert.deepEqual(judgeMarkCheck(b.check), {
      accepted: false,
      rejectedBy: 'marking_server',
      reason: 'the good may not be sold: already sold, withdrawn or blocked (tag 2106)',
    });
  } finally {
    await d.close();
  }
});

test('driver: a receipt with a marked line checks before 8Dh, binds after FF46h, archives the code', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift();
    const attrs = await r.kkt.printReceipt(
      sale([
        line('Хлеб', 5_000),
        line('Кроссовки', 150_000, 1000, { paymentSubject: 33, mark: mark(SHOES) }),
      ]),
    );
    const doc = r.emulator.archive.find((x) => x.fd === attrs.fdNumber)!;
    assert.deepEqual(doc.marks, [{ line: 1, code: SHOES, result2106: 0x0f }]);
    assert.equal(r.emulator.snapshot().archive.length, 2);
    // A refund of the same unit: planned status 3, the code bound to the refund line.
    const back = await r.kkt.printReceipt({
      ...sale([line('Кроссовки', 150_000, 1000, { paymentSubject: 33, mark: mark(SHOES) })]),
      operation: 'refund',
    });
    assert.equal(r.emulator.archive.find((x) => x.fd === back.fdNumber)!.marks?.[0]?.code, SHOES);
  } finally {
    await r.close();
  }
});

for (const [how, by] of [
  ['status', 'marking_server'],
  ['crypto', 'fn'],
] as const) {
  test(`driver: a code the ${by} rejects → MarkRejectedError, nothing opened, nothing printed`, async () => {
    const r = await rig();
    try {
      await r.kkt.openShift();
      const tape = r.emulator.tape.length;
      r.emulator.rejectMarkCode(SHOES.replaceAll(GS, '{GS}'), how); // any scanner form names the unit
      await assert.rejects(
        r.kkt.printReceipt(
          sale([line('Хлеб', 5_000), line('Кроссовки', 150_000, 1000, { mark: mark(SHOES) })]),
        ),
        (e: unknown) =>
          e instanceof MarkRejectedError &&
          e.info.rejectedBy === by &&
          e.info.line === 1 &&
          e.info.gtin === '04640078016372' &&
          e.httpStatus === 409,
      );
      assert.equal(receiptsIn(r.emulator), 0);
      assert.equal(r.emulator.receiptOpen, false);
      assert.equal(r.emulator.tape.length, tape, 'nothing printed, not even a cancellation');
      // The FN's check buffer is clean: the next sale of another unit goes through.
      r.emulator.rejectMarkCode(SHOES, 'accept');
      await r.kkt.printReceipt(sale([line('Кроссовки', 150_000, 1000, { mark: mark(SHOES) })]));
      assert.equal(receiptsIn(r.emulator), 1);
    } finally {
      await r.close();
    }
  });
}

test('driver: the marking server does not answer (0xFF) or is not asked: the sale goes on', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift();
    r.emulator.setMarkServer('no_answer');
    const a = await r.kkt.printReceipt(sale([line('Кроссовки', 150_000, 1000, { mark: mark(SHOES) })]));
    assert.equal(r.emulator.archive.find((x) => x.fd === a.fdNumber)!.marks?.[0]?.result2106, 0x03);
    r.emulator.setMarkServer('autonomous');
    r.emulator.rejectMarkCode(WATER, 'status'); // only the server knows the status: nobody asks it
    const b = await r.kkt.printReceipt(sale([line('Вода', 9_000, 1000, { mark: mark(WATER) })]));
    assert.equal(r.emulator.archive.find((x) => x.fd === b.fdNumber)!.marks?.[0]?.result2106, 0);
  } finally {
    await r.close();
  }
});

test('driver: a weighed good is checked as status 2 with 2108 = kg and 1023 = the weight', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift();
    const cheese = `0104600439931256215Nf9Mgx${GS}93Ab12${GS}3103000750`;
    const a = await r.kkt.printReceipt(
      sale([line('Сыр', 80_000, 500, { mark: { ...mark(cheese), measured: true } })]),
    );
    assert.equal(r.emulator.archive.find((x) => x.fd === a.fdNumber)!.marks?.[0]?.code, cheese);
  } finally {
    await r.close();
  }
});

test('driver: an FN that says a check was left undecided (A1h) gets it rejected, then the code checked again', async () => {
  const r = await rig();
  try {
    await r.kkt.openShift();
    r.emulator.faults.failNext(0xa1, { command: 0xff61 });
    const a = await r.kkt.printReceipt(sale([line('Кроссовки', 150_000, 1000, { mark: mark(SHOES) })]));
    assert.equal(r.emulator.archive.find((x) => x.fd === a.fdNumber)!.marks?.[0]?.result2106, 0x0f);
    r.emulator.faults.failNext(0xa1, { command: 0xff61, count: 2 });
    await assert.rejects(
      r.kkt.printReceipt(sale([line('Кроссовки', 150_000, 1000, { mark: mark(SHOES) })])),
      (e: unknown) => e instanceof KktError && e.failure === 'refused' && e.deviceCode === 0xa1,
      'a second A1h is a refusal: nothing printed',
    );
    assert.equal(receiptsIn(r.emulator), 1);
  } finally {
    await r.close();
  }
});
