// Every FN relay failure code has Russian and English words that carry its parameters (the status
// panel's «Документы ФН в ОФД»; the relay's English message is the tooltip).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FN_RELAY_FAILURE_CODES, type FnRelayFailureWhy } from '../src/shared/fn-relay-failure.ts';
import { ru } from '../src/renderer/i18n/ru.ts';
import { en } from '../src/renderer/i18n/en.ts';

const server = 'ofd.example.ru:21101';
/** One sample per code; the satisfies check makes a new code without a sample a type error. */
const SAMPLES = {
  ofd_unreachable: { code: 'ofd_unreachable', params: { server, error: 'ECONNREFUSED' } },
  ofd_timeout: { code: 'ofd_timeout', params: { server, ms: 5000 } },
  ofd_bad_answer: { code: 'ofd_bad_answer', params: { server } },
  ofd_closed_early: { code: 'ofd_closed_early', params: { server, received: 12, expected: 327 } },
  fn_refused_answer: { code: 'fn_refused_answer', params: { deviceMessage: 'Ошибка ФН' } },
  fn_message_torn: { code: 'fn_message_torn', params: { size: 356, announced: 400 } },
  kkt_not_connected: { code: 'kkt_not_connected', params: {} },
  kkt_error: { code: 'kkt_error', params: { deviceCode: 0x7e, deviceMessage: 'Неверное значение' } },
} satisfies { [C in FnRelayFailureWhy['code']]: Extract<FnRelayFailureWhy, { code: C }> };

/** What each code's words must carry (both languages). */
const PARAM_TEXT: Record<string, string[]> = {
  ofd_unreachable: [server, 'ECONNREFUSED'],
  ofd_timeout: [server, '5 '],
  ofd_bad_answer: [server],
  ofd_closed_early: [server, '12', '327'],
  fn_refused_answer: ['20h'],
  fn_message_torn: ['356', '400'],
  kkt_not_connected: [],
  kkt_error: ['7Eh'],
};

test('every FN relay failure code is worded in Russian and English, with its parameters', () => {
  assert.deepEqual(Object.keys(SAMPLES).sort(), [...FN_RELAY_FAILURE_CODES].sort());
  for (const code of FN_RELAY_FAILURE_CODES) {
    const why = SAMPLES[code];
    const ruText = ru.fnRelayFailureText(why);
    const enText = en.fnRelayFailureText(why);
    assert.match(ruText, /[а-яё]/i, `${code}: Russian words`);
    assert.doesNotMatch(
      ruText,
      /\b(OFD|FN|KKT)\b|undefined|null|\[object/,
      `${code}: no English or holes in ${ruText}`,
    );
    assert.doesNotMatch(enText, /[а-яё]|undefined|null|\[object/i, `${code}: English words in ${enText}`);
    for (const part of PARAM_TEXT[code]!) {
      assert.ok(ruText.includes(part), `${code}: ${part} in ${ruText}`);
      assert.ok(enText.includes(part), `${code}: ${part} in ${enText}`);
    }
  }
});

test("the shop's words of the common relay failures", () => {
  assert.equal(
    ru.fnRelayFailureText(SAMPLES.ofd_unreachable),
    'Сервер ОФД ofd.example.ru:21101 недоступен (ECONNREFUSED). Проверьте интернет и адрес сервера ОФД; документы ждут в ФН',
  );
  assert.equal(
    ru.fnRelayFailureText({ code: 'ofd_unreachable', params: { server, error: null } }),
    'Сервер ОФД ofd.example.ru:21101 недоступен. Проверьте интернет и адрес сервера ОФД; документы ждут в ФН',
  );
  assert.equal(
    ru.fnRelayFailureText(SAMPLES.fn_refused_answer),
    'ФН не принял ответ ОФД (ошибка 20h): Ошибка ФН; документ остаётся в ФН и уйдёт ещё раз',
  );
  assert.equal(
    ru.fnRelayFailureText({ code: 'kkt_error', params: { deviceCode: null, deviceMessage: null } }),
    'ККТ отказала в команде обмена с ОФД',
  );
  assert.equal(
    ru.fnRelayFailureText(SAMPLES.kkt_error),
    'ККТ отказала в команде обмена с ОФД (ошибка 7Eh): Неверное значение',
  );
});
