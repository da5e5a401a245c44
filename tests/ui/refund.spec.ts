// Refunds reference their original and are refused, with the reason and the original's number, while
// the OFD has not accepted the original yet (README, «The local REST API»: refunds). At the counter the
// sale is found by scanning the QR on the customer's receipt; each line shows what is left to refund,
// nothing is ticked at the start, and a confirmation says what goes back and how. After an FN replacement
// two found sales may share an FD number: each row says its time, total, payment and FN, and so does the
// heading of the picked sale's refund form.
import type { Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { StateStore } from '../../src/kkt-emulator/state.ts';
import { JOURNAL_SUFFIX } from '../../src/kkt-emulator/state-journal.ts';
import { axeViolations } from './axe.ts';
import { expect, signInAs, test, TEST_CASHIER } from './station.ts';
import { addLine, cashSale, managerSignIn, openTab, paymentDialog, result, waitForStation } from './till.ts';
import { scan } from './scan-keys.ts';

/** axe-core on the forms this issue added: no serious or critical violation. */
async function noSeriousAxeViolations(page: Page): Promise<void> {
  const bad = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

// Attempts are not limited here: on a loaded machine an outage of a minute must not send the sale to the
// dead-letter queue (a refund then waits behind it for the manager).
test.use({
  stationEnv: {
    STATION_BREAKER_THRESHOLD: '1',
    STATION_BREAKER_RESET_MS: '1000',
    STATION_MAX_ATTEMPTS: '10000',
  },
});

test('refund refused while the original is unsynced, accepted once the OFD has it @main-flow', async ({
  page,
  station,
}) => {
  await waitForStation(page);
  await station.ofd.setMode({ mode: 'down', status: 503 });
  const fd = await cashSale(
    page,
    [
      { name: 'Хлеб', quantity: '2', price: '45,50' },
      { name: 'Молоко', price: '89,99' },
    ],
    '200',
  );
  const chip = page.getByTestId('status-chip');
  await expect(chip).toHaveText(/^Офлайн — 1 чек ждёт отправки/);

  await openTab(page, 'Возврат');
  const search = page.getByRole('searchbox', { name: 'Поиск чека' });
  await expect(search).toBeFocused();
  await search.fill(String(fd));
  await page.getByRole('button', { name: 'Найти' }).click();
  const receipts = page.getByRole('table', { name: 'Чеки' });
  await expect(receipts.getByRole('row')).toHaveCount(2); // header + the sale
  await expect(receipts.getByRole('row').nth(1)).toContainText('напечатан, ждёт ОФД');
  await receipts.getByRole('button', { name: `Выбрать чек ФД ${fd}` }).click();

  await expect(page.getByRole('heading', { name: `Возврат по чеку ФД ${fd}` })).toBeVisible();
  const lines = page.getByRole('table', { name: 'Строки к возврату' });
  // Nothing is ticked at the start. Return one bread only, keep the milk.
  await expect(lines.getByRole('checkbox', { name: 'Вернуть строку «Хлеб»' })).not.toBeChecked();
  await expect(lines.getByRole('checkbox', { name: 'Вернуть строку «Молоко»' })).not.toBeChecked();
  await lines.getByRole('checkbox', { name: 'Вернуть строку «Хлеб»' }).check();
  await expect(lines.getByRole('textbox', { name: 'Количество к возврату «Молоко»' })).toBeDisabled();
  await lines.getByRole('textbox', { name: 'Количество к возврату «Хлеб»' }).fill('1');
  await expect(page.getByRole('radio', { name: 'Наличными' })).toBeChecked();
  await expect(page.getByRole('status', { name: 'Сумма возврата' })).toHaveText('45,50 ₽');

  await page.getByRole('button', { name: 'Оформить возврат' }).click();
  const confirm = page.getByRole('region', { name: 'Проверьте возврат' });
  await expect(confirm).toContainText('Вернуть покупателю 45,50 ₽ наличными.');
  await confirm.getByRole('button', { name: 'Подтвердить возврат' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: String(fd) });
  await expect(refusal).toBeVisible();
  // The reason names the original by its number and says what to do.
  await expect(refusal).toHaveText(new RegExp(`(ФД|FD) ${fd}\\b`));
  await expect(refusal).toHaveText(/ОФД|OFD/);
  await expect(page.getByRole('region', { name: 'Возврат пробит' })).toBeHidden();

  // The OFD is back; the worker delivers the sale once the breaker lets a trial through.
  await station.ofd.setMode({ mode: 'up' });
  await expect(chip).toHaveText('Онлайн');
  expect((await station.ofd.health()).receipts_received).toBe(1);

  await confirm.getByRole('button', { name: 'Подтвердить возврат' }).click();
  const done = page.getByRole('region', { name: 'Возврат пробит' });
  await expect(done).toBeVisible();
  await expect(done.getByTestId('fd-number')).toHaveText(/^\d+$/);
  expect(Number(await done.getByTestId('fd-number').textContent())).toBeGreaterThan(fd);
  await expect(done).toContainText('45,50 ₽');
  await expect(page.getByRole('alert').filter({ hasText: String(fd) })).toBeHidden();

  // Back in the list, the refund is there next to the sale.
  await done.getByRole('button', { name: 'К списку чеков' }).click();
  await page.getByRole('button', { name: 'Последние чеки' }).click();
  await expect(receipts.getByRole('row')).toHaveCount(3);
  await expect(receipts.getByRole('row').filter({ hasText: 'Возврат' })).toContainText('45,50 ₽');
});

test('a refund cannot return more than is left of a line', async ({ page }) => {
  await waitForStation(page);
  const fd = await cashSale(page, [{ name: 'Хлеб', quantity: '2', price: '45,50' }]);
  await expect(page.getByTestId('status-chip')).toHaveText('Онлайн');
  await openTab(page, 'Возврат');
  await page
    .getByRole('table', { name: 'Чеки' })
    .getByRole('button', { name: `Выбрать чек ФД ${fd}` })
    .click();
  const qty = page.getByRole('textbox', { name: 'Количество к возврату «Хлеб»' });
  await page.getByRole('checkbox', { name: 'Вернуть строку «Хлеб»' }).check();
  await expect(qty).toHaveValue('2');
  await qty.fill('3');
  await page.getByRole('button', { name: 'Оформить возврат' }).click();
  await expect(qty).toHaveAttribute('aria-invalid', 'true');
  await expect(qty).toHaveAccessibleDescription('Строка 1 «Хлеб»: можно вернуть не больше 2 шт.');
  await expect(page.getByRole('region', { name: 'Возврат пробит' })).toBeHidden();
});

test('a manager refunds a sale the OFD has not accepted yet, with the PIN in the refund form', async ({
  page,
  station,
}) => {
  await waitForStation(page);
  await station.ofd.setMode({ mode: 'down', status: 503 });
  const fd = await cashSale(page, [{ name: 'Сыр', price: '91' }], '100');
  await managerSignIn(page, '2468');

  await openTab(page, 'Возврат');
  await page
    .getByRole('table', { name: 'Чеки' })
    .getByRole('button', { name: `Выбрать чек ФД ${fd}` })
    .click();
  await expect(page.getByText('Этот чек ещё не принят ОФД', { exact: false })).toBeVisible();
  await noSeriousAxeViolations(page);
  await page.getByRole('checkbox', { name: 'Вернуть строку «Сыр»' }).check();
  const pin = page.getByLabel('PIN менеджера', { exact: true });
  const confirm = page.getByRole('region', { name: 'Проверьте возврат' });
  await pin.fill('1111');
  await page.getByRole('button', { name: 'Оформить возврат' }).click();
  await confirm.getByRole('button', { name: 'Подтвердить возврат' }).click();
  await expect(page.getByRole('alert')).toHaveText('Неверный PIN менеджера.');
  await expect(pin).toBeFocused();
  await pin.fill('2468');
  await page.getByRole('button', { name: 'Оформить возврат' }).click();
  await confirm.getByRole('button', { name: 'Подтвердить возврат' }).click();
  const done = page.getByRole('region', { name: 'Возврат пробит' });
  await expect(done).toBeVisible();
  await expect(done).toContainText('91,00 ₽');

  // The OFD comes back: the sale goes first, then its refund.
  await station.ofd.setMode({ mode: 'up' });
  await expect(page.getByTestId('status-chip')).toHaveText('Онлайн', { timeout: 15_000 });
  await expect
    .poll(async () => {
      const received = (await (await fetch(`${station.ofd.url}/ofd/v1/_test/received`)).json()) as {
        body: { type: string };
      }[];
      return received.map((r) => r.body.type);
    })
    .toEqual(['sale', 'refund']);
});

test('an old sale (not in the list) is refunded by its FD number and total with the manager PIN', async ({
  page,
}) => {
  await waitForStation(page);
  await cashSale(page, [{ name: 'Хлеб', price: '300' }]); // cash in the drawer to pay out
  await managerSignIn(page, '2468');
  await openTab(page, 'Возврат');
  await page.getByRole('button', { name: 'Возврат по номеру ФД' }).click();
  const form = page.getByRole('form', { name: 'Возврат по старому чеку' });
  await expect(form.getByRole('heading', { name: 'Возврат по старому чеку' })).toBeFocused();
  await form.getByRole('button', { name: 'Оформить возврат' }).click();
  await expect(form.getByRole('textbox', { name: 'Номер ФД чека продажи' })).toHaveAccessibleDescription(
    'Введите номер ФД — целое число с чека.',
  );
  await noSeriousAxeViolations(page);
  await form.getByRole('textbox', { name: 'Номер ФД чека продажи' }).fill('9000');
  await form.getByRole('textbox', { name: 'Сумма чека продажи' }).fill('1500');
  await form.getByRole('textbox', { name: 'Что возвращают (наименование)' }).fill('Чайник');
  await form.getByRole('textbox', { name: 'Сумма возврата' }).fill('100');
  await form.getByRole('combobox', { name: 'НДС' }).selectOption({ label: '20 %' });
  await form.getByRole('radio', { name: 'Наличными' }).check();
  await form.getByLabel('PIN менеджера', { exact: true }).fill('2468');
  await form.getByRole('button', { name: 'Оформить возврат' }).click();
  const done = page.getByRole('region', { name: 'Возврат пробит' });
  await expect(done).toBeVisible();
  await expect(done).toContainText('100,00 ₽');
});

test('a refund by scanning the receipt QR: what is left per line, a confirmation, an over-refund named', async ({
  page,
  station,
}) => {
  test.slow(); // two sales' worth of screens and a refund printed, on a shared loaded machine
  await waitForStation(page);
  const fd = await cashSale(page, [
    { name: 'Молоко', quantity: '2', price: '80' },
    { name: 'Хлеб', price: '45,50' },
  ]);
  await expect(page.getByTestId('status-chip')).toHaveText('Онлайн');
  const listed = (await (await station.rest('GET', '/v1/kkt/receipts?limit=1')).json()) as {
    receipts: { fiscal_doc: { fiscal_doc_number: number; qr_code_data: string } }[];
  };
  const qr = listed.receipts[0]!.fiscal_doc.qr_code_data;
  expect(listed.receipts[0]!.fiscal_doc.fiscal_doc_number).toBe(fd);

  await openTab(page, 'Возврат');
  await expect(page.getByText('Отсканируйте QR-код с чека покупателя', { exact: false })).toBeVisible();
  // A QR whose total is not the sale's, and one that is not a receipt QR at all, are said in words.
  await scan(page, qr.replace('s=205.50', 's=205.60'));
  await expect(page.getByRole('alert')).toHaveText(
    `Сумма не совпадает с суммой чека ФД ${fd} на кассе. Проверьте чек покупателя.`,
  );
  await scan(page, 'i=12&s=abc');
  await expect(page.getByRole('alert')).toHaveText(/^Это не QR-код кассового чека/);

  await scan(page, qr);
  await expect(page.getByRole('heading', { name: `Возврат по чеку ФД ${fd}` })).toBeVisible();
  const lines = page.getByRole('table', { name: 'Строки к возврату' });
  const milk = lines.getByRole('row', { name: /Молоко/ });
  await expect(lines.getByRole('checkbox', { name: 'Вернуть строку «Молоко»' })).not.toBeChecked();
  await expect(lines.getByRole('checkbox', { name: 'Вернуть строку «Хлеб»' })).not.toBeChecked();
  await expect(milk.getByRole('cell')).toHaveText(['', 'Молоко', '2 шт', '0 шт', '2 шт', '80,00 ₽', '', '—']);

  // A partial refund: one milk, confirmed, in cash as the sale was paid.
  await lines.getByRole('checkbox', { name: 'Вернуть строку «Молоко»' }).check();
  await expect(lines.getByRole('textbox', { name: 'Количество к возврату «Молоко»' })).toHaveValue('2');
  await lines.getByRole('textbox', { name: 'Количество к возврату «Молоко»' }).fill('1');
  await page.getByRole('button', { name: 'Оформить возврат' }).click();
  const confirm = page.getByRole('region', { name: 'Проверьте возврат' });
  await expect(confirm.getByRole('listitem')).toHaveText(['Молоко — 1 шт — 80,00 ₽']);
  await expect(confirm).toContainText('Вернуть покупателю 80,00 ₽ наличными.');
  await confirm.getByRole('button', { name: 'Подтвердить возврат' }).click();
  const done = page.getByRole('region', { name: 'Возврат пробит' });
  await expect(done).toContainText('80,00 ₽');
  await done.getByRole('button', { name: 'К списку чеков' }).click();

  // Scanned again: one milk left; asking for two names the line and what is left.
  await scan(page, qr);
  await expect(milk.getByRole('cell')).toHaveText(['', 'Молоко', '2 шт', '1 шт', '1 шт', '80,00 ₽', '', '—']);
  await lines.getByRole('checkbox', { name: 'Вернуть строку «Молоко»' }).check();
  const qty = lines.getByRole('textbox', { name: 'Количество к возврату «Молоко»' });
  await expect(qty).toHaveValue('1');
  await qty.fill('2');
  await page.getByRole('button', { name: 'Оформить возврат' }).click();
  await expect(qty).toHaveAccessibleDescription('Строка 1 «Молоко»: можно вернуть не больше 1 шт.');
  await expect(confirm).toBeHidden();
});

/** The till is off and its FN replaced: the in-process emulator starts again as a new FN, numbering from 1. */
function replaceFn(dataDir: string, fnNumber: string): void {
  const state = join(dataDir, 'kkt-emulator.json');
  rmSync(state, { force: true });
  rmSync(`${state}${JOURNAL_SUFFIX}`, { force: true });
  StateStore.open(state, { fnNumber }, new Date().toISOString()).close();
}

test('after an FN replacement two sales share an FD number: each row and the form heading say the FN', async ({
  page,
  station,
}) => {
  await waitForStation(page);
  const fd = await cashSale(page, [{ name: 'Хлеб', price: '45,50' }]);
  const url = await station.restartHost(() => replaceFn(station.dataDir, '9999078900000002'));
  await page.goto(url);
  await signInAs(page, TEST_CASHIER.name, TEST_CASHIER.pin);
  await waitForStation(page);
  await addLine(page, { name: 'Молоко', price: '89,90' });
  await page.getByRole('button', { name: 'Оплатить' }).click();
  await paymentDialog(page).getByRole('radio', { name: 'Карта' }).check();
  await paymentDialog(page).getByRole('button', { name: 'Пробить чек' }).click();
  await expect(result(page)).toBeVisible();
  expect(Number(await result(page).getByTestId('fd-number').textContent())).toBe(fd);

  await openTab(page, 'Возврат');
  await page.getByRole('searchbox', { name: 'Поиск чека' }).fill(String(fd));
  await page.getByRole('button', { name: 'Найти' }).click();
  const receipts = page.getByRole('table', { name: 'Чеки' });
  await expect(receipts.getByRole('row')).toHaveCount(3);
  await expect(receipts.getByRole('columnheader', { name: 'ФН' })).toBeVisible();
  const when = /\d\d\.\d\d\.\d{4}, \d\d:\d\d/.source;
  const cardName = new RegExp(`^Выбрать чек ФД ${fd} от ${when}, 89,90 ₽, карта, ФН …0002$`);
  const cashName = new RegExp(`^Выбрать чек ФД ${fd} от ${when}, 45,50 ₽, наличные, ФН …0001$`);
  const card = receipts.getByRole('button', { name: cardName });
  await expect(card).toBeVisible();
  await expect(receipts.getByRole('button', { name: cashName })).toBeVisible();
  // The row shows what its button says, and at 1024×768 all of it is in the window.
  const cardRow = receipts.getByRole('row').filter({ has: page.getByRole('button', { name: cardName }) });
  await expect(cardRow.getByRole('cell')).toHaveText([
    String(fd),
    '…0002',
    new RegExp(when),
    'Продажа',
    'Карта',
    '89,90 ₽',
    /.+/,
    'Выбрать',
  ]);
  for (const cell of await receipts.getByRole('row').nth(1).getByRole('cell').all())
    await expect(cell).toBeInViewport();

  // The refund form's heading names the FN the same way: the FD number alone names two sales here.
  await card.click();
  const heading = page.getByRole('heading', { name: `Возврат по чеку ФД ${fd}, ФН …0002`, exact: true });
  await expect(heading).toBeInViewport();
  await expect(
    page.getByRole('table', { name: 'Строки к возврату' }).getByRole('row', { name: /Молоко/ }),
  ).toBeVisible();
});
