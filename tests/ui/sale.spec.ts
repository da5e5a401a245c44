// The cashier's main path: a cash sale with change, and a split (cash + card) payment.
import { expect, test } from './station.ts';
import { addLine, linesTable, paymentDialog, result, waitForStation } from './till.ts';

test.beforeEach(async ({ page }) => {
  await waitForStation(page);
});

test('cash sale with change shows ФД, ФП and the QR code @main-flow', async ({ page }) => {
  await addLine(page, { name: 'Хлеб', quantity: '2', price: '45,50' });
  await addLine(page, { name: 'Молоко', price: '89,99', vat: '10 %' });
  await expect(linesTable(page).getByRole('row')).toHaveCount(3); // header + 2 lines
  await expect(page.getByRole('status', { name: 'Итого' })).toHaveText('180,99 ₽');

  await page.getByRole('button', { name: 'Оплатить' }).click();
  const dialog = paymentDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('status', { name: 'К оплате' })).toHaveText('180,99 ₽');
  await expect(dialog.getByRole('radio', { name: 'Наличные' })).toBeChecked();
  const received = dialog.getByRole('textbox', { name: 'Получено наличными' });
  await expect(received).toHaveValue('180,99');
  await received.fill('200');
  await expect(dialog.getByRole('status', { name: 'Сдача' })).toHaveText('19,01 ₽');
  await dialog.getByRole('button', { name: 'Пробить чек' }).click();

  await expect(dialog).toBeHidden();
  const done = result(page);
  await expect(done).toBeVisible();
  await expect(done.getByRole('status', { name: 'Сдача' })).toHaveText('19,01 ₽');
  await expect(done.getByTestId('fd-number')).toHaveText(/^\d+$/);
  await expect(done.getByTestId('fiscal-sign')).toHaveText(/^\d{6,}$/);
  const qr = done.getByRole('img', { name: 'QR-код чека' });
  await expect(qr).toBeVisible();
  await expect
    .poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
    .toBe(true);

  await done.getByRole('button', { name: 'Новый чек' }).click();
  await expect(done).toBeHidden();
  await expect(page.getByRole('status', { name: 'Итого' })).toHaveText('0,00 ₽');
  await expect(page.getByRole('textbox', { name: 'Наименование' })).toBeFocused();
});

test('split payment: part by card, the rest in cash with change @main-flow', async ({ page }) => {
  await addLine(page, { name: 'Сыр', price: '450,00' });
  await addLine(page, { name: 'Кофе', quantity: '2', price: '399,90', vat: '22 %' });
  await expect(page.getByRole('status', { name: 'Итого' })).toHaveText('1 249,80 ₽');

  await page.getByRole('button', { name: 'Оплатить' }).click();
  const dialog = paymentDialog(page);
  await dialog.getByRole('radio', { name: 'Смешанная' }).check();
  const card = dialog.getByRole('textbox', { name: 'Картой' });
  await expect(card).toBeFocused();
  await card.fill('1 000');
  await expect(dialog.getByRole('status', { name: 'Наличными' })).toHaveText('249,80 ₽');
  await dialog.getByRole('textbox', { name: 'Получено наличными' }).fill('300');
  await expect(dialog.getByRole('status', { name: 'Сдача' })).toHaveText('50,20 ₽');
  await dialog.getByRole('button', { name: 'Пробить чек' }).click();

  const done = result(page);
  await expect(done).toBeVisible();
  await expect(done.getByRole('status', { name: 'Сдача' })).toHaveText('50,20 ₽');
  await expect(done.getByTestId('fd-number')).toHaveText(/^\d+$/);
  await expect(done.getByRole('img', { name: 'QR-код чека' })).toBeVisible();

  // The shift totals split the sale into its card and cash parts.
  await page.getByRole('tab', { name: 'Смена' }).click();
  const totals = page.getByRole('table', { name: 'Итоги смены' });
  const sales = totals.getByRole('row', { name: /Продажи/ });
  await expect(sales.getByRole('cell')).toHaveText(['1', '249,80 ₽', '1 000,00 ₽', '1 249,80 ₽']);
});

test('line form: field errors in words, edit and remove a line, payment blocked on an empty receipt', async ({
  page,
}) => {
  const name = page.getByRole('textbox', { name: 'Наименование' });
  const price = page.getByRole('textbox', { name: 'Цена' });
  // Nothing to pay yet.
  await page.getByRole('button', { name: 'Оплатить' }).click();
  await expect(paymentDialog(page)).toBeHidden();
  await expect(page.getByRole('alert').filter({ hasText: 'Чек пуст' })).toBeVisible();

  await page.getByRole('button', { name: 'Добавить строку' }).click();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription(/Введите наименование товара\./);
  await expect(name).toBeFocused();

  await name.fill('Хлеб');
  await price.fill('45,555');
  await page.getByRole('button', { name: 'Добавить строку' }).click();
  await expect(price).toHaveAttribute('aria-invalid', 'true');
  await expect(price).toHaveAccessibleDescription(/не больше 2 знаков после запятой/);
  await expect(price).toBeFocused();
  await price.fill('45,50');
  await page.getByRole('button', { name: 'Добавить строку' }).click();
  await expect(linesTable(page).getByRole('cell', { name: 'Хлеб', exact: true })).toBeVisible();

  // Edit: quantity 1 → 3.
  await linesTable(page).getByRole('button', { name: 'Изменить строку «Хлеб»' }).click();
  await expect(name).toHaveValue('Хлеб');
  await page.getByRole('textbox', { name: 'Количество' }).fill('3');
  await page.getByRole('button', { name: 'Сохранить строку' }).click();
  await expect(page.getByRole('status', { name: 'Итого' })).toHaveText('136,50 ₽');
  await expect(linesTable(page).getByRole('row')).toHaveCount(2);

  await addLine(page, { name: 'Молоко', price: '89,99' });
  await linesTable(page).getByRole('button', { name: 'Удалить строку «Хлеб»' }).click();
  await expect(linesTable(page).getByRole('cell', { name: 'Хлеб', exact: true })).toBeHidden();
  await expect(page.getByRole('status', { name: 'Итого' })).toHaveText('89,99 ₽');
  await page.getByRole('button', { name: 'Очистить чек' }).click();
  await page
    .getByRole('dialog', { name: 'Очистить чек?' })
    .getByRole('button', { name: 'Очистить чек' })
    .click();
  await expect(page.getByRole('status', { name: 'Итого' })).toHaveText('0,00 ₽');
  await expect(linesTable(page)).toBeHidden();
});

test('payment: less cash than due is refused in the dialog, nothing printed', async ({ page }) => {
  await addLine(page, { name: 'Хлеб', price: '45,50' });
  await page.getByRole('button', { name: 'Оплатить' }).click();
  const dialog = paymentDialog(page);
  const received = dialog.getByRole('textbox', { name: 'Получено наличными' });
  await received.fill('40');
  await dialog.getByRole('button', { name: 'Пробить чек' }).click();
  await expect(received).toHaveAttribute('aria-invalid', 'true');
  await expect(received).toHaveAccessibleDescription('Получено меньше, чем нужно наличными (45,50 ₽).');
  await expect(result(page)).toBeHidden();
  // Card pays the exact total: no cash field, no change.
  await dialog.getByRole('radio', { name: 'Карта' }).check();
  await expect(dialog.getByRole('textbox', { name: 'Получено наличными' })).toBeHidden();
  await dialog.getByRole('button', { name: 'Пробить чек' }).click();
  await expect(result(page)).toBeVisible();
  await expect(result(page).getByRole('status', { name: 'Сдача' })).toHaveText('0,00 ₽');
});
