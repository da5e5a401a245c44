// Registration, FN health and device information on the byte-level emulator, in memory: what FCh, 11h,
// FF03h, FF01h's warning byte, FF09h and the FFD version field answer; the tax system a receipt carries
// (FF45h) and the device's refusal of one it is not registered for; the driver's status built from them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryChannel } from '../../src/shtrih-protocol/memory-channel.ts';
import { KktEmulator } from '../../src/kkt-emulator/emulator.ts';
import { ShtrihLink } from '../../src/main/core/kkt/shtrih/link.ts';
import { Cmd, parseAnswer, withPassword } from '../../src/shtrih-protocol/codes.ts';
import {
  deviceTypeRequest,
  ffdVersionRequest,
  fnExpiryRequest,
  fullStatusRequest,
  parseDeviceType,
  parseFfdVersion,
  parseFnExpiry,
  parseFullStatus,
} from '../../src/shtrih-protocol/device-info-commands.ts';
import {
  fnStatusRequest,
  parseFnStatus,
  parseRegistrationResult,
  parseShortStatus,
  registrationResultRequest,
  shortStatusRequest,
} from '../../src/shtrih-protocol/status-commands.ts';
import {
  closeReceiptV2Request,
  openReceiptRequest,
  operationV2Request,
} from '../../src/shtrih-protocol/receipt-commands.ts';
import { openShiftRequest } from '../../src/shtrih-protocol/shift-commands.ts';
import { KktError } from '../../src/shared/errors.ts';
import { fnHealth } from '../../src/shared/fn-health.ts';
import { FAST_LINK, TestClock, line, rig, sale, tempDir } from './helpers.ts';
import { join } from 'node:path';

/** A raw host: the driver's link layer and nothing else, so each command's bytes are the test's own. */
function rawRig(options: ConstructorParameters<typeof KktEmulator>[1] = {}) {
  const [host, device] = MemoryChannel.pair();
  const clock = new TestClock();
  const emulator = new KktEmulator(device, { clock: clock.now, answerAckTimeoutMs: 300, ...options });
  const link = new ShtrihLink(host, FAST_LINK);
  const send = async (payload: Buffer) => Buffer.from(await link.exchange(payload));
  const ok = async (payload: Buffer, code: number) => {
    const a = parseAnswer(code, await send(payload));
    assert.equal(a.error, 0, `${code.toString(16)} answered error ${a.error.toString(16)}`);
    return a.data;
  };
  return {
    emulator,
    clock,
    send,
    ok,
    close: async () => {
      await link.close();
      await emulator.close();
    },
  };
}

test('FCh answers without a password: type, protocol 1.14, model 250 (ШТРИХ-М-01Ф), the emulator named', async () => {
  const r = rawRig();
  try {
    const raw = await r.send(deviceTypeRequest());
    assert.deepEqual([...raw.subarray(0, 8)], [0xfc, 0x00, 0, 0, 1, 14, 250, 0]);
    const t = parseDeviceType(parseAnswer(Cmd.DEVICE_TYPE, raw).data);
    assert.equal(t.model, 250);
    assert.equal(t.name, 'ШТРИХ-М-01Ф ЭМУЛЯТОР');
  } finally {
    await r.close();
  }
});

test('11h: real dates, and the same flags word as 10h (paper, then an open cover)', async () => {
  const r = rawRig({ identity: { inn: '7712345678' } });
  try {
    for (const coverOpen of [false, true]) {
      r.emulator.setCoverOpen(coverOpen);
      const short = parseShortStatus(await r.ok(shortStatusRequest(1), Cmd.SHORT_STATUS));
      const full = parseFullStatus(await r.ok(fullStatusRequest(1), Cmd.FULL_STATUS));
      assert.equal(full.flags, short.flags);
      assert.notEqual(full.flags, 0);
      assert.equal((full.flags & 0x0400) !== 0, coverOpen);
      assert.equal(full.mode, short.mode);
      for (const d of [full.firmwareDate, full.fpDate, full.date]) {
        assert.ok(d.day >= 1 && d.day <= 31 && d.month >= 1 && d.month <= 12, JSON.stringify(d));
      }
      assert.deepEqual(full.date, { day: 2, month: 3, year: 2026 });
      assert.equal(full.firmwareVersion, 'A.4');
      assert.equal(full.inn, '7712345678');
      assert.equal(full.serial, 12_345_678);
    }
  } finally {
    await r.close();
  }
});

test('the FFD 1.0 receipt commands 80h/82h/85h answer 37h, as an FFD 1.2 device does; the FFD field says 1.2', async () => {
  const r = rawRig();
  try {
    for (const code of [Cmd.LEGACY_SALE, Cmd.LEGACY_SALE_RETURN, Cmd.LEGACY_CLOSE_RECEIPT]) {
      const a = parseAnswer(code, await r.send(withPassword(code, 1, Buffer.alloc(50))));
      assert.equal(a.error, 0x37);
    }
    assert.equal(parseFfdVersion(await r.ok(ffdVersionRequest(30), Cmd.READ_TABLE)), '1.2');
  } finally {
    await r.close();
  }
});

test('FF03h and FF01h warning bits follow the FN validity date; the control API sets memory and OFD-timeout bits', async () => {
  // The test clock stands at 2026-03-02 09:00.
  const cases: [string, number][] = [
    ['2027-01-01', 0x00],
    ['2026-03-31', 0x02], // 28 days: replacement within 30 days
    ['2026-03-04', 0x03], // 1.6 days: urgent
  ];
  for (const [expires, flags] of cases) {
    const r = rawRig({ registration: { fnExpiresOn: expires } });
    try {
      const e = parseFnExpiry(await r.ok(fnExpiryRequest(30), Cmd.FN_EXPIRY));
      assert.equal(e.expiresOn, expires);
      assert.equal(e.reregistrationsLeft, 11);
      assert.equal(parseFnStatus(await r.ok(fnStatusRequest(30), Cmd.FN_STATUS)).warningFlags, flags);
      r.emulator.setFnWarning('memory_almost_full', true);
      r.emulator.setFnWarning('ofd_timeout', true);
      assert.equal(parseFnStatus(await r.ok(fnStatusRequest(30), Cmd.FN_STATUS)).warningFlags, flags | 0x0c);
    } finally {
      await r.close();
    }
  }
});

test('FF09h answers the FFD 1.1+ form with the registered tax systems; FF45h refuses an unregistered one with 35h', async () => {
  const r = rawRig({ registration: { taxSystems: 0x02 | 0x20 } }); // УСН доход + ПСН
  try {
    const reg = parseRegistrationResult(await r.ok(registrationResultRequest(30), Cmd.REGISTRATION_RESULT));
    assert.equal(reg.taxSystems, 0x22);
    assert.equal(reg.regNumber, '0000000001012345');
    assert.notEqual(reg.ofdInn, null, 'the 64-byte form');
    await r.ok(openShiftRequest(30), Cmd.OPEN_SHIFT);
    const receipt = async (taxSystem: number) => {
      await r.ok(openReceiptRequest(30, 0), Cmd.OPEN_RECEIPT);
      await r.ok(
        operationV2Request({
          password: 30,
          operation: 1,
          quantityMicro: 1_000_000,
          priceKop: 10_000,
          sumKop: null,
          taxKop: null,
          vatByte: 0x08,
          department: 1,
          paymentMethod: 4,
          paymentSubject: 1,
          name: 'Хлеб',
        }),
        Cmd.OPERATION_V2,
      );
      return parseAnswer(
        Cmd.CLOSE_RECEIPT_V2,
        await r.send(closeReceiptV2Request({ password: 30, cashKop: 10_000, electronicKop: [], taxSystem })),
      );
    };
    assert.equal((await receipt(0x01)).error, 0x35, 'ОСН is not registered');
    assert.equal(r.emulator.archive.filter((d) => d.type === 3).length, 0, 'nothing fiscalised');
    await r.send(withPassword(Cmd.CANCEL_RECEIPT, 30));
    assert.equal((await receipt(0x20)).error, 0, 'ПСН is');
    assert.equal(r.emulator.archive.filter((d) => d.type === 3).length, 1);
  } finally {
    await r.close();
  }
});

test('the driver reads the registration and the FN into its status, and sends the tax system in use', async () => {
  const r = await rig({
    driver: { taxSystem: 'patent' },
    emulator: { registration: { taxSystems: 0x22, fnExpiresOn: '2026-03-20' } },
  });
  try {
    const s = await r.kkt.status();
    assert.deepEqual(s.taxSystems, ['usn_income', 'patent']);
    assert.equal(s.taxSystem, 'patent');
    assert.equal(s.taxSystemProblem, null);
    assert.equal(s.ffdVersion, '1.2');
    assert.equal(s.fnExpiresOn, '2026-03-20');
    assert.deepEqual(s.fnWarnings, ['replace_soon']);
    await r.kkt.printReceipt(sale([line('Хлеб', 5_000)]));
    // The FN health rule on the device's clock: 17 days left → warning.
    const h = fnHealth(s, r.clock.now().getTime());
    assert.equal(h.level, 'warning');
    assert.equal(h.daysToExpiry, 17);
  } finally {
    await r.close();
  }
});

test('a configured system the KKT is not registered for: status says mismatch, the driver refuses the receipt, nothing printed', async () => {
  const r = await rig({ driver: { taxSystem: 'osn' }, emulator: { registration: { taxSystems: 0x22 } } });
  try {
    const s = await r.kkt.status();
    assert.equal(s.taxSystem, null);
    assert.equal(s.taxSystemProblem, 'mismatch');
    await assert.rejects(r.kkt.printReceipt(sale([line('Хлеб', 5_000)])), (e: unknown) => {
      assert.ok(e instanceof KktError && e.failure === 'refused');
      assert.match(e.message, /osn.*usn_income, patent/);
      return true;
    });
    assert.equal(r.emulator.archive.length, 0);
  } finally {
    await r.close();
  }
});

test('several registered and none configured: not guessed (not_chosen); one registered: used', async () => {
  const several = await rig({ emulator: { registration: { taxSystems: 0x03 } } });
  try {
    const s = await several.kkt.status();
    assert.equal(s.taxSystemProblem, 'not_chosen');
    await assert.rejects(several.kkt.printReceipt(sale([line('Хлеб', 5_000)])), KktError);
  } finally {
    await several.close();
  }
  const one = await rig({ emulator: { registration: { taxSystems: 0x04 } } });
  try {
    assert.equal((await one.kkt.status()).taxSystem, 'usn_income_expense');
    await one.kkt.printReceipt(sale([line('Хлеб', 5_000)]));
  } finally {
    await one.close();
  }
});

test('a registration given at start is written over a stored state and persists', async () => {
  const t = tempDir();
  const statePath = join(t.dir, 'state.json');
  try {
    const clock = new TestClock();
    const first = new KktEmulator(MemoryChannel.pair()[1], { statePath, clock: clock.now });
    assert.equal(first.snapshot().identity.fnExpiresOn, '2029-03-02', 'a fresh FN: 36 months');
    assert.equal(first.snapshot().identity.taxSystems, 0x01);
    await first.close();
    const second = new KktEmulator(MemoryChannel.pair()[1], {
      statePath,
      clock: clock.now,
      registration: { taxSystems: 0x20, fnExpiresOn: '2026-12-31' },
    });
    await second.close();
    const third = new KktEmulator(MemoryChannel.pair()[1], { statePath, clock: clock.now });
    assert.equal(third.snapshot().identity.taxSystems, 0x20);
    assert.equal(third.snapshot().identity.fnExpiresOn, '2026-12-31');
    await third.close();
  } finally {
    t.cleanup();
  }
});
