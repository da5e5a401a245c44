// Golden byte vectors (real device traces and frames computed from protocol v1.17; sources in
// docs/kkt.md), plus the frame decoder's validation and the answer/field parsers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder, encodeFrame, lrc } from '../../src/shtrih-protocol/frame.ts';
import { ProtocolError } from '../../src/shtrih-protocol/bytes.ts';
import { Cmd, parseAnswer } from '../../src/shtrih-protocol/codes.ts';
import {
  cancelReceiptRequest,
  closeReceiptV2Request,
  openReceiptRequest,
  operationV2Request,
  parseCloseReceiptV2,
} from '../../src/shtrih-protocol/receipt-commands.ts';
import {
  openShiftRequest,
  xReportRequest,
  zReportRequest,
} from '../../src/shtrih-protocol/shift-commands.ts';
import {
  findDocumentRequest,
  fnStatusRequest,
  ofdExchangeStatusRequest,
  parseFindDocument,
  parseFnStatus,
  parseShortStatus,
  shiftParametersRequest,
  shortStatusRequest,
} from '../../src/shtrih-protocol/status-commands.ts';
import { tlv, tlvString, writeTlvRequest } from '../../src/shtrih-protocol/tlv.ts';
import { describeDeviceError, errorOrigin } from '../../src/shtrih-protocol/device-errors.ts';
import { SHTRIH_NANO_VAT_BYTES, vatByte } from '../../src/shtrih-protocol/vat.ts';

const bytes = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const frameOf = (payload: Buffer) => encodeFrame(payload).toString('hex').toUpperCase();
const expectFrame = (payload: Buffer, vector: string) =>
  assert.equal(frameOf(payload), bytes(vector).toString('hex').toUpperCase());

/** Decodes a whole frame with the incremental decoder and returns the payload. */
function decodeOne(frame: Buffer): Buffer {
  const d = new FrameDecoder();
  let out: Buffer | null = null;
  for (const b of frame) {
    const ev = d.push(b);
    if (ev) {
      assert.equal(ev.type, 'frame', `unexpected decoder event ${ev.type}`);
      if (ev.type === 'frame') out = ev.payload;
    }
  }
  assert.ok(out, 'frame not complete');
  return out;
}

test('10h request and FF01h request match the device trace', () => {
  expectFrame(shortStatusRequest(30), '02 05 10 1E 00 00 00 0B');
  expectFrame(fnStatusRequest(30), '02 06 FF 01 1E 00 00 00 E6');
});

test('10h responses from the trace decode to mode, sub-mode and operation count', () => {
  const open = parseAnswer(
    Cmd.SHORT_STATUS,
    decodeOne(bytes('02 10 10 00 1E 92 02 08 00 01 9F E5 18 01 00 8B 02 00 6D')),
  );
  assert.equal(open.error, 0);
  const s1 = parseShortStatus(open.data);
  assert.equal(s1.operator, 30);
  assert.equal(s1.mode, 8);
  assert.equal(s1.modeStatus, 0);
  assert.equal(s1.submode, 0);
  assert.equal(s1.operationsInReceipt, 1);
  assert.equal(s1.receiptPaperPresent, true);
  assert.equal(s1.coverOpen, false);
  const s2 = parseShortStatus(
    parseAnswer(
      Cmd.SHORT_STATUS,
      decodeOne(bytes('02 10 10 00 1E 92 02 02 00 00 9F E5 18 01 00 92 08 00 75')),
    ).data,
  );
  assert.equal(s2.mode, 2);
  assert.equal(s2.operationsInReceipt, 0);
});

test('88h request/response and an error answer match the vectors', () => {
  expectFrame(cancelReceiptRequest(30), '02 05 88 1E 00 00 00 93');
  const ok = parseAnswer(Cmd.CANCEL_RECEIPT, decodeOne(bytes('02 03 88 00 1E 95')));
  assert.deepEqual([ok.error, ok.data[0]], [0, 0x1e]);
  const err = parseAnswer(Cmd.CANCEL_RECEIPT, decodeOne(bytes('02 02 88 4F C5')));
  assert.equal(err.error, 0x4f);
});

test('E0h, 40h, 41h, 8Dh, FF39h, FF40h requests match the computed vectors', () => {
  expectFrame(openShiftRequest(30), '02 05 E0 1E 00 00 00 FB');
  expectFrame(xReportRequest(30), '02 05 40 1E 00 00 00 5B');
  expectFrame(zReportRequest(30), '02 05 41 1E 00 00 00 5A');
  expectFrame(openReceiptRequest(30, 0), '02 06 8D 1E 00 00 00 00 95');
  expectFrame(openReceiptRequest(30, 2), '02 06 8D 1E 00 00 00 02 97');
  expectFrame(ofdExchangeStatusRequest(30), '02 06 FF 39 1E 00 00 00 DE');
  expectFrame(shiftParametersRequest(30), '02 06 FF 40 1E 00 00 00 A7');
});

test('FF46h: приход 2.5 × 100.00, VAT 20 %, method 4, subject 1, "Хлеб"', () => {
  const payload = operationV2Request({
    password: 30,
    operation: 1,
    quantityMicro: 2_500_000,
    priceKop: 10_000,
    sumKop: null,
    taxKop: null,
    vatByte: vatByte('vat20'),
    department: 1,
    paymentMethod: 4,
    paymentSubject: 1,
    name: 'Хлеб',
  });
  expectFrame(
    payload,
    '02 24 FF 46 1E 00 00 00 01 A0 25 26 00 00 00 10 27 00 00 00 FF FF FF FF FF FF FF FF FF FF 01 01 04 01 D5 EB E5 E1 29',
  );
});

test('FF45h: cash 250.00, ОСН, no text', () => {
  const payload = closeReceiptV2Request({ password: 30, cashKop: 25_000, electronicKop: [], taxSystem: 1 });
  expectFrame(payload, `02 76 FF 45 1E 00 00 00 A8 61 00 00 00 ${'00 '.repeat(106)} 01 1A`);
});

test('FF0Ch with tag 1021 "Иванов И.И." in CP866', () => {
  expectFrame(
    writeTlvRequest(30, tlvString(1021, 'Иванов И.И.')),
    '02 15 FF 0C 1E 00 00 00 FD 03 0B 00 88 A2 A0 AD AE A2 20 88 2E 88 2E 06',
  );
});

test('STLV 1224 from the PHP tests encodes byte for byte', () => {
  const inner = Buffer.concat([tlvString(1171, '+79123456789'), tlv(1225, Buffer.from([0x80]))]);
  assert.equal(tlv(1224, inner).toString('hex'), 'c804150093040c002b3739313233343536373839c904010080');
});

test('FF45h, FF0Ah and FF01h answers from the vectors decode', () => {
  const close = parseAnswer(Cmd.CLOSE_RECEIPT_V2, bytes('FF 45 00 00 00 00 00 00 B3 60 03 00 DB 45 DB 70'));
  assert.deepEqual(parseCloseReceiptV2(close.data), {
    changeKop: 0,
    fdNumber: 221363,
    fiscalSign: 1893418459,
    datetime: null,
  });
  const doc = parseFindDocument(
    parseAnswer(
      Cmd.FIND_DOCUMENT,
      bytes('FF 0A 00 03 00 12 06 15 06 25 F9 B2 00 00 79 58 50 F5 01 F0 49 02 00 00'),
    ).data,
  );
  assert.deepEqual(doc, {
    docType: 3,
    ofdAcknowledged: false,
    datetime: { year: 2018, month: 6, day: 21, hour: 6, minute: 37 },
    fdNumber: 45817,
    fiscalSign: 4115683449,
    operation: 1,
    amountKop: 150_000,
  });
  const fnFrame = Buffer.concat([
    bytes('02 21 FF 01 00 03 00 00 01 00 15 07 1D 0B 1D'),
    Buffer.from('9287440301120991', 'latin1'),
    bytes('A9 01 00 00 68'),
  ]);
  const fn = parseFnStatus(parseAnswer(Cmd.FN_STATUS, decodeOne(fnFrame)).data);
  assert.equal(fn.fnNumber, '9287440301120991');
  assert.equal(fn.lastFdNumber, 425);
  assert.equal(fn.shiftOpen, true);
  assert.equal(fn.lifePhase, 3);
  assert.deepEqual(fn.fnDatetime, { year: 2021, month: 7, day: 29, hour: 11, minute: 29 });
  assert.ok(findDocumentRequest(30, 45817).length === 10);
});

test('FF-command error answers: both `FF sub ERR` and `FF ERR` forms', () => {
  assert.equal(parseAnswer(Cmd.CLOSE_RECEIPT_V2, bytes('FF 45 45')).error, 0x45);
  assert.equal(parseAnswer(Cmd.CLOSE_RECEIPT_V2, bytes('FF 4D')).error, 0x4d);
  assert.throws(() => parseAnswer(Cmd.CLOSE_RECEIPT_V2, bytes('FF 46 00')), ProtocolError);
  assert.throws(() => parseAnswer(Cmd.SHORT_STATUS, bytes('11 00 1E')), /another command 11h/);
  assert.throws(() => parseAnswer(Cmd.SHORT_STATUS, bytes('10')), ProtocolError);
  assert.throws(() => parseShortStatus(bytes('1E 92 02')), /too short/);
});

test('decoder: bad LRC, zero length, control bytes and noise are reported, not swallowed', () => {
  const d = new FrameDecoder();
  const events = [...bytes('FF 05 06 15 02 03 88 00 1E 00 02 00')]
    .map((b) => d.push(b))
    .filter((e) => e !== null);
  assert.deepEqual(
    events.map((e) => e.type),
    ['noise', 'control', 'control', 'control', 'bad_lrc', 'bad_length'],
  );
  assert.equal(lrc(bytes('88 00 1E')), 0x95);
  assert.throws(() => encodeFrame(Buffer.alloc(0)), RangeError);
  assert.throws(() => encodeFrame(Buffer.alloc(256)), RangeError);
});

test('VAT bytes: 22 % = 0xCB and 22/122 = 0xCC (Nano: 0x90/0xA0); 5 %/7 % extended codes', () => {
  assert.equal(vatByte('vat22'), 0xcb);
  assert.equal(vatByte('vat122'), 0xcc);
  assert.equal(vatByte('vat5'), 0x81);
  assert.equal(vatByte('vat7'), 0x82);
  assert.equal(vatByte('none'), 0x08);
  assert.equal(vatByte('vat0'), 0x04);
  assert.equal(vatByte('vat22', SHTRIH_NANO_VAT_BYTES), 0x90);
});

test('error codes: FN vs KKT origin and cashier-readable text', () => {
  assert.equal(errorOrigin(0x14), 'fn');
  assert.equal(errorOrigin(0xa3), 'fn');
  assert.equal(errorOrigin(0x6b), 'kkt');
  assert.match(describeDeviceError(0x6b).ru, /бумаг/);
  assert.match(describeDeviceError(0x4e).ru, /24 часа/);
  assert.match(describeDeviceError(0xee).ru, /ККТ: ошибка EEh/);
});
