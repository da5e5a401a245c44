// The buyer's contact for an electronic receipt (tag 1008): the one rule the payment dialog and the REST
// API share. Phones are normalised to +7XXXXXXXXXX; anything that is no Russian number or e-mail is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBuyerEmail, normaliseBuyerPhone, parseBuyerContact } from '../src/shared/buyer-contact.ts';

test('phones as cashiers and ERPs type them become +7 and ten digits', () => {
  for (const typed of [
    '+79161234567',
    '+7 916 123-45-67',
    '+7 (916) 123 45 67',
    '8 (916) 123-45-67',
    '89161234567',
    '79161234567',
    '9161234567',
  ])
    assert.equal(normaliseBuyerPhone(typed), '+79161234567', typed);
});

test('no Russian number: too short, too long, another country, letters', () => {
  for (const typed of ['12345', '+1 212 555 0100', '+791612345678', '8916123456', '8-916-ABC-45-67', '', '+'])
    assert.equal(normaliseBuyerPhone(typed), null, typed);
});

test('e-mails: one @, a dot in the domain, no spaces, at most 64 characters', () => {
  assert.ok(isBuyerEmail('buyer@example.ru'));
  assert.ok(!isBuyerEmail('buyer@example'));
  assert.ok(!isBuyerEmail('bu yer@example.ru'));
  assert.ok(!isBuyerEmail(`${'a'.repeat(54)}@example.ru`)); // 65 characters
  assert.ok(isBuyerEmail(`${'a'.repeat(53)}@example.ru`));
});

test('the dialog field: an @ means an e-mail, else a phone; neither is null', () => {
  assert.deepEqual(parseBuyerContact(' buyer@example.ru '), { kind: 'email', value: 'buyer@example.ru' });
  assert.deepEqual(parseBuyerContact('8 916 123 45 67'), { kind: 'phone', value: '+79161234567' });
  assert.equal(parseBuyerContact('buyer@'), null);
  assert.equal(parseBuyerContact('привет'), null);
});
