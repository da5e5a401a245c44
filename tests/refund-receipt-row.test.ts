// What a row of «Возврат»'s list says about a sale (src/renderer/app/refund-receipt-row.ts): how it was
// paid (or «—» when it was not), whether the list needs the FN to tell sales apart, and the FN's last
// digits; and the button's accessible name and the refund form's heading built from them in both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReceiptView } from '../src/shared/contract.ts';
import {
  fnTail,
  fnTailAmong,
  listsSeveralFns,
  paymentKind,
  paymentWords,
} from '../src/renderer/app/refund-receipt-row.ts';
import { MESSAGES } from '../src/renderer/i18n/index.ts';

const pay = (...p: [ReceiptView['payments'][number]['type'], number][]) =>
  p.map(([type, amountKop]) => ({ type, amountKop }));

test('the payment kind: cash, card, split, other; a zero part does not count', () => {
  assert.equal(paymentKind(pay(['cash', 20000])), 'cash');
  assert.equal(paymentKind(pay(['card', 8990])), 'card');
  assert.equal(paymentKind(pay(['cash', 1000], ['card', 8990])), 'split');
  assert.equal(paymentKind(pay(['card', 8990], ['cash', 0])), 'card');
  assert.equal(paymentKind(pay(['other', 500])), 'other');
  assert.equal(paymentKind(pay(['cash', 100], ['other', 500])), 'other');
});

test('the FN is shown only when the list holds fiscalised receipts of more than one FN', () => {
  const receipt = (fnNumber: string | null) => ({ fiscal: fnNumber ? { fnNumber } : null }) as ReceiptView;
  assert.equal(listsSeveralFns([]), false);
  assert.equal(listsSeveralFns([receipt('9999078900000001'), receipt('9999078900000001')]), false);
  assert.equal(listsSeveralFns([receipt('9999078900000001'), receipt(null)]), false);
  assert.equal(listsSeveralFns([receipt('9999078900000001'), receipt('9999078900000002')]), true);
  assert.equal(fnTail('9999078900012345'), '…2345');
});

test("the «Выбрать» button's name says what the row says", () => {
  assert.equal(
    MESSAGES.ru.pickReceipt('ФД 2', '30.11.2026, 16:27', '89,90 ₽', MESSAGES.ru.payCard, '…0002'),
    'Выбрать чек ФД 2 от 30.11.2026, 16:27, 89,90 ₽, карта, ФН …0002',
  );
  assert.equal(
    MESSAGES.ru.pickReceipt('ФД 2', '30.11.2026, 16:27', '45,50 ₽', MESSAGES.ru.payCash, null),
    'Выбрать чек ФД 2 от 30.11.2026, 16:27, 45,50 ₽, наличные',
  );
  assert.equal(
    MESSAGES.en.pickReceipt('FD 2', '30/11/2026, 16:27', '89.90 ₽', MESSAGES.en.paySplit, '…0002'),
    'Select receipt FD 2 from 30/11/2026, 16:27, 89.90 ₽, split, FN …0002',
  );
});

test("the refund form's heading names the FN when the sales the cashier sees come from more than one", () => {
  const receipt = (fnNumber: string | null) => ({ fiscal: fnNumber ? { fnNumber } : null }) as ReceiptView;
  const oldFn = receipt('9999078900000001');
  const newFn = receipt('9999078900000002');
  assert.equal(fnTailAmong(newFn, [newFn, oldFn]), '…0002');
  assert.equal(fnTailAmong(newFn, [newFn]), null);
  // Opened by its QR while the list shows only the other FN's sales: the FD number alone is ambiguous.
  assert.equal(fnTailAmong(oldFn, [newFn]), '…0001');
  assert.equal(fnTailAmong(receipt(null), [newFn, oldFn]), null);
  assert.equal(MESSAGES.ru.selectedReceipt('ФД 2', '…0002'), 'Возврат по чеку ФД 2, ФН …0002');
  assert.equal(MESSAGES.ru.selectedReceipt('ФД 2', null), 'Возврат по чеку ФД 2');
  assert.equal(MESSAGES.en.selectedReceipt('FD 2', '…0001'), 'Refund of receipt FD 2, FN …0001');
});

test('a receipt with no payment above 0 (a correction, an old row) reads «—», said as «без оплаты»', () => {
  assert.equal(paymentKind([]), 'none');
  assert.equal(paymentKind(pay(['cash', 0])), 'none');
  assert.equal(paymentKind(pay(['other', 0], ['card', 0])), 'none');
  assert.deepEqual(paymentWords('none', MESSAGES.ru), { shown: '—', spoken: 'без оплаты' });
  assert.deepEqual(paymentWords('none', MESSAGES.en), { shown: '—', spoken: 'no payment' });
  assert.deepEqual(paymentWords('other', MESSAGES.ru), { shown: 'Иная', spoken: 'Иная' });
  assert.deepEqual(paymentWords('split', MESSAGES.ru), { shown: 'Смешанная', spoken: 'Смешанная' });
  const spoken = paymentWords(paymentKind([]), MESSAGES.ru).spoken;
  assert.equal(
    MESSAGES.ru.pickReceipt('ФД 3', '30.11.2026, 16:27', '0,00 ₽', spoken, null),
    'Выбрать чек ФД 3 от 30.11.2026, 16:27, 0,00 ₽, без оплаты',
  );
});
