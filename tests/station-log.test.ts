// The station log a support engineer reads after an outage (issue #9 part 3): a real station with the
// real file logger (electron-log, data dir/logs/station.log) is driven through an OFD outage (the mock
// down → the breaker opens → the mock back → half-open → closed, the backlog sent), a sale refused for
// bad input (422), and a KKT device error (the emulator out of paper → 503). The file then holds each
// event once, in order; no secret written through the logger (the API token, the OFD token, a PIN, a
// buyer's phone or e-mail) reaches the file, and the diagnostics bundle uses the same redaction.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { saleBody, startFixture, tempDir, TEST_TOKEN } from './helpers/fixture.ts';
import { waitFor } from './helpers/wait.ts';
import { fileLogger, LOG_FILE_NAME, REDACTED, redact, redactJson } from '../src/main/core/logger.ts';
import { kktLog, openEmulatedKkt } from '../src/main/app/open-kkt.ts';
import { startOfdMock } from '../src/ofd-mock/server.ts';
import { buildDiagnostics } from '../src/main/app/diagnostics.ts';
import type { KktEmulator } from '../src/kkt-emulator/emulator.ts';

const OFD_TOKEN = 'ofd-secret-token-5f3a9c';
const PIN = '482916';
const PHONE = '+79161234567';
const EMAIL = 'ivan.petrov@example.ru';

test('the station log tells the outage, the refusals and the device error, once each, in order, without secrets', async (t) => {
  const dataDir = tempDir(t);
  const log = fileLogger(dataDir, false);
  const ofd = await startOfdMock({ token: OFD_TOKEN });
  t.after(() => ofd.close());
  let emulator!: KktEmulator;
  const f = await startFixture(t, {
    dataDir,
    ofd,
    log,
    env: {
      STATION_OFD_TOKEN: OFD_TOKEN,
      STATION_SYNC_INTERVAL_MS: '100',
      STATION_BREAKER_THRESHOLD: '2',
      STATION_BREAKER_RESET_MS: '1500',
      STATION_BACKOFF_BASE_MS: '50',
      STATION_BACKOFF_MAX_MS: '200',
    },
    kkt: async (dir) => ({ emulator } = await openEmulatedKkt({ dataDir: dir, driver: kktLog(log) })).kkt,
  });
  const logFile = join(dataDir, 'logs', LOG_FILE_NAME);
  const text = () => readFileSync(logFile, 'utf8');

  // The outage: two sales wait while the OFD is down; the breaker opens after two failures in a row.
  ofd.setMode({ mode: 'down' });
  assert.equal((await f.sale('o1', saleBody({ buyer_phone: PHONE }))).status, 200);
  assert.equal((await f.sale('o2', saleBody({ buyer_email: EMAIL }))).status, 200);
  await waitFor('the breaker to open', () => f.station.breaker.state === 'OPEN', 20_000);
  ofd.setMode({ mode: 'up' });
  await waitFor('the breaker to close', () => f.station.breaker.state === 'CLOSED', 20_000);
  await waitFor('the backlog to be sent', () => f.station.store.counts().printed === 0, 20_000);

  // A sale refused for bad input: the caller's mistake, logged at info.
  const bad = await f.sale('bad', saleBody({ buyer_phone: PHONE, buyer_email: EMAIL }));
  assert.equal(bad.status, 422, JSON.stringify(bad.body));

  // A device error: no paper. The driver's error (warn) and the caller's refusal (warn).
  emulator.setPaper(false);
  const paper = await f.sale('paper');
  assert.equal(paper.status, 503, JSON.stringify(paper.body));

  // Secrets that reach the logger anyway (a library's error, a request dump) never reach the file.
  f.station.log.error(
    `OFD call GET ${ofd.url}/status?token=${OFD_TOKEN} failed; Authorization: Bearer ${TEST_TOKEN}; ` +
      `body {"pin":"${PIN}","buyer_phone":"${PHONE}","buyer_email":"${EMAIL}"}`,
  );
  f.station.log.warn(`settings: ofd token now ${OFD_TOKEN}, api token ${TEST_TOKEN}, manager PIN=${PIN}`);
  await waitFor('the last line in the log file', () => text().includes('manager PIN='));

  const lines = text().split('\n');
  const at = (what: string, re: RegExp): number => {
    const hits = lines.flatMap((l, i) => (re.test(l) ? [i] : []));
    assert.equal(hits.length, 1, `${what}: expected once, found ${hits.length} in\n${text()}`);
    return hits[0]!;
  };
  // Sync runs are one line each, only when they did something: the two sales may fail in one run or two.
  const first = (re: RegExp): number => lines.findIndex((l) => re.test(l));
  const failedRun = first(
    /\[warn\].*Sync run: 0 synced, [12] failed, 0 dead-lettered.*last error: OFD error 503/,
  );
  const drained = first(/\[info\].*Sync run: [12] synced, 0 failed/);
  assert.ok(failedRun >= 0 && drained >= 0, `a failed and a successful sync run:\n${text()}`);
  assert.ok(!/Sync run: 0 synced, 0 failed/.test(text()), 'idle runs are not logged');
  const opened = at(
    'the breaker opening',
    /\[warn\].*OFD breaker opened after 2 failures in a row; next try at \d{4}-/,
  );
  const halfOpen = at('half-open', /\[info\].*OFD breaker half-open: one trial send/);
  // A run is logged when it ends: one that failed both sales ends after the breaker opened within it.
  assert.ok(failedRun < halfOpen, `the failed run is logged before the half-open trial:\n${text()}`);
  const order = [
    opened,
    halfOpen,
    at('closed', /\[info\].*OFD breaker closed: the OFD answers again/),
    drained,
    at('the refused sale', /\[info\].*Refused REST POST \/v1\/kkt\/receipt: validation_error \(422\)/),
    at('the device error', /\[warn\].*kkt: device error 6Bh \(107\) on 10h: .*бумаг.* \[paper_out\]/),
    at('the KKT refusal', /\[warn\].*Refused REST POST \/v1\/kkt\/receipt: kkt_refused \(503\)/),
  ];
  assert.deepEqual(
    order,
    [...order].sort((a, b) => a - b),
    `events out of order (${order.join(', ')}):\n${text()}`,
  );

  const all = text();
  for (const secret of [OFD_TOKEN, TEST_TOKEN, PIN, PHONE, EMAIL])
    assert.ok(!all.includes(secret), `${secret} leaked into the log:\n${all}`);
  assert.match(all, /\?token=\[REDACTED\]/);
  assert.match(all, /Bearer \[REDACTED\]/);
  assert.match(all, /\+7\*{8}67/, 'a phone is masked, its last two digits kept');
  assert.match(all, /i\*\*\*@example\.ru/, 'an e-mail is masked, its domain kept');

  // The bundle passes the same function: nothing in it that the log hides.
  const { archive } = buildDiagnostics({
    config: f.station.config,
    snapshot: {},
    health: {},
    journal: [{ message: `buyer ${PHONE}` }],
    about: {},
  });
  const tar = gunzipSync(archive).toString('utf8');
  assert.ok(tar.includes('OFD breaker closed'), 'the log is in the bundle');
  for (const secret of [OFD_TOKEN, TEST_TOKEN, PIN, PHONE, EMAIL]) assert.ok(!tar.includes(secret), secret);
});

test('redact: credentials by shape, buyers masked, nothing else touched', () => {
  assert.equal(redact('Bearer abc.DEF-123'), `Bearer ${REDACTED}`);
  assert.equal(redact('GET /x?a=1&token=s3cr3t&b=2'), `GET /x?a=1&token=${REDACTED}&b=2`);
  assert.equal(
    redact('{"managerPin": "1234", "ofdTokenSet": true}'),
    `{"managerPin": "${REDACTED}", "ofdTokenSet": true}`,
  );
  assert.equal(redact('pin=1234 apiToken: xyz'), `pin=${REDACTED} apiToken: ${REDACTED}`);
  assert.equal(redact('hash scrypt$16384$abc=$def'), `hash ${REDACTED}`);
  assert.equal(redact('call +79161234567 or 8 (916) 123-45-67'), 'call +7********67 or 8 (***) ***-**-67');
  assert.equal(redact('mail ivan@shop.example.ru'), 'mail i***@shop.example.ru');
  assert.equal(redact('one-time value here', ['one-time value']), `${REDACTED} here`);
  const plain = 'Sale FD 12 of shift 3: 180.99 ₽, FN 9999078900012345, at 2026-11-30T05:39:31.000Z';
  assert.equal(redact(plain), plain, 'fiscal numbers, amounts and times pass');
});

test('redactJson: the diagnostics JSON stays valid; numbers are never masked, secrets and buyers are', () => {
  const status = {
    health: { disk: { free_bytes: 81234567890, floor_bytes: 16777216 } }, // 11 digits from 8: not a phone
    settings: { apiToken: 'abcdef0123456789', ofdTokenSet: true, managerPinSet: true },
    receipt: { buyerContact: '+7 912 345-67-89', lastError: 'Bearer abcdef0123456789 refused' },
  };
  const text = JSON.stringify(redactJson(status, ['abcdef0123456789']), null, 2);
  const back = JSON.parse(text);
  assert.equal(back.health.disk.free_bytes, 81234567890);
  assert.equal(back.settings.apiToken, REDACTED);
  assert.equal(back.settings.ofdTokenSet, true);
  assert.equal(back.settings.managerPinSet, true);
  assert.doesNotMatch(text, /abcdef0123456789|912 345/);
  assert.match(back.receipt.buyerContact, /89$/);
});
