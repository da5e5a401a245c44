// The error taxonomy itself: one list of codes, the KKT's two failures as two codes, the device's own
// code and a machine-readable reason in details, and a typo'd code that does not compile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ERROR_CODES,
  KKT_REASONS,
  KktError,
  KktRefusedError,
  RENDERER_ERROR_CODES,
  STATION_ERROR_CODES,
  StationError,
  kktReasonOf,
  type CommandError,
} from '../src/shared/errors.ts';
import { toWireError } from '../src/main/app/wire-error.ts';
import { silentLogger } from '../src/main/core/logger.ts';
import { deviceFault } from '../src/main/core/kkt/shtrih/device-fault.ts';
import { DeviceErrorCode } from '../src/shtrih-protocol/device-errors.ts';
import { PrinterSubmode } from '../src/shtrih-protocol/codes.ts';
import type { ShortStatus } from '../src/shtrih-protocol/status-commands.ts';

test("every code is listed once: the station's and the renderer's own are apart", () => {
  assert.equal(new Set(ERROR_CODES).size, ERROR_CODES.length);
  assert.equal(ERROR_CODES.length, STATION_ERROR_CODES.length + RENDERER_ERROR_CODES.length);
  assert.ok(STATION_ERROR_CODES.includes('kkt_outcome_unknown'));
  assert.ok(
    !(STATION_ERROR_CODES as readonly string[]).includes('print_unconfirmed'),
    'made by the renderer, never answered by the station',
  );
});

test("a typo'd code does not compile", () => {
  // @ts-expect-error 'kkt_refsued' is not an ErrorCode
  const typo = new StationError('kkt_refsued', 503, 'typo');
  // @ts-expect-error nor is any code the taxonomy does not list
  const wire: CommandError = { code: 'paper', message: 'typo' };
  assert.ok(typo && wire);
});

test("a refusal is kkt_refused, a lost answer kkt_outcome_unknown; both 503 with the device's code in details", () => {
  const refused = new KktError('refused', 'Нет бумаги', deviceFault(DeviceErrorCode.NO_PAPER));
  assert.equal(refused.code, 'kkt_refused');
  assert.equal(refused.httpStatus, 503);
  assert.deepEqual(refused.details, {
    reason: 'paper_out',
    device_code: 0x6b,
    device_code_hex: '6Bh',
    device_message: 'Нет бумаги в ККТ — вставьте новый рулон чековой ленты',
  });
  const lost = new KktError('outcome_unknown', 'ответ потерян');
  assert.equal(lost.code, 'kkt_outcome_unknown');
  assert.equal(lost.httpStatus, 503);
  assert.equal(lost.details, undefined, 'no device code, no reason: no details');
  const wire = toWireError(lost, silentLogger, 'test');
  assert.deepEqual(wire, { status: 503, error: { code: 'kkt_outcome_unknown', message: 'ответ потерян' } });
});

test("a refused sale names the receipt, the KKT's words and the device's fault", () => {
  const cause = new KktError('refused', 'Нет бумаги', deviceFault(DeviceErrorCode.NO_PAPER));
  const e = new KktRefusedError({ id: 'r1', status: 'print_failed' }, cause);
  assert.equal(e.code, 'kkt_refused');
  assert.deepEqual(e.details, {
    receipt_id: 'r1',
    receipt_status: 'print_failed',
    kkt_message: 'Нет бумаги',
    reason: 'paper_out',
    device_code: 0x6b,
    device_code_hex: '6Bh',
    device_message: 'Нет бумаги в ККТ — вставьте новый рулон чековой ленты',
  });
  assert.equal(kktReasonOf({ code: e.code, message: e.message, details: e.details }), 'paper_out');
  assert.equal(
    kktReasonOf({ code: 'refund_not_allowed', message: '', details: { reason: 'not_synced' } }),
    undefined,
    'only a KKT reason',
  );
});

test('device codes map to reasons in one table; "not in this sub-mode" (72h) takes its reason from the printer status', () => {
  const status = (s: Partial<ShortStatus>): ShortStatus => ({
    operator: 30,
    flags: 0,
    mode: 2,
    modeStatus: 0,
    submode: PrinterSubmode.READY,
    operationsInReceipt: 0,
    receiptPaperPresent: true,
    coverOpen: false,
    ...s,
  });
  assert.equal(deviceFault(DeviceErrorCode.SHIFT_24H).reason, 'shift_expired');
  assert.equal(deviceFault(DeviceErrorCode.NOT_ENOUGH_CASH).reason, 'not_enough_cash');
  assert.equal(deviceFault(DeviceErrorCode.BAD_PARAMS).reason, undefined, 'nothing a program can act on');
  assert.equal(deviceFault(DeviceErrorCode.SUBMODE, status({ coverOpen: true })).reason, 'cover_open');
  assert.equal(
    deviceFault(DeviceErrorCode.SUBMODE, status({ submode: PrinterSubmode.PAPER_OUT_PASSIVE })).reason,
    'paper_out',
  );
  assert.equal(
    deviceFault(DeviceErrorCode.SUBMODE, status({ submode: PrinterSubmode.AWAITING_CONTINUE })).reason,
    'paper_out',
  );
  assert.equal(deviceFault(DeviceErrorCode.SUBMODE, status({})).reason, undefined);
  assert.equal(deviceFault(DeviceErrorCode.SUBMODE).reason, undefined, 'no status, no guess');
  for (const code of Object.values(DeviceErrorCode)) {
    const reason = deviceFault(code).reason;
    assert.ok(reason === undefined || KKT_REASONS.includes(reason));
  }
});
