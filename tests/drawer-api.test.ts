// The cash drawer, «Копия чека» and the e-receipt contact (tag 1008) through the real REST API, the
// emulated KKT and the mock OFD: the drawer opens after a cash sale and not after a card one; a drawer
// that fails never fails the sale; the manager's opening needs the PIN; a till without a drawer says so;
// a copy prints text marked КОПИЯ and no fiscal document; 1008 is validated, normalised, reaches the
// KKT's document and the OFD payload.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { openEmulatedKkt } from '../src/main/app/open-kkt.ts';
import type { KktEmulator } from '../src/kkt-emulator/emulator.ts';
import { ManagerPin } from '../src/main/app/manager-pin.ts';
import { DeviceErrorCode } from '../src/shtrih-protocol/device-errors.ts';
import { ru } from '../src/renderer/i18n/ru.ts';
import { saleBody, startFixture } from './helpers/fixture.ts';
import { waitFor } from './helpers/wait.ts';

const PIN = '2468';

async function station(t: TestContext, env: Record<string, string> = {}) {
  let emulator!: KktEmulator;
  const f = await startFixture(t, {
    startWorker: false,
    env,
    kkt: async (dataDir) => ({ emulator } = await openEmulatedKkt({ dataDir })).kkt,
  });
  await new ManagerPin(f.station.cashiers).set(PIN);
  return { ...f, emulator };
}

const journalKinds = (f: { station: { journal: { recent(n: number): { kind: string }[] } } }) =>
  f.station.journal.recent(100).map((e) => e.kind);

test('a cash sale opens the drawer once; a card sale does not', async (t) => {
  const f = await station(t);
  assert.equal((await f.sale('cash')).status, 200);
  await waitFor('the drawer opened', () => f.emulator.drawerOpenings() === 1);
  const card = saleBody({ payments: [{ type: 'card', amount: 180.99 }] });
  assert.equal((await f.sale('card', card)).status, 200);
  assert.equal((await f.sale('cash')).status, 200, 'a replay');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(f.emulator.drawerOpenings(), 1, 'neither the card sale nor the replay opened it');
  assert.ok(journalKinds(f).includes('drawer_opened'));
});

test('a cash in and a cash out open the drawer too', async (t) => {
  const f = await station(t);
  await f.call('POST', '/v1/kkt/shift/open');
  assert.equal((await f.call('POST', '/v1/kkt/cash/in', { amount: 500 })).status, 200);
  await waitFor('opened after the cash in', () => f.emulator.drawerOpenings() === 1);
  assert.equal((await f.call('POST', '/v1/kkt/cash/out', { amount: 100 })).status, 200);
  await waitFor('opened after the cash out', () => f.emulator.drawerOpenings() === 2);
});

test('a drawer that fails: the sale is printed and answered 200; the journal says drawer_failed', async (t) => {
  const f = await station(t);
  f.emulator.faults.failNext(DeviceErrorCode.BAD_PARAMS, { command: 0x28 });
  const res = await f.sale('s1');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  await waitFor('drawer_failed journalled', () => journalKinds(f).includes('drawer_failed'));
  const entry = f.station.journal.recent(100).find((e) => e.kind === 'drawer_failed')!;
  assert.equal(entry.receiptId, res.body.receipt_id);
  assert.equal(f.station.store.get(res.body.receipt_id)!.status, 'printed');
});

test('POST /v1/kkt/drawer/open: the manager PIN is required; with it the drawer opens', async (t) => {
  const f = await station(t);
  assert.equal((await f.call('POST', '/v1/kkt/drawer/open')).body.error, 'pin_required');
  assert.equal((await f.call('POST', '/v1/kkt/drawer/open', {}, { 'x-manager-pin': '1111' })).status, 403);
  assert.equal(f.emulator.drawerOpenings(), 0);
  const ok = await f.call('POST', '/v1/kkt/drawer/open', {}, { 'x-manager-pin': PIN });
  assert.deepEqual([ok.status, ok.body], [200, { opened: true }]);
  assert.equal(f.emulator.drawerOpenings(), 1);
});

test('cashDrawer none: no opening after a cash sale; the manager gets 409 drawer_disabled', async (t) => {
  const f = await station(t, { STATION_CASH_DRAWER: 'none' });
  assert.equal((await f.sale('cash')).status, 200);
  const res = await f.call('POST', '/v1/kkt/drawer/open', {}, { 'x-manager-pin': PIN });
  assert.deepEqual([res.status, res.body.error], [409, 'drawer_disabled']);
  assert.equal(f.emulator.drawerOpenings(), 0);
});

test('POST /v1/kkt/copy: the last receipt or a chosen one, text marked КОПИЯ with FD/FP/QR; no fiscal document', async (t) => {
  const f = await station(t);
  const none = await f.call('POST', '/v1/kkt/copy', {});
  assert.deepEqual([none.status, none.body.error], [404, 'no_receipt_to_copy'], 'nothing printed yet');
  assert.match(ru.errorText({ code: none.body.error, message: none.body.message }), /нет напечатанного/);
  const first = (await f.sale('a')).body;
  const second = (await f.sale('b', saleBody({ payments: [{ type: 'card', amount: 180.99 }] }))).body;
  const lastFd = f.emulator.snapshot().lastFd;
  const tapeBefore = f.emulator.tape.length;

  const last = await f.call('POST', '/v1/kkt/copy');
  assert.equal(last.status, 200, JSON.stringify(last.body));
  assert.equal(last.body.receipt_id, second.receipt_id);
  const tape = f.emulator.tape.slice(tapeBefore);
  assert.match(tape[0]!, /КОПИЯ ЧЕКА/);
  assert.match(tape.at(-1)!, /КОПИЯ/);
  const fd = second.fiscal_doc;
  assert.ok(tape.some((l) => l.startsWith('ФД') && l.endsWith(String(fd.fiscal_doc_number))));
  assert.ok(tape.some((l) => l.startsWith('ФП') && l.endsWith(String(fd.fiscal_sign))));
  // The QR is drawn by the KKT (DDh/DEh) and carries exactly the receipt's fiscal QR string.
  assert.deepEqual(
    tape.filter((l) => l.startsWith('[QR] ')),
    [`[QR] ${fd.qr_code_data}`],
  );
  assert.equal(f.emulator.printedQrCodes.at(-1)!.data, fd.qr_code_data);
  assert.ok(fd.qr_code_data.includes(`i=${fd.fiscal_doc_number}&fp=${fd.fiscal_sign}`));
  assert.ok(tape.some((l) => l.startsWith('БЕЗНАЛИЧНЫМИ')));
  assert.ok(
    tape.every((l) => l.startsWith('[QR] ') || l.length <= 32),
    'every text line fits the narrowest tape',
  );
  const entry = f.station.journal.recent(100).find((e) => e.kind === 'receipt_copy_printed')!;
  assert.equal(entry.data?.qr, 'code');

  const chosen = await f.call('POST', '/v1/kkt/copy', { receipt_id: first.receipt_id });
  assert.equal(chosen.status, 200);
  assert.equal(f.emulator.snapshot().lastFd, lastFd, 'no new fiscal document');
  assert.equal(journalKinds(f).filter((k) => k === 'receipt_copy_printed').length, 2);

  const bad = await f.call('POST', '/v1/kkt/copy', { receipt_id: 5 });
  assert.equal(bad.status, 422);
  assert.equal((await f.call('POST', '/v1/kkt/copy', { receipt_id: 'nope' })).status, 404);
});

test('«Копия чека» on a KKT that cannot draw a QR (37h): printed with the QR as text, journalled why', async (t) => {
  const f = await station(t);
  const sold = (await f.sale('q')).body;
  f.emulator.setBarcodes2d(false);
  const tapeBefore = f.emulator.tape.length;
  const copy = await f.call('POST', '/v1/kkt/copy', {});
  assert.equal(copy.status, 200, JSON.stringify(copy.body));
  const tape = f.emulator.tape.slice(tapeBefore);
  assert.match(tape.at(-1)!, /КОПИЯ/);
  assert.ok(tape.join('').includes(sold.fiscal_doc.qr_code_data), 'the QR string as text lines');
  assert.ok(tape.every((l) => l.length <= 32));
  assert.equal(f.emulator.printedQrCodes.length, 0);
  const entry = f.station.journal.recent(100).find((e) => e.kind === 'receipt_copy_printed')!;
  assert.equal(entry.data?.qr, 'text');
  assert.equal(entry.data?.qr_device_code, 0x37);
  assert.match(String(entry.data?.qr_error), /не поддерживает/);
});

test('«Копия чека» of a receipt the KKT refused: copy_of_unprinted, in Russian words of its own', async (t) => {
  const f = await station(t);
  f.emulator.faults.failNext(DeviceErrorCode.BAD_PARAMS, { command: 0xff46 });
  const refused = await f.sale('refused');
  assert.equal(refused.status, 503, JSON.stringify(refused.body));
  const id = refused.body.details.receipt_id;
  assert.equal(typeof id, 'string');
  const tapeBefore = f.emulator.tape.length;
  const copy = await f.call('POST', '/v1/kkt/copy', { receipt_id: id });
  assert.deepEqual([copy.status, copy.body.error], [409, 'copy_of_unprinted']);
  const words = ru.errorText({ code: copy.body.error, message: copy.body.message });
  assert.match(words, /не был напечатан/);
  assert.doesNotMatch(words, /уже напечатан/);
  assert.equal(f.emulator.tape.length, tapeBefore, 'nothing printed');
  // Nothing printed at all yet: the last receipt's copy has its own code too (not the English fallback).
  const last = await f.call('POST', '/v1/kkt/copy', {});
  assert.deepEqual([last.status, last.body.error], [404, 'no_receipt_to_copy']);
});

test('tag 1008: a phone is normalised and reaches the KKT document and the OFD payload', async (t) => {
  const f = await station(t);
  const res = await f.sale('p', saleBody({ buyer_phone: '8 (916) 123-45-67' }));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const doc = f.emulator.archive.find((d) => d.fd === res.body.fiscal_doc.fiscal_doc_number)!;
  assert.equal(doc.tags?.['1008'], '+79161234567');
  const mail = await f.sale('e', saleBody({ buyer_email: ' buyer@example.ru ' }));
  assert.equal(mail.status, 200);
  await f.station.worker.syncNow();
  const sent = f.ofd.received().map((r) => (r.body as { buyer_contact?: string }).buyer_contact);
  assert.deepEqual(sent.sort(), ['+79161234567', 'buyer@example.ru']);
});

test('tag 1008: a bad phone or e-mail is 422 naming the field; nothing stored or printed', async (t) => {
  const f = await station(t);
  const cases: [Record<string, unknown>, string][] = [
    [{ buyer_phone: '12345' }, 'buyer_phone'],
    [{ buyer_phone: '+1 212 555 0100' }, 'buyer_phone'],
    [{ buyer_email: 'nobody@' }, 'buyer_email'],
    [{ buyer_email: `${'a'.repeat(60)}@example.ru` }, 'buyer_email'],
  ];
  for (const [n, [extra, field]] of cases.entries()) {
    const res = await f.sale(`bad-${n}`, saleBody(extra));
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.ok(
      res.body.details.some((d: { field: string }) => d.field === field),
      `${field} named in ${JSON.stringify(res.body.details)}`,
    );
  }
  assert.equal(f.station.store.recent(10).length, 0);
  assert.equal(f.emulator.snapshot().lastFd, 0);
});
