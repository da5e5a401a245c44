// Discounts on the sale screen (issue 11.5), by role and label: a line discount in per cent, a receipt
// discount in roubles (Shift+F4), the old price struck through and the total after the discounts; the
// printed receipt holds the discounted total; a discount above the cashier's limit needs the manager's
// PIN; 100 % is refused in words; a line changed after its discount blocks «Оплатить» in Russian and a
// larger share asks the PIN again. Per cents are written with a decimal comma («7,5 %»).
import { expect, test } from './station.ts';
import {
  addLine,
  linesTable,
  managerSignIn,
  money,
  newSale,
  paymentDialog,
  result,
  waitForStation,
} from './till.ts';

const MANAGER_PIN = '2468';

test.beforeEach(async ({ page, station }) => {
  const res = await station.rest('POST', '/v1/cashiers', {
    name: 'Менеджер Скидкин',
    pin: MANAGER_PIN,
    role: 'manager',
  });
  expect(res.status).toBe(201);
  await waitForStation(page);
});

const total = (page: import('@playwright/test').Page) => page.getByRole('status', { name: 'Итого' });

test('a line discount in per cent and a receipt discount in roubles print the discounted total', async ({
  page,
  station,
}) => {
  await addLine(page, { name: 'Чай', quantity: '3', price: '33,34' });
  await addLine(page, { name: 'Кофе', price: '250,00' });
  await expect(total(page)).toHaveText(money('350,02 ₽'));

  await linesTable(page).getByRole('button', { name: 'Скидка на «Кофе»' }).click();
  const dialog = page.getByRole('dialog', { name: 'Скидка на позицию «Кофе»' });
  await expect(dialog.getByRole('radio', { name: 'Процент' })).toBeChecked();
  await dialog.getByRole('textbox', { name: 'Скидка, %' }).fill('10');
  await expect(dialog.getByRole('status')).toHaveText('Было 250,00 ₽, станет 225,00 ₽');
  await dialog.getByRole('button', { name: 'Применить скидку' }).click();
  await expect(dialog).toBeHidden();

  const coffee = linesTable(page).getByRole('row').filter({ hasText: 'Кофе' });
  await expect(coffee.locator('s')).toHaveText(/Цена без скидки:\s*250,00 ₽/);
  await expect(coffee.getByRole('cell').nth(5)).toHaveText(money('225,00 ₽'));
  await expect(total(page)).toHaveText(money('325,02 ₽'));
  await expect(page.getByTestId('sale-discount')).toHaveText(money('25,00 ₽'));

  await page.keyboard.press('Shift+F4');
  const receipt = page.getByRole('dialog', { name: 'Скидка на весь чек' });
  await receipt.getByRole('radio', { name: 'Рубли' }).check();
  await receipt.getByRole('textbox', { name: 'Скидка, ₽' }).fill('0,02');
  await receipt.getByRole('button', { name: 'Применить скидку' }).click();
  await expect(receipt).toBeHidden();
  await expect(total(page)).toHaveText(money('325,00 ₽'));

  await page.getByRole('button', { name: 'Оплатить' }).click();
  const pay = paymentDialog(page);
  await expect(pay.getByRole('status', { name: 'К оплате' })).toHaveText(money('325,00 ₽'));
  await pay.getByRole('button', { name: 'Пробить чек' }).click();
  await expect(result(page)).toBeVisible();

  const list = (await (await station.rest('GET', '/v1/kkt/receipts?limit=1')).json()) as {
    receipts: { total: number; items: { name: string; total: number; price_before_discount?: number }[] }[];
  };
  const printed = list.receipts[0]!;
  expect(printed.total).toBe(325);
  expect(printed.items.reduce((s, i) => s + Math.round(i.total * 100), 0)).toBe(32_500);
  expect(printed.items.filter((i) => i.name === 'Чай').length).toBe(2); // 100.01 for 3: two exact lines
  expect(printed.items.every((i) => i.price_before_discount !== undefined)).toBe(true);
});

test("above the cashier's limit the manager's PIN is asked; 100 % is refused", async ({ page }) => {
  await addLine(page, { name: 'Сыр', price: '100,00' });
  // Ctrl+F4 / Alt+F4 are the system's (close a tab or the window): no discount dialog from them.
  await page.keyboard.press('Control+F4');
  await page.keyboard.press('Alt+F4');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.keyboard.press('F4');
  const dialog = page.getByRole('dialog', { name: 'Скидка на позицию «Сыр»' });
  const value = dialog.getByRole('textbox', { name: 'Скидка, %' });

  await value.fill('100');
  await dialog.getByRole('button', { name: 'Применить скидку' }).click();
  await expect(dialog.getByText('Скидка должна быть меньше 100 %')).toBeVisible();

  await value.fill('15');
  await expect(dialog.getByText('Скидка больше лимита кассира (10 %): нужен PIN менеджера.')).toBeVisible();
  const pin = dialog.getByLabel('PIN менеджера', { exact: true });
  await pin.fill('0000');
  await dialog.getByRole('button', { name: 'Применить скидку' }).click();
  await expect(dialog.getByText('Неверный PIN менеджера.')).toBeVisible();
  await pin.fill(MANAGER_PIN);
  await dialog.getByRole('button', { name: 'Применить скидку' }).click();
  await expect(dialog).toBeHidden();
  await expect(total(page)).toHaveText(money('85,00 ₽'));

  await page.getByRole('button', { name: 'Оплатить' }).click();
  await paymentDialog(page).getByRole('button', { name: 'Пробить чек' }).click();
  await expect(result(page)).toBeVisible();
  await newSale(page);
});

test('a line changed after its discount: payment blocked in Russian, a larger share asks the PIN again', async ({
  page,
}) => {
  await addLine(page, { name: 'Сыр', quantity: '3', price: '100,00' });
  await page.keyboard.press('F4');
  const dialog = page.getByRole('dialog', { name: 'Скидка на позицию «Сыр»' });
  await dialog.getByRole('radio', { name: 'Рубли' }).check();
  await dialog.getByRole('textbox', { name: 'Скидка, ₽' }).fill('150');
  await dialog.getByLabel('PIN менеджера', { exact: true }).fill(MANAGER_PIN);
  await dialog.getByRole('button', { name: 'Применить скидку' }).click();
  await expect(dialog).toBeHidden();
  await expect(total(page)).toHaveText(money('150,00 ₽'));

  const setQuantity = async (quantity: string) => {
    await linesTable(page).getByRole('button', { name: 'Изменить строку «Сыр»' }).click();
    await page.getByRole('textbox', { name: 'Количество' }).fill(quantity);
    await page.getByRole('button', { name: 'Сохранить строку' }).click();
  };
  // One unit: 150,00 off 100,00 no longer fits; the station is not asked, the cashier reads why.
  await setQuantity('1');
  await expect(total(page)).toHaveText(money('100,00 ₽'));
  await page.getByRole('button', { name: 'Оплатить' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Скидка на «Сыр» больше не подходит: Скидка должна быть меньше суммы. Измените или уберите скидку.',
  );
  await expect(paymentDialog(page)).toBeHidden();

  // Two units: 150,00 of 200,00 is 75 %, more than the 50 % the manager approved: the PIN again.
  await setQuantity('2');
  await page.getByRole('button', { name: 'Оплатить' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Скидка стала больше, чем одобрил менеджер (лимит кассира 10 %): откройте скидку и введите PIN менеджера снова.',
  );
  await expect(paymentDialog(page)).toBeHidden();
  await page.keyboard.press('F4');
  await expect(dialog.getByLabel('PIN менеджера', { exact: true })).toBeVisible();
  await dialog.getByLabel('PIN менеджера', { exact: true }).fill(MANAGER_PIN);
  await dialog.getByRole('button', { name: 'Применить скидку' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Оплатить' }).click();
  await expect(paymentDialog(page).getByRole('status', { name: 'К оплате' })).toHaveText(money('50,00 ₽'));
  await paymentDialog(page).getByRole('button', { name: 'Пробить чек' }).click();
  await expect(result(page)).toBeVisible();
});

test.describe('a limit with a fraction', () => {
  test.use({ stationEnv: { STATION_CASHIER_DISCOUNT_LIMIT_PERCENT: '7.5' } });
  test('per cents are written with a decimal comma: the limit, the discount typed before, the settings', async ({
    page,
  }) => {
    await addLine(page, { name: 'Сыр', price: '100,00' });
    await page.keyboard.press('F4');
    const dialog = page.getByRole('dialog', { name: 'Скидка на позицию «Сыр»' });
    await dialog.getByRole('textbox', { name: 'Скидка, %' }).fill('12,5');
    await expect(
      dialog.getByText('Скидка больше лимита кассира (7,5 %): нужен PIN менеджера.'),
    ).toBeVisible();
    await dialog.getByLabel('PIN менеджера', { exact: true }).fill(MANAGER_PIN);
    await dialog.getByRole('button', { name: 'Применить скидку' }).click();
    await expect(dialog).toBeHidden();
    await expect(total(page)).toHaveText(money('87,50 ₽'));

    // Opened again, the dialog shows the discount as it was typed; «Отмена» keeps it.
    await page.keyboard.press('F4');
    await expect(dialog.getByRole('textbox', { name: 'Скидка, %' })).toHaveValue('12,5');
    await dialog.getByRole('button', { name: 'Отмена' }).click();
    await expect(dialog).toBeHidden();
    await expect(total(page)).toHaveText(money('87,50 ₽'));

    await managerSignIn(page, MANAGER_PIN);
    await expect(page.getByRole('textbox', { name: 'Максимальная скидка кассира, %' })).toHaveValue('7,5');
  });
});
