// The shift: open with the cashier's name, cash in / out, X report, and the Z report behind the
// manager PIN.
import { expect, test } from './station.ts';
import { cashSale, managerSignIn, openTab, waitForStation } from './till.ts';

test('open the shift, cash in and out, X report, then close it with the Z report and the manager PIN', async ({
  page,
}) => {
  await waitForStation(page);
  await openTab(page, 'Смена');
  await expect(page.getByRole('heading', { name: 'Смена закрыта' })).toBeVisible();
  const cashier = page.getByRole('textbox', { name: 'Кассир' });
  await expect(cashier).toBeFocused();
  await cashier.fill('Иванова А. П.');
  await page.getByRole('button', { name: 'Открыть смену' }).click();
  await expect(page.getByRole('heading', { name: /^Смена № \d+ открыта$/ })).toBeVisible();
  const shiftNo = (await page.getByRole('heading', { name: /^Смена № \d+ открыта$/ }).textContent())!.match(
    /\d+/,
  )![0];
  await expect(page.getByRole('status').filter({ hasText: `Смена № ${shiftNo} открыта.` })).toBeVisible();

  const amount = page.getByRole('textbox', { name: 'Сумма' });
  await amount.fill('1 000');
  await page.getByRole('button', { name: 'Внесение' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Внесено' })).toHaveText(
    'Внесено 1 000,00 ₽. В кассе: 1 000,00 ₽.',
  );
  await amount.fill('150,50');
  await page.getByRole('button', { name: 'Выплата' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Выплачено' })).toHaveText(
    'Выплачено 150,50 ₽. В кассе: 849,50 ₽.',
  );

  // A sale in this shift shows up in its totals.
  await openTab(page, 'Продажа');
  await cashSale(page, [{ name: 'Хлеб', quantity: '2', price: '45,50' }], '100');
  await openTab(page, 'Смена');
  const totals = page.getByRole('table', { name: 'Итоги смены' });
  await expect(totals.getByRole('row', { name: /^Продажи/ }).getByRole('cell')).toHaveText([
    '1',
    '91,00 ₽',
    '0,00 ₽',
    '91,00 ₽',
  ]);
  await expect(totals.getByRole('row', { name: /^Внесения/ })).toContainText('1 000,00 ₽');
  await expect(totals.getByRole('row', { name: /^Выплаты/ })).toContainText('150,50 ₽');
  await expect(totals.getByRole('row', { name: /^Наличных в кассе/ })).toContainText('940,50 ₽');

  await page.getByRole('button', { name: 'X-отчёт' }).click();
  const report = page.getByRole('region', { name: new RegExp(`^X-отчёт — Смена ${shiftNo}$`) });
  await expect(report).toBeVisible();
  await expect(report).toContainText('91,00 ₽');

  // Closing needs the manager PIN.
  await managerSignIn(page, '1357');
  await openTab(page, 'Смена');
  await page.getByRole('button', { name: 'Z-отчёт и закрытие смены' }).click();
  const dialog = page.getByRole('dialog', { name: 'Закрытие смены' });
  await expect(dialog).toBeVisible();
  const pin = dialog.getByLabel('PIN менеджера', { exact: true });
  await expect(pin).toBeFocused();
  await expect(pin).toHaveAttribute('type', 'password');
  await pin.fill('9999');
  await dialog.getByRole('button', { name: 'Закрыть смену' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Неверный PIN');
  await expect(page.getByRole('heading', { name: `Смена № ${shiftNo} открыта` })).toBeVisible();
  await pin.fill('1357');
  await dialog.getByRole('button', { name: 'Закрыть смену' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Смена закрыта' })).toBeVisible();
  await expect(
    page.getByRole('status').filter({ hasText: `Смена № ${shiftNo} закрыта, Z-отчёт напечатан.` }),
  ).toBeVisible();
  await expect(page.getByRole('region', { name: new RegExp(`^Z-отчёт — Смена ${shiftNo}$`) })).toBeVisible();
});
