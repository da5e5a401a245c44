// The journal and the failed-sends queue in the cashier's words: entries the station writes carry a
// code and parameters, the UI words them in Russian without English left over (the device's or the
// OFD's own words, appended as details, aside); an old entry without a code shows its stored line;
// the journal filter finds a Russian word; a real station driven at the till and over REST journals
// nothing a Russian reader would find English in (who did it included). And ru.ts and en.ts have the
// same keys, nested ones too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../src/main/core/buffer/database.ts';
import { HybridClock } from '../src/main/core/buffer/hlc.ts';
import { Journal } from '../src/main/core/buffer/journal.ts';
import { ReceiptStore } from '../src/main/core/buffer/receipt-store.ts';
import { parseReceiptRequest } from '../src/main/core/fiscal/receipt-request.ts';
import { dlqView, journalView } from '../src/main/app/views.ts';
import { JOURNAL_CODES, type JournalParams } from '../src/shared/journal-codes.ts';
import type { JournalEntryView } from '../src/shared/contract.ts';
import { ru } from '../src/renderer/i18n/ru.ts';
import { en } from '../src/renderer/i18n/en.ts';
import { journalLine, journalSearchText } from '../src/renderer/i18n/journal-line.ts';
import { loadConfig } from '../src/main/core/config.ts';
import { silentLogger } from '../src/main/core/logger.ts';
import { SETTINGS_PATCH_SCHEMA } from '../src/main/core/settings.ts';
import { startStationApp } from '../src/main/app/station-app.ts';
import { startRestApi } from '../src/main/rest/rest-api.ts';
import type { CommandName } from '../src/shared/contract.ts';
import { saleBody, tempDir, TEST_TOKEN } from './helpers/fixture.ts';

/** Latin words a Russian till uses on purpose (X/Z reports, PIN); anything else is English left over. */
const ALLOWED_LATIN = new Set(['X', 'Z', 'PIN', 'QR']);
function latinWords(text: string): string[] {
  return (text.match(/[A-Za-z]+/g) ?? []).filter((w) => !ALLOWED_LATIN.has(w));
}

function openStore(file: string) {
  const db = openDatabase(file);
  const clock = new HybridClock(db, Date.now);
  const journal = new Journal(db, clock);
  return { db, journal, store: new ReceiptStore(db, clock, journal) };
}

test('what the receipt store journals renders in Russian, from its code and parameters', (t) => {
  const { db, journal, store } = openStore(join(tempDir(t), 'b.sqlite'));
  t.after(() => db.close());
  const draft = parseReceiptRequest(saleBody());
  const add = (id: string) => store.insertAccepted({ id, idempotencyKey: id, requestHash: 'h', draft }, 10);
  const fiscal = (fd: number) => ({
    fdNumber: fd,
    fiscalSign: 3_000_000 + fd,
    fnNumber: '9999078900000001',
    kktRegNumber: '0000000001012345',
    shiftNumber: 1,
    receiptNumber: fd,
    fiscalDatetime: '2026-11-28T10:00:00',
    totalKop: draft.totalKop,
    changeKop: 0,
    qr: 'qr',
  });

  add('a');
  store.markPrinting('a');
  store.markPrinted('a', fiscal(7));
  store.recordSendFailure('a', 'OFD error 503', Date.now());
  store.moveToDlq('a', 'the OFD rejected it (422)', 'OFD rejected the receipt (422): bad INN', true, {
    code: 'ofd_rejected',
    status: 422,
    detail: 'bad INN',
  });
  store.retryFromDlq('a', 'Менеджер');
  store.markSynced('a', 'ofd-1', false);
  add('b');
  store.markPrinting('b');
  store.markPrintFailed('b', 'paper out');
  store.voidReceipt('b', 'аннулирован менеджером');

  const entries = journal.recent(50).map(journalView);
  assert.ok(entries.length >= 9);
  for (const e of entries) {
    assert.ok(e.code, `${e.kind} has a code`);
    const line = journalLine(ru, e);
    const details = ['detail', 'note', 'last_failure'].map((k) => e.params?.[k]).filter(Boolean);
    const words = details.reduce<string>((text, d) => text.replace(String(d), ''), line.text);
    assert.deepEqual(latinWords(`${line.kind} ${words}`), [], `${e.code}: «${line.kind}: ${line.text}»`);
  }
  const texts = entries.map((e) => journalLine(ru, e).text);
  assert.ok(
    texts.some((x) => /^Продажа на [\d ]+,\d\d ₽ принята$/.test(x)),
    texts.join('\n'),
  );
  assert.ok(texts.includes('Чек напечатан: ФД 7, ФП 3000007'));
  assert.ok(
    texts.includes(
      'Чек перенесён в очередь ошибок отправки. ОФД отклонил чек (код ответа 422). Ответ ОФД: bad INN',
    ),
  );
  assert.ok(texts.includes('Чек возвращён из очереди ошибок в очередь отправки (Менеджер)'));
  assert.ok(texts.includes('Чек не напечатан: paper out'));
});

test('a failed OFD send and a paused OFD connection are worded from the failure code, English only as a detail of old entries', (t) => {
  const { db, journal, store } = openStore(join(tempDir(t), 'b.sqlite'));
  t.after(() => db.close());
  const draft = parseReceiptRequest(saleBody());
  store.insertAccepted({ id: 'a', idempotencyKey: 'a', requestHash: 'h', draft }, 10);
  store.markPrinting('a');
  store.markPrinted('a', {
    fdNumber: 1,
    fiscalSign: 1,
    fnNumber: '9999078900000001',
    kktRegNumber: '0000000001012345',
    shiftNumber: 1,
    receiptNumber: 1,
    fiscalDatetime: '2026-11-28T10:00:00',
    totalKop: draft.totalKop,
    changeKop: 0,
    qr: 'qr',
  });
  store.recordSendFailure('a', 'OFD error 503', Date.now(), { code: 'http_status', params: { status: 503 } });
  store.recordSendFailure('a', 'OFD error 502', Date.now()); // as an older build stored it: text only
  const [withoutCode, withCode] = journal
    .recent(10, 'a')
    .filter((e) => e.kind === 'receipt_send_failed')
    .map(journalView);
  assert.equal(
    journalLine(ru, withCode!).text,
    'Отправка в ОФД не удалась (попытка 1): ОФД ответил ошибкой 503',
  );
  assert.equal(
    journalLine(en, withCode!).text,
    'Sending to the OFD failed (attempt 1): The OFD answered with error 503',
  );
  assert.equal(journalLine(ru, withoutCode!).text, 'Отправка в ОФД не удалась (попытка 2): OFD error 502');

  const paused = (params: JournalParams): JournalEntryView => ({
    id: 9,
    at: '2026-11-30T10:00:00Z',
    kind: 'breaker_opened',
    receiptId: null,
    message: 'OFD breaker opened after 5 failures in a row',
    code: 'breaker_opened',
    params,
  });
  const why = { code: 'timeout', params: { ms: 10_000 } };
  assert.equal(
    journalLine(ru, paused({ failures: 5, last_failure: 'timeout after 10000 ms', last_failure_why: why }))
      .text,
    'Связь с ОФД: пауза после 5 сбоев подряд; касса попробует снова сама: ОФД не ответил за 10 с',
  );
  // A stored code that is not one (a damaged or foreign entry) falls back to the stored text.
  assert.match(
    journalLine(ru, paused({ failures: 5, last_failure: 'socket hang up', last_failure_why: { code: 'x' } }))
      .text,
    /: socket hang up$/,
  );
});

test('a dead letter keeps its reason as a code with parameters, worded by the UI', (t) => {
  const { db, store } = openStore(join(tempDir(t), 'b.sqlite'));
  t.after(() => db.close());
  const draft = parseReceiptRequest(saleBody());
  for (const id of ['x', 'y', 'old']) {
    store.insertAccepted({ id, idempotencyKey: id, requestHash: 'h', draft }, 10);
    store.markPrinting(id);
  }
  const f = (fd: number) => ({
    fdNumber: fd,
    fiscalSign: fd,
    fnNumber: '1',
    kktRegNumber: '1',
    shiftNumber: 1,
    receiptNumber: fd,
    fiscalDatetime: '2026-11-28T10:00:00',
    totalKop: draft.totalKop,
    changeKop: 0,
    qr: 'qr',
  });
  store.markPrinted('x', f(1));
  store.markPrinted('y', f(2));
  store.markPrinted('old', f(3));
  store.moveToDlq('x', 'the OFD rejected it (422)', 'OFD rejected the receipt (422)', true, {
    code: 'ofd_rejected',
    status: 422,
    detail: null,
  });
  store.moveToDlq('y', '5 attempts failed', 'OFD error 503', true, {
    code: 'attempts_exhausted',
    attempts: 5,
    detail: 'OFD error 503',
  });
  store.moveToDlq('old', 'the OFD rejected it (400)', 'bad', true); // as written before codes
  const byId = new Map(store.dlq().map((e) => [e.receiptId, dlqView(e)]));
  assert.deepEqual(byId.get('x')!.why, { code: 'ofd_rejected', status: 422, detail: null });
  assert.equal(ru.dlqReasonText(byId.get('x')!.why!), 'ОФД отклонил чек (код ответа 422)');
  assert.equal(ru.dlqReasonText(byId.get('y')!.why!), 'Все попытки отправки в ОФД (5) не удались');
  assert.equal(byId.get('old')!.why, null);
  assert.equal(byId.get('old')!.reason, 'the OFD rejected it (400)');
});

test('every journal code has Russian and English words with no English in the Russian', () => {
  // Parameters as the station writes them; the free-text ones (device/OFD words) left out.
  const sample: JournalParams = {
    pos_id: 'КАССА-1',
    kkt: 'ККТ Штрих',
    type: 'sale',
    total_kop: 12345,
    fd_number: 12,
    fiscal_sign: 345678,
    ofd_id: 'ofd-1',
    attempts: 3,
    reason_code: 'ofd_rejected',
    status: 422,
    by: 'manager_pin_till', // a code of shared/journal-by.ts, as the station writes it
    via: 'rest',
    count: 3,
    failures: 5,
    total: 4,
    synced: 3,
    failed: 1,
    skipped: 0,
    minutes: 5,
    role: 'cashier',
    name: 'Анна',
    fields: Object.keys(SETTINGS_PATCH_SCHEMA.shape), // every setting the manager may change
    restart_required: true,
    receipts: 2,
    dlq: 1,
    shift_number: 4,
    cashier: 'Анна',
    sales_kop: 100000,
    refunds_kop: 500,
    amount_kop: 50000,
    document_number: 9,
    fn_number: '9999078900000001',
    kkt_last_fd: 120,
    inserted: 10,
    updated: 2,
    code: '000123',
    from: '/старая/касса',
    to: '/данные/касса',
  };
  for (const code of JOURNAL_CODES) {
    const text = ru.journalText[code](sample);
    assert.ok(text.length > 0, code);
    assert.doesNotMatch(text, /undefined|NaN|\[object/, code);
    assert.deepEqual(latinWords(text), [], `${code}: «${text}»`);
    assert.ok(en.journalText[code](sample).length > 0, code);
  }
  for (const kind of Object.keys(ru.journalKind))
    assert.deepEqual(latinWords(ru.journalKind[kind]!), [], kind);
  // Missing parameters read as a dash, never as "undefined".
  for (const code of JOURNAL_CODES) assert.doesNotMatch(ru.journalText[code]({}), /undefined|NaN/, code);
});

test('an entry without a code shows its stored line; the filter searches the words on screen', () => {
  const old: JournalEntryView = {
    id: 1,
    at: '2026-11-01T10:00:00Z',
    kind: 'receipt_printed',
    receiptId: 'r1',
    message: 'Printed: FD 5, FP 123',
    code: null,
    params: null,
  };
  assert.deepEqual(journalLine(ru, old), { kind: 'Чек напечатан', text: 'Printed: FD 5, FP 123' });
  const fresh: JournalEntryView = {
    ...old,
    id: 2,
    kind: 'breaker_opened',
    message: 'OFD breaker opened after 5 failures in a row',
    code: 'breaker_opened',
    params: { failures: 5, last_failure: null },
  };
  const line = journalLine(ru, fresh);
  assert.match(journalSearchText(line, fresh), /пауза после сбоев/);
  assert.match(journalSearchText(line, fresh), /связь с офд/);
  assert.doesNotMatch(journalSearchText(line, fresh), /breaker/);
});

test('ru.ts and en.ts have the same keys, nested tables too', () => {
  const shape = (o: Record<string, unknown>, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? shape(v as Record<string, unknown>, `${prefix}${k}.`)
        : [`${prefix}${k}:${typeof v}`],
    );
  const ruKeys = shape(ru).sort();
  const enKeys = shape(en).sort();
  assert.deepEqual(
    ruKeys.filter((k) => !enKeys.includes(k)),
    [],
    'keys in ru.ts missing from en.ts',
  );
  assert.deepEqual(
    enKeys.filter((k) => !ruKeys.includes(k)),
    [],
    'keys in en.ts missing from ru.ts',
  );
});

test('what a real station journals — at the till and over REST — reads in Russian, who did it included', async (t) => {
  const dataDir = tempDir(t);
  const config = loadConfig({
    STATION_DATA_DIR: dataDir,
    STATION_API_PORT: '0',
    STATION_API_TOKEN: TEST_TOKEN,
  });
  const app = await startStationApp(config, silentLogger, { restApi: startRestApi });
  t.after(() => app.stop());
  const rest = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(app.restUrl + path, {
      method,
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  };
  const ok = async (name: CommandName, arg: unknown) => {
    const r = await app.handle(name, arg);
    assert.ok(r.ok, `${name}: ${JSON.stringify(r)}`);
  };
  const pin = '1357';
  await ok('manager.setPin', { newPin: pin });
  await ok('cashier.create', { pin, cashier: { name: 'Анна', role: 'cashier', pin: '2468' } });
  await rest(
    'POST',
    '/v1/cashiers',
    { name: 'Борис', role: 'cashier', pin: '8642' },
    { 'x-manager-pin': pin },
  );
  await rest('PUT', '/v1/catalog/items', {
    items: [
      { code: '1001', name: 'Хлеб', price: '45.50', vat_rate: '10' },
      { code: '1002', name: 'Молоко', price: '89', vat_rate: '10' },
    ],
  });
  await ok('catalog.upsert', { pin, item: { code: '1003', name: 'Сыр', price: '300', vat_rate: '10' } });
  await rest('PUT', '/v1/catalog/quick-keys', { keys: [{ code: '1001' }] });
  await ok('quickKeys.set', { pin, keys: [{ code: '1002' }, { code: '1003' }] });
  await rest('DELETE', '/v1/catalog/items/1002');
  await rest('POST', '/v1/kkt/receipt', saleBody(), { 'idempotency-key': 'words-1' });
  await ok('receipt.printCopy', {});
  await rest('POST', '/v1/kkt/copy', {});
  await ok('kkt.openDrawer', { pin });
  await rest('POST', '/v1/kkt/drawer/open', {}, { 'x-manager-pin': pin });
  await ok('settings.update', { pin, patch: { bufferCapacity: 5000, cashierDiscountLimitPercent: 15 } });

  const entries = app.station.journal.recent(500).map(journalView);
  const codes = new Set(entries.map((e) => e.code));
  for (const code of ['quick_keys_set', 'cashier_added', 'catalog_imported', 'catalog_item_deleted'] as const)
    assert.ok(codes.has(code), code);
  for (const code of ['receipt_copy_printed', 'drawer_opened', 'settings_changed'] as const)
    assert.ok(codes.has(code), code);
  for (const e of entries) {
    assert.ok(e.code, `${e.kind} has a code: «${e.message}»`);
    const { text } = journalLine(ru, e);
    // The KKT's or the OFD's own words (its name, a failure's detail) and the till's configured id are
    // theirs, shown as they came.
    let ours = text;
    for (const key of ['kkt', 'pos_id', 'detail', 'last_failure', 'error', 'qr_error']) {
      const v = e.params?.[key];
      if (typeof v === 'string' && v) ours = ours.replace(v.trim(), '');
    }
    // So is the system's error code in an OFD failure's words («нет соединения (ECONNREFUSED)»).
    for (const key of ['why', 'last_failure_why']) {
      const error = (e.params?.[key] as { params?: { error?: unknown } } | undefined)?.params?.error;
      if (typeof error === 'string' && error) ours = ours.replace(error, '');
    }
    assert.deepEqual(latinWords(ours), [], `${e.code}: «${text}»`);
  }
  const who = entries.filter((e) => e.params?.by !== undefined).map((e) => journalLine(ru, e).text);
  assert.ok(
    who.some((s) => s.includes('(из учётной системы)')),
    who.join('\n'),
  );
  assert.ok(
    who.some((s) => s.includes('(PIN менеджера, на кассе)')),
    who.join('\n'),
  );
});
