// The receipt QR as a QR code: DDh «Загрузка данных» and DEh «Печать многомерного штрих-кода» (protocol
// v1.17 p.37–38) as frames, the emulator's handling of them (validation, the long answer, the tape, its
// refusals and faults), and the driver's printout: the QR drawn by the KKT, or its text when the KKT
// refuses to draw it — never a failed printout; and the journal's words for a copy whose QR went out as
// text, whoever refused it (the KKT, or the station's own DDh/DEh builders).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BARCODE_DATA_MAX,
  RECEIPT_QR_PARAMS,
  loadDataRequest,
  loadDataRequests,
  parseLoadDataArgs,
  parsePrint2dAnswer,
  parsePrint2dArgs,
  print2dAnswerData,
  print2dBarcodeRequest,
  printQrRequest,
} from '../../src/shtrih-protocol/barcode-commands.ts';
import { ProtocolError } from '../../src/shtrih-protocol/bytes.ts';
import { Cmd, parseAnswer, withPassword } from '../../src/shtrih-protocol/codes.ts';
import { DeviceErrorCode } from '../../src/shtrih-protocol/device-errors.ts';
import { encodeFrame } from '../../src/shtrih-protocol/frame.ts';
import { MemoryChannel } from '../../src/shtrih-protocol/memory-channel.ts';
import { ShtrihLink } from '../../src/main/core/kkt/shtrih/link.ts';
import { fiscalQr } from '../../src/main/core/kkt/kkt.ts';
import { KktEmulator } from '../../src/kkt-emulator/emulator.ts';
import { FAST_LINK, line, rig, sale } from './helpers.ts';
import { join } from 'node:path';
import { ReceiptCopies } from '../../src/main/core/fiscal/receipt-copy.ts';
import { journalView } from '../../src/main/app/views.ts';
import { silentLogger } from '../../src/main/core/logger.ts';
import { journalLine } from '../../src/renderer/i18n/journal-line.ts';
import { ru } from '../../src/renderer/i18n/ru.ts';
import { en } from '../../src/renderer/i18n/en.ts';
import { fiscalAttrs, newReceipt, openStore } from '../helpers/buffer-store.ts';
import { tempDir } from '../helpers/fixture.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const QR = 't=20260302T0900&s=250.00&fn=9999078900001234&i=12&fp=3522609126&n=1';

test('DDh frame: 71 bytes, data type 0, block number, data zero-padded to 64', () => {
  const req = loadDataRequest(30, 2, Buffer.from('abc'));
  assert.equal(req.length, 71, 'p.37: Длина сообщения 71 байт');
  assert.equal(hex(req.subarray(0, 10)), 'DD1E00000000026162 63'.replace(' ', ''));
  assert.ok(
    req.subarray(10).every((b) => b === 0),
    'padding',
  );
  const frame = encodeFrame(req);
  assert.equal(frame[1], 71, 'LEN');
  assert.deepEqual(parseLoadDataArgs(req.subarray(5)), {
    dataType: 0,
    block: 2,
    data: Buffer.concat([Buffer.from('abc'), Buffer.alloc(61)]),
  });
  assert.throws(() => loadDataRequest(30, 128, Buffer.from('x')), /0…127/);
  assert.throws(() => loadDataRequest(30, 0, Buffer.alloc(65)), /64 bytes/);
  assert.throws(() => parseLoadDataArgs(Buffer.alloc(60)), ProtocolError);
});

test('DDh blocks: 130 bytes take blocks 0, 1, 2; the span is checked before anything is built', () => {
  const data = Buffer.from('x'.repeat(130));
  const reqs = loadDataRequests(30, data);
  assert.deepEqual(
    reqs.map((r) => r[6]),
    [0, 1, 2],
  );
  assert.equal(
    Buffer.concat(reqs.map((r) => r.subarray(7)))
      .subarray(0, 130)
      .toString(),
    data.toString(),
  );
  assert.throws(() => loadDataRequests(30, Buffer.alloc(0)), /1…7089/);
  assert.throws(() => loadDataRequests(30, Buffer.alloc(BARCODE_DATA_MAX + 1)), /1…7089/);
  assert.throws(() => loadDataRequests(30, Buffer.alloc(65), 127), /past block 127/);
});

test('DEh frame: 15 bytes, QR type 3, length LE, start block, P1…P5, centred', () => {
  const req = printQrRequest(30, 72);
  assert.equal(req.length, 15, 'p.37: Длина сообщения 15 байт');
  // DE | PWD 30 | type 3 | length 72 (48 00) | block 0 | version 0, mask 0, dots 5, -, level M (1) | centre
  assert.equal(hex(req), 'DE1E000000034800000000050001' + '01');
  assert.deepEqual(parsePrint2dArgs(req.subarray(5)), {
    type: 3,
    length: 72,
    startBlock: 0,
    params: [0, 0, 5, 0, 1],
    align: 1,
  });
  const bad = (p: Partial<typeof RECEIPT_QR_PARAMS>) => () =>
    printQrRequest(30, 72, { ...RECEIPT_QR_PARAMS, ...p });
  assert.throws(bad({ dotSize: 2 }), /dotSize must be 3…8/);
  assert.throws(bad({ dotSize: 9 }), /dotSize/);
  assert.throws(bad({ version: 41 }), /version must be 0…40/);
  assert.throws(bad({ errorCorrection: 4 }), /errorCorrection must be 0…3/);
  assert.throws(bad({ mask: 9 }), /mask/);
  assert.throws(() => printQrRequest(30, 72, RECEIPT_QR_PARAMS, 3), /alignment/);
  assert.throws(() => printQrRequest(30, 0), /1…7089/);
  assert.throws(() => printQrRequest(30, 65, RECEIPT_QR_PARAMS, 1, 127), /past block 127/);
  assert.throws(() => parsePrint2dArgs(Buffer.alloc(9)), ProtocolError);
});

test('DEh answer: 3 bytes (operator) or 12 (operator, P1…P5, width, height); anything else is an error', () => {
  assert.deepEqual(parsePrint2dAnswer(Buffer.from([30])), { operator: 30 });
  const used = { version: 5, mask: 3, dotSize: 5, errorCorrection: 1 };
  const long = print2dAnswerData(30, used, 185, 185);
  assert.equal(hex(long), '1E' + '0503050001' + 'B900' + 'B900');
  assert.deepEqual(parsePrint2dAnswer(long), {
    operator: 30,
    qr: { params: used, widthDots: 185, heightDots: 185 },
  });
  assert.throws(() => parsePrint2dAnswer(Buffer.alloc(5)), ProtocolError);
});

/** A host link straight onto a fresh emulator, to send single commands. */
function rawDevice(options: ConstructorParameters<typeof KktEmulator>[1] = {}) {
  const [host, device] = MemoryChannel.pair();
  const emulator = new KktEmulator(device, options);
  const link = new ShtrihLink(host, FAST_LINK);
  const send = async (payload: Buffer) => parseAnswer(payload[0]!, await link.exchange(payload));
  return { emulator, send, close: () => Promise.all([link.close(), emulator.close()]) };
}

test('emulator: DEh draws the loaded data, answers the version and size used, and puts it on the tape', async (t) => {
  const d = rawDevice();
  t.after(() => d.close());
  const data = Buffer.from(QR);
  for (const req of loadDataRequests(30, data)) assert.equal((await d.send(req)).error, 0);
  const a = await d.send(printQrRequest(30, data.length));
  assert.equal(a.error, 0);
  const res = parsePrint2dAnswer(a.data);
  // 71 bytes at level M in byte mode need version 5 (37 modules): 37 × 5 dots.
  assert.deepEqual(res.qr, {
    params: { version: 5, mask: res.qr!.params.mask, dotSize: 5, errorCorrection: 1 },
    widthDots: 185,
    heightDots: 185,
  });
  assert.ok(res.qr!.params.mask >= 1 && res.qr!.params.mask <= 8);
  assert.deepEqual(d.emulator.tape, [`[QR] ${QR}`]);
  assert.equal(d.emulator.printedQrCodes[0]!.data, QR);
  assert.equal(d.emulator.snapshot().lastFd, 0, 'no fiscal document');
});

test('emulator refusals: unloaded blocks 34h, bad parameters 33h, other types 36h, short frames 7Eh, too small a version 33h', async (t) => {
  const d = rawDevice();
  t.after(() => d.close());
  const err = async (req: Buffer) => (await d.send(req)).error;
  assert.equal(await err(printQrRequest(30, 10)), DeviceErrorCode.KKT_NO_DATA, 'nothing loaded yet');
  await d.send(loadDataRequest(30, 0, Buffer.from(QR.slice(0, 64))));
  assert.equal(await err(printQrRequest(30, QR.length)), DeviceErrorCode.KKT_NO_DATA, 'block 1 missing');
  await d.send(loadDataRequest(30, 1, Buffer.from(QR.slice(64))));
  const raw = (params: number[], type = 3, align = 1) =>
    withPassword(Cmd.PRINT_2D_BARCODE, 30, Buffer.from([type, QR.length, 0, 0, ...params, align]));
  assert.equal(await err(raw([0, 0, 2, 0, 1])), DeviceErrorCode.BAD_PARAMS, 'dot size 2');
  assert.equal(await err(raw([0, 0, 5, 0, 4])), DeviceErrorCode.BAD_PARAMS, 'level 4');
  assert.equal(await err(raw([0, 0, 5, 0, 1], 3, 5)), DeviceErrorCode.BAD_PARAMS, 'alignment 5');
  const dataMatrix = {
    type: 1,
    length: QR.length,
    startBlock: 0,
    params: [0, 0, 5, 0, 0],
    align: 1,
  } as const;
  assert.equal(
    await err(print2dBarcodeRequest(30, { ...dataMatrix, params: [...dataMatrix.params] })),
    DeviceErrorCode.PARAMS_FOR_MODEL,
    'DataMatrix',
  );
  assert.equal(await err(raw([2, 0, 5, 0, 1])), DeviceErrorCode.BAD_PARAMS, 'version 2 holds 26 bytes at M');
  assert.equal(
    await err(withPassword(Cmd.PRINT_2D_BARCODE, 30, Buffer.from([3, 1]))),
    DeviceErrorCode.BAD_LENGTH,
  );
  assert.equal(
    await err(withPassword(Cmd.LOAD_DATA, 30, Buffer.from([0, 0, 1]))),
    DeviceErrorCode.BAD_LENGTH,
  );
  assert.equal(
    await err(withPassword(Cmd.LOAD_DATA, 30, Buffer.concat([Buffer.from([1, 0]), Buffer.alloc(64)]))),
    DeviceErrorCode.BAD_PARAMS,
    'data type 1',
  );
  d.emulator.setPaper(false);
  assert.equal(await err(printQrRequest(30, QR.length)), DeviceErrorCode.NO_PAPER);
  d.emulator.setPaper(true);
  assert.equal(await err(raw([10, 3, 8, 0, 3], 3, 0)), 0, 'version 10, mask 3, dots 8, level H, left');
  assert.deepEqual(
    { ...d.emulator.printedQrCodes[0]!.used, size: d.emulator.printedQrCodes[0]!.sizeDots },
    { version: 10, mask: 3, dotSize: 8, errorCorrection: 3, size: 57 * 8 },
  );
  assert.equal(d.emulator.tape.length, 1, 'only the accepted one printed');
});

test('emulator without 2D barcodes (an older firmware): DDh and DEh answer 37h', async (t) => {
  const d = rawDevice({ barcodes2d: false });
  t.after(() => d.close());
  assert.equal((await d.send(loadDataRequest(30, 0, Buffer.from('x')))).error, DeviceErrorCode.NOT_SUPPORTED);
  assert.equal((await d.send(printQrRequest(30, 1))).error, DeviceErrorCode.NOT_SUPPORTED);
  d.emulator.setBarcodes2d(true);
  assert.equal((await d.send(loadDataRequest(30, 0, Buffer.from('x')))).error, 0);
});

test('printText: text, the QR drawn by the KKT with exactly the receipt QR, text; no document', async (t) => {
  const r = await rig();
  t.after(() => r.close());
  const attrs = await r.kkt.printReceipt(sale([line('Хлеб', 250_00)]));
  const doc = r.emulator.archive.find((x) => x.fd === attrs.fdNumber)!;
  const expected = fiscalQr({
    fiscalDatetime: doc.datetime,
    totalKop: doc.amountKop!,
    fnNumber: r.emulator.snapshot().identity.fnNumber,
    fdNumber: doc.fd,
    fiscalSign: doc.fp,
    operation: 'sale',
  });
  assert.equal(attrs.qr, expected);
  const before = r.emulator.snapshot();
  const tapeBefore = r.emulator.tape.length;
  const result = await r.kkt.printText(['*** КОПИЯ ЧЕКА ***', { qr: attrs.qr }, '*** КОПИЯ ***']);
  assert.deepEqual(result, { qrAsText: [] });
  assert.deepEqual(r.emulator.tape.slice(tapeBefore), [
    '*** КОПИЯ ЧЕКА ***',
    `[QR] ${expected}`,
    '*** КОПИЯ ***',
  ]);
  assert.equal(r.emulator.printedQrCodes.at(-1)!.data, expected);
  assert.equal(r.emulator.snapshot().lastFd, before.lastFd, 'no fiscal document');
});

for (const [name, arm, code] of [
  ['a firmware without DDh/DEh (37h)', (e: KktEmulator) => e.setBarcodes2d(false), 0x37],
  ['DEh refused (33h)', (e: KktEmulator) => e.faults.failNext(0x33, { command: 0xde }), 0x33],
  ['DDh refused (36h)', (e: KktEmulator) => e.faults.failNext(0x36, { command: 0xdd }), 0x36],
] as const) {
  test(`printText falls back to the QR's text on ${name}, and says why`, async (t) => {
    const r = await rig();
    t.after(() => r.close());
    arm(r.emulator);
    const tapeBefore = r.emulator.tape.length;
    const result = await r.kkt.printText(['до', { qr: QR }, 'после']);
    assert.equal(result.qrAsText.length, 1);
    assert.equal(result.qrAsText[0]!.data, QR);
    assert.equal(result.qrAsText[0]!.deviceCode, code);
    assert.match(result.qrAsText[0]!.reason, new RegExp(code.toString(16).toUpperCase() + 'h|ККТ'));
    assert.deepEqual(r.emulator.tape.slice(tapeBefore), [
      'до',
      QR.slice(0, 32),
      QR.slice(32, 64),
      QR.slice(64),
      'после',
    ]);
    assert.equal(r.emulator.printedQrCodes.length, 0);
  });
}

test('printText: the QR answer lost (a reboot) still prints the rest; paper out fails the printout', async (t) => {
  const r = await rig();
  t.after(() => r.close());
  r.emulator.faults.loseAnswer({ command: 0xde });
  const result = await r.kkt.printText([{ qr: QR }, 'после']);
  assert.equal(result.qrAsText.length, 1, 'not known to be printed: its text follows');
  assert.equal(r.emulator.tape.at(-1), 'после');
  r.emulator.setPaper(false);
  await assert.rejects(r.kkt.printText([{ qr: QR }, 'после']), /бумаг/i);
});

test('a copy whose QR the station cannot send (a RangeError of DDh/DEh): journalled with a code, in Russian', async (t) => {
  const r = await rig();
  t.after(() => r.close());
  const dir = tempDir(t, 'copy-qr-');
  const s = openStore(join(dir, 'b.sqlite'));
  t.after(() => s.db.close());
  const receipt = newReceipt();
  s.store.insertPrinting(receipt, 100);
  // One byte more than DEh takes: the builders refuse it before anything goes to the KKT.
  s.store.markPrinted(receipt.id, { ...fiscalAttrs(1), qr: '1'.repeat(BARCODE_DATA_MAX + 1) });
  const copies = new ReceiptCopies({ kkt: r.kkt, store: s.store, journal: s.journal, log: silentLogger });
  await copies.print(receipt.id, 'till');
  assert.equal(r.emulator.printedQrCodes.length, 0, 'printed as text');

  const entry = journalView(s.journal.recent(10).find((e) => e.kind === 'receipt_copy_printed')!);
  assert.equal(entry.params?.qr, 'text');
  assert.equal(entry.params?.qr_why, 'not_sendable');
  assert.match(String(entry.params?.qr_error), /^DDh: barcode data must be/, 'the technical text is kept');
  const words = journalLine(ru, entry).text;
  assert.match(words, /QR-код напечатан текстом — касса не смогла передать его в ККТ/);
  const english = (words.match(/[A-Za-z]+/g) ?? []).filter((w) => w !== 'QR');
  assert.deepEqual(english, [], `no English in «${words}»`);
  assert.match(journalLine(en, entry).text, /station could not send it.*: DDh: barcode data must be/);
});

test('a copy whose QR the KKT refuses (37h): journalled with the KKT refusal code and its own words', async (t) => {
  const r = await rig();
  t.after(() => r.close());
  const s = openStore(join(tempDir(t, 'copy-qr-'), 'b.sqlite'));
  t.after(() => s.db.close());
  const receipt = newReceipt();
  s.store.insertPrinting(receipt, 100);
  s.store.markPrinted(receipt.id, { ...fiscalAttrs(1), qr: QR });
  r.emulator.setBarcodes2d(false);
  await new ReceiptCopies({ kkt: r.kkt, store: s.store, journal: s.journal, log: silentLogger }).print(
    receipt.id,
    'till',
  );
  const entry = journalView(s.journal.recent(10).find((e) => e.kind === 'receipt_copy_printed')!);
  assert.equal(entry.params?.qr_why, 'kkt_refused');
  assert.equal(entry.params?.qr_device_code, 0x37);
  assert.match(journalLine(ru, entry).text, /ККТ не напечатала его кодом: .+/);
});
