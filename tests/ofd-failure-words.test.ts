// Every OFD failure code has Russian and English words that carry its parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OFD_FAILURE_CODES, type OfdFailureWhy } from '../src/shared/ofd-failure.ts';
import { ru } from '../src/renderer/i18n/ru.ts';
import { en } from '../src/renderer/i18n/en.ts';

/** One sample per code; the satisfies check makes a new code without a sample a type error. */
const SAMPLES = {
  network: { code: 'network', params: { error: 'ECONNREFUSED' } },
  timeout: { code: 'timeout', params: { ms: 5000 } },
  http_status: { code: 'http_status', params: { status: 503 } },
  redirect: { code: 'redirect', params: { status: 301 } },
  endpoint_not_found: { code: 'endpoint_not_found', params: { status: 404 } },
  too_large: { code: 'too_large', params: { status: 200 } },
  bad_answer: { code: 'bad_answer', params: { status: 200 } },
  auth: { code: 'auth', params: { status: 401 } },
  rate_limited: { code: 'rate_limited', params: { retrySeconds: 7 } },
  rejected: { code: 'rejected', params: { status: 422 } },
} satisfies { [C in OfdFailureWhy['code']]: Extract<OfdFailureWhy, { code: C }> };

const PARAM_TEXT: Record<string, string> = {
  network: 'ECONNREFUSED',
  timeout: '5',
  http_status: '503',
  redirect: '301',
  endpoint_not_found: '404',
  too_large: '200',
  bad_answer: '200',
  auth: '401',
  rate_limited: '7',
  rejected: '422',
};

test('every OFD failure code is worded in Russian and English, with its parameter', () => {
  assert.deepEqual(Object.keys(SAMPLES).sort(), [...OFD_FAILURE_CODES].sort());
  for (const code of OFD_FAILURE_CODES) {
    const why = SAMPLES[code];
    const ruText = ru.ofdFailureText(why);
    const enText = en.ofdFailureText(why);
    assert.match(ruText, /[а-яё]/i, `${code}: Russian words`);
    assert.doesNotMatch(ruText, /\bOFD\b|undefined|null/, `${code}: no English or holes in ${ruText}`);
    assert.doesNotMatch(enText, /[а-яё]|undefined|null/i, `${code}: English words`);
    assert.ok(ruText.includes(PARAM_TEXT[code]!), `${code}: ${ruText}`);
    assert.ok(enText.includes(PARAM_TEXT[code]!), `${code}: ${enText}`);
  }
});

test('the shop words of the common failures', () => {
  assert.equal(
    ru.ofdFailureText(SAMPLES.network),
    'ОФД не отвечает: нет соединения (ECONNREFUSED). Проверьте интернет и адрес ОФД в настройках',
  );
  assert.equal(
    ru.ofdFailureText({ code: 'network', params: { error: null } }),
    'ОФД не отвечает: нет соединения. Проверьте интернет и адрес ОФД в настройках',
  );
  assert.equal(ru.ofdFailureText(SAMPLES.timeout), 'ОФД не ответил за 5 с');
  assert.equal(ru.ofdFailureText({ code: 'timeout', params: { ms: 300 } }), 'ОФД не ответил за 0,3 с');
  assert.equal(ru.ofdFailureText(SAMPLES.http_status), 'ОФД ответил ошибкой 503');
  assert.equal(ru.ofdFailureText(SAMPLES.auth), 'ОФД не принял токен (401): проверьте токен в настройках');
});
