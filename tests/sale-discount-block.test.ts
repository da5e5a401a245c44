// The sale screen's discounts after a line changes (src/renderer/state/sale-discounts.ts): a discount
// that no longer fits blocks the payment in Russian words instead of reaching the station (which would
// answer 422); the manager's PIN approves the share it was given for only, so a line shortened under an
// amount discount (its share rises) is not sent with the old PIN and the PIN is asked again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Discount } from '../src/shared/discounts.ts';
import {
  approvalAfter,
  approvedDiscountPin,
  discountBlock,
  priceSale,
} from '../src/renderer/state/sale-discounts.ts';
import { ru } from '../src/renderer/i18n/ru.ts';
import { formatPercent } from '../src/renderer/format.ts';

const LIMIT = 1000; // the cashier's limit: 10 %
const line = (quantity: number, discount?: Discount) => ({
  priceKop: 100_00,
  quantityMilli: quantity * 1000,
  ...(discount && { discount }),
});

test('a discount that stops fitting a shortened line blocks the payment, in Russian', () => {
  const before = priceSale([line(3, { amountKop: 250_00 })], null);
  assert.equal(discountBlock(before, null, 100_00 * 100), null);
  assert.equal(before.totalKop, 50_00);

  const after = priceSale([line(2, { amountKop: 250_00 })], null);
  const block = discountBlock(after, null, 100_00 * 100);
  assert.ok(block && block.kind === 'problem');
  assert.equal(block.problem.kind, 'amount_not_below_sum');
  assert.equal(block.problem.line, 0);
  assert.equal(
    ru.discountNoLongerFits('Сыр', ru.discountProblem(block.problem)),
    'Скидка на «Сыр» больше не подходит: Скидка должна быть меньше суммы. Измените или уберите скидку.',
  );
  // A receipt discount that no longer fits is named as the receipt's.
  const receipt = discountBlock(priceSale([line(1)], { amountKop: 100_00 }), null, LIMIT);
  assert.ok(receipt && receipt.kind === 'problem' && receipt.problem.line === null);
});

test("the manager's PIN approves the share it was given for, not a larger one after a line changes", () => {
  const approved = priceSale([line(3, { amountKop: 45_00 })], null); // 15 % of 300.00
  const approval = approvalAfter(null, '2468', approved);
  assert.deepEqual(approval, { pin: '2468', upToHundredths: 1500 });
  assert.equal(approvedDiscountPin(approved, approval), '2468');
  assert.equal(discountBlock(approved, approval, LIMIT), null);

  // Two units: 45.00 of 200.00 is 22.5 %, more than approved: no PIN is sent, the PIN is asked again.
  const shortened = priceSale([line(2, { amountKop: 45_00 })], null);
  assert.equal(approvedDiscountPin(shortened, approval), null);
  assert.deepEqual(discountBlock(shortened, approval, LIMIT), { kind: 'pin' });
  assert.deepEqual(discountBlock(shortened, null, LIMIT), { kind: 'pin' });

  // Four units: 11.25 %, still above the limit but within the approval: the PIN still holds.
  const longer = priceSale([line(4, { amountKop: 45_00 })], null);
  assert.equal(approvedDiscountPin(longer, approval), '2468');
  assert.equal(discountBlock(longer, approval, LIMIT), null);

  // A discount within the cashier's limit keeps the approval as it was; a new PIN approves anew.
  assert.equal(approvalAfter(approval, null, longer), approval);
  assert.deepEqual(approvalAfter(approval, '1357', shortened), { pin: '1357', upToHundredths: 2250 });
  assert.equal(
    ru.discountPinAgain(formatPercent(1000, 'ru')),
    'Скидка стала больше, чем одобрил менеджер (лимит кассира 10 %): откройте скидку и введите PIN менеджера снова.',
  );
});
