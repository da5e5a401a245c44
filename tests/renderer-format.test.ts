// The renderer's pure formatting and parsing: money in kopecks, quantities in thousandths, plurals, time;
// and the shared money and PIN rules it uses with the core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  changeKop,
  daysSince,
  formatCount,
  formatDuration,
  formatMoney,
  formatLineQuantity,
  formatPercent,
  formatSeconds,
  formatQuantity,
  kopToInputText,
  milliToQuantityText,
  minutesSince,
  parseMoney,
  parseQuantity,
  pluralRu,
} from '../src/renderer/format.ts';
import { formatKopecks, lineTotalKop } from '../src/shared/money.ts';
import { isValidPin } from '../src/shared/pin.ts';

test('formatMoney: ru groups with spaces and a decimal comma, en with commas and a dot', () => {
  assert.equal(formatMoney(123450, 'ru'), '1 234,50 ₽');
  assert.equal(formatMoney(123450, 'en'), '1,234.50 ₽');
  assert.equal(formatMoney(0, 'ru'), '0,00 ₽');
  assert.equal(formatMoney(5, 'ru'), '0,05 ₽');
  assert.equal(formatMoney(99, 'en'), '0.99 ₽');
  assert.equal(formatMoney(100000000, 'ru'), '1 000 000,00 ₽');
  assert.equal(formatMoney(999999999999, 'en'), '9,999,999,999.99 ₽');
  assert.equal(formatMoney(-1050, 'ru'), '-10,50 ₽');
  assert.equal(formatMoney(123450, 'ru', false), '1 234,50');
});

test('formatSeconds: a tenth below a second with the decimal separator of the language, whole seconds above', () => {
  assert.equal(formatSeconds(500, 'ru'), '0,5');
  assert.equal(formatSeconds(500, 'en'), '0.5');
  assert.equal(formatSeconds(10_000, 'ru'), '10');
  assert.equal(formatSeconds(2_400, 'en'), '2');
});

test('formatPercent: a decimal comma in ru, a dot in en, no trailing zeros; the sign is optional', () => {
  assert.equal(formatPercent(1250, 'ru'), '12,5 %');
  assert.equal(formatPercent(1250, 'en'), '12.5 %');
  assert.equal(formatPercent(725, 'ru'), '7,25 %');
  assert.equal(formatPercent(1000, 'ru'), '10 %');
  assert.equal(formatPercent(5, 'ru'), '0,05 %');
  assert.equal(formatPercent(9999, 'ru', false), '99,99');
  assert.equal(formatPercent(1250, 'en', false), '12.5');
  assert.equal(formatPercent(0, 'ru'), '0 %');
});

test('formatKopecks gives the REST body its 2-decimal strings', () => {
  assert.equal(formatKopecks(0), '0.00');
  assert.equal(formatKopecks(29), '0.29');
  assert.equal(formatKopecks(19990), '199.90');
  assert.equal(formatKopecks(123456789), '1234567.89');
  assert.equal(kopToInputText(19990, 'ru'), '199,90');
  assert.equal(kopToInputText(19990, 'en'), '199.90');
});

test('parseMoney reads typed decimal text without float error', () => {
  assert.equal(parseMoney('0.29'), 29);
  assert.equal(parseMoney('0,29'), 29);
  assert.equal(parseMoney('1.1'), 110);
  assert.equal(parseMoney('199,9'), 19990);
  assert.equal(parseMoney('1 234,50'), 123450);
  assert.equal(parseMoney('1\u00a0234,50 ₽'), 123450);
  assert.equal(parseMoney('1,234.50'), 123450);
  assert.equal(parseMoney('1.234,50'), 123450);
  assert.equal(parseMoney('  500 '), 50000);
  assert.equal(parseMoney('500.'), 50000);
  assert.equal(parseMoney(',5'), 50);
  assert.equal(parseMoney('0'), 0);
  assert.equal(parseMoney('99999999.99'), 9_999_999_999);
  for (const bad of ['', ' ', 'abc', '1.234', '12,345', '-5', '1e3', '1..2', '100000000', '0x10', '12a']) {
    assert.equal(parseMoney(bad), null, `"${bad}" is not an amount`);
  }
});

test('parseQuantity: positive, at most 3 decimals', () => {
  assert.equal(parseQuantity('1'), 1000);
  assert.equal(parseQuantity('0,25'), 250);
  assert.equal(parseQuantity('1.5'), 1500);
  assert.equal(parseQuantity('0.001'), 1);
  assert.equal(parseQuantity('2,000'), 2000);
  for (const bad of ['', '0', '0,000', '-1', '1.2345', 'two', '1 000 000']) {
    assert.equal(parseQuantity(bad), null, `"${bad}" is not a quantity`);
  }
});

test('formatQuantity drops trailing zeros; milliToQuantityText keeps 3 decimals', () => {
  assert.equal(formatQuantity(1000, 'ru'), '1');
  assert.equal(formatQuantity(250, 'ru'), '0,25');
  assert.equal(formatQuantity(1500, 'en'), '1.5');
  assert.equal(formatQuantity(1, 'ru'), '0,001');
  assert.equal(milliToQuantityText(1000), '1.000');
  assert.equal(milliToQuantityText(250), '0.250');
});

test('formatLineQuantity: a weighed line with three decimals and кг, other units by their short name', () => {
  assert.equal(formatLineQuantity(754, 11, 'ru'), '0,754 кг');
  assert.equal(formatLineQuantity(1500, 11, 'ru'), '1,500 кг');
  assert.equal(formatLineQuantity(2000, 11, 'en'), '2.000 кг');
  assert.equal(formatLineQuantity(2000, undefined, 'ru'), '2');
  assert.equal(formatLineQuantity(2000, 0, 'ru'), '2 шт');
  assert.equal(formatLineQuantity(500, 41, 'ru'), '0,5 л');
});

test('lineTotalKop rounds half up exactly like the core', () => {
  assert.equal(lineTotalKop(19990, 1000), 19990);
  assert.equal(lineTotalKop(10000, 333), 3330);
  assert.equal(lineTotalKop(1, 500), 1); // 0.5 kopeck rounds up
  assert.equal(lineTotalKop(1, 499), 0);
  assert.equal(lineTotalKop(3333, 1500), 5000); // 4999.5 → 5000
  assert.equal(lineTotalKop(9_999_999_999, 999_999_999), 9_999_999_989_000_000); // past 2^53 via BigInt
});

test('changeKop is never negative', () => {
  assert.equal(changeKop(100000, 76550), 23450);
  assert.equal(changeKop(50000, 76550), 0);
});

test('Russian plurals', () => {
  const forms = ['чек', 'чека', 'чеков'] as const;
  assert.equal(pluralRu(1, forms), 'чек');
  assert.equal(pluralRu(21, forms), 'чек');
  assert.equal(pluralRu(2, forms), 'чека');
  assert.equal(pluralRu(4, forms), 'чека');
  assert.equal(pluralRu(5, forms), 'чеков');
  assert.equal(pluralRu(11, forms), 'чеков');
  assert.equal(pluralRu(12, forms), 'чеков');
  assert.equal(pluralRu(111, forms), 'чеков');
  assert.equal(pluralRu(0, forms), 'чеков');
});

test('durations and ages', () => {
  const now = Date.parse('2025-11-28T12:00:00Z');
  assert.equal(minutesSince('2025-11-28T11:45:30Z', now), 14);
  assert.equal(minutesSince('2025-11-28T12:05:00Z', now), 0);
  assert.equal(minutesSince(null, now), null);
  assert.equal(minutesSince('not a date', now), null);
  assert.equal(daysSince('2025-11-07T12:00:00Z', now), 21);
  assert.equal(formatDuration(45, 'ru'), '45 мин');
  assert.equal(formatDuration(185, 'ru'), '3 ч 05 мин');
  assert.equal(formatDuration(185, 'en'), '3 h 05 min');
  assert.equal(formatDuration(1440 * 2 + 250, 'ru'), '2 д 4 ч');
  assert.equal(formatCount(1234567, 'ru'), '1 234 567');
  assert.equal(formatCount(1234567, 'en'), '1,234,567');
});

test('manager PIN: 4 to 8 digits', () => {
  assert.ok(isValidPin('1234'));
  assert.ok(isValidPin('12345678'));
  assert.ok(!isValidPin('123'));
  assert.ok(!isValidPin('123456789'));
  assert.ok(!isValidPin('12a4'));
});

test('typos mixing both separators are refused, never read as a bigger amount', () => {
  for (const typo of ['12,50.', '12,5.', '1,5.3', '0,5.', '1.2,3.4'])
    assert.equal(parseMoney(typo), null, typo);
  assert.equal(parseMoney('1 234,50'), 123450);
  assert.equal(parseMoney('1.234,50'), 123450);
  assert.equal(parseMoney('1,234.50'), 123450);
  assert.equal(parseMoney('12,345,678.90'), 1234567890);
});
