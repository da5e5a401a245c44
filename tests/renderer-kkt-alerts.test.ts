// The header's alerts about the KKT's registration, the FN and the shift's last hour (src/renderer/state/
// kkt-alerts.ts), in Russian, at each threshold of the shared FN rule: nothing for a healthy KKT; a
// critical alert naming both systems on a tax-system mismatch; the FN's expiry at 30 and 3 days; unsent
// documents from 5 days; the memory flag; the shift's end from 23 hours, never before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KktStatusView } from '../src/shared/contract.ts';
import { registrationAlerts } from '../src/renderer/state/kkt-alerts.ts';
import { ru } from '../src/renderer/i18n/ru.ts';

const NOW = Date.parse('2026-11-30T12:00:00');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const p = (n: number) => String(n).padStart(2, '0');
const local = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:00`;
};

function kkt(patch: Partial<KktStatusView> = {}): KktStatusView {
  return {
    connected: true,
    emulated: true,
    label: 'ККТ',
    mode: 'ready',
    problem: null,
    shiftOpen: false,
    shiftNumber: 1,
    shiftOpenedAt: null,
    shiftExpired: false,
    paperPresent: true,
    coverOpen: false,
    fnNumber: '9999078900000001',
    lastFdNumber: 1,
    unsentCount: 0,
    oldestUnsentAt: null,
    taxSystems: ['osn'],
    taxSystem: 'osn',
    configuredTaxSystem: null,
    taxSystemProblem: null,
    ffdVersion: '1.2',
    fnExpiresOn: '2028-01-01',
    fnWarnings: [],
    error: null,
    ...patch,
  };
}

const alerts = (patch: Partial<KktStatusView>) => registrationAlerts(ru, 'ru', kkt(patch), NOW);
const keys = (patch: Partial<KktStatusView>) => alerts(patch).map((a) => `${a.key}:${a.level}`);

test('a healthy KKT gives no alert', () => {
  assert.deepEqual(alerts({}), []);
});

test('a tax-system mismatch is critical and names both, in Russian', () => {
  const [a] = alerts({
    taxSystems: ['usn_income', 'patent'],
    taxSystem: null,
    configuredTaxSystem: 'osn',
    taxSystemProblem: 'mismatch',
  });
  assert.equal(a?.level, 'critical');
  assert.match(
    a!.text,
    /^Система налогообложения «ОСН» из настроек не зарегистрирована в ККТ \(зарегистрированы: УСН доход, ПСН\)/,
  );
  assert.deepEqual(keys({ taxSystems: ['osn', 'patent'], taxSystem: null, taxSystemProblem: 'not_chosen' }), [
    'tax:critical',
  ]);
});

test('the FN expiry: quiet beyond 30 days, a warning within 30, critical within 3; its flags stay quiet when the date says it', () => {
  assert.deepEqual(keys({ fnExpiresOn: '2027-01-01' }), []);
  assert.deepEqual(keys({ fnExpiresOn: '2026-12-30', fnWarnings: ['replace_soon'] }), ['fn-expiry:warning']);
  const [soon] = alerts({ fnExpiresOn: '2026-12-30' });
  assert.equal(
    soon?.text,
    'ФН: срок действия заканчивается 30.12.2026 (осталось 29 дней). Замените фискальный накопитель до этой даты.',
  );
  assert.deepEqual(keys({ fnExpiresOn: '2026-12-03', fnWarnings: ['replace_urgent', 'replace_soon'] }), [
    'fn-expiry:critical',
  ]);
  assert.deepEqual(keys({ fnExpiresOn: null, fnWarnings: ['replace_urgent'] }), [
    'fn-flag-replace_urgent:critical',
  ]);
  assert.deepEqual(keys({ fnWarnings: ['memory_almost_full'] }), ['fn-flag-memory_almost_full:warning']);
});

test('unsent documents: quiet at 4 days, a warning at 5, critical at 25', () => {
  const at = (days: number) => ({ unsentCount: 3, oldestUnsentAt: local(NOW - days * DAY - HOUR) });
  assert.deepEqual(keys(at(4)), []);
  assert.deepEqual(keys(at(5)), ['fn:warning']);
  assert.deepEqual(keys(at(25)), ['fn:critical']);
  assert.match(alerts(at(5))[0]!.text, /лежит 5 дней\. Через 25 дней ФН заблокируется/);
});

test('the shift: quiet at 22 h 59 min, a warning with the time left from 23 h, none once expired (its own alert)', () => {
  const opened = (ms: number) => ({ shiftOpen: true, shiftOpenedAt: local(NOW - ms) });
  assert.deepEqual(keys(opened(23 * HOUR - 60_000)), []);
  const [a] = alerts(opened(23 * HOUR + 10 * 60_000));
  assert.equal(a?.key, 'shift-ending');
  assert.equal(a?.action, 'shift');
  assert.match(a!.text, /через 50 мин продажи будут заблокированы/);
  assert.deepEqual(keys({ ...opened(25 * HOUR), shiftExpired: true }), []);
});
