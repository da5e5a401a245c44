// The shift: open with the cashier's name, cash in / out, X report, and the Z report behind the
// manager PIN; both reports open in a dialog. A Z report over receipts the OFD has not accepted asks
// the manager to confirm first.
import { expect, test } from './station.ts';
import { cashSale, managerSignIn, newSale, openTab, waitForStation } from './till.ts';

test('open the shift, cash in and out, X report, then close it with the Z report and the manager PIN @main-flow', async ({
  page,
}) => {
  test.setTimeout(120_000); // the longest walk of the suite: a busy machine takes over a minute
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

  const xButton = page.getByRole('button', { name: 'X-отчёт' });
  await xButton.click();
  const report = page.getByRole('dialog', { name: new RegExp(`^X-отчёт — Смена ${shiftNo}$`) });
  await expect(report).toBeVisible();
  await expect(report).toContainText('91,00 ₽');
  await expect(report.getByRole('button', { name: 'Закрыть отчёт' })).toBeFocused();
  // Escape closes it and the focus goes back to the button that opened it.
  await page.keyboard.press('Escape');
  await expect(report).toBeHidden();
  await expect(xButton).toBeFocused();

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
  const zReport = page.getByRole('dialog', { name: new RegExp(`^Z-отчёт — Смена ${shiftNo}$`) });
  await expect(zReport).toBeVisible();
  await zReport.getByRole('button', { name: 'Закрыть отчёт' }).click();
  await expect(zReport).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Смена закрыта' })).toBeVisible();
  await expect(
    page.getByRole('status').filter({ hasText: `Смена № ${shiftNo} закрыта, Z-отчёт напечатан.` }),
  ).toBeVisible();
});

test.describe('the OFD down', () => {
  test.use({ stationEnv: { STATION_BREAKER_THRESHOLD: '1', STATION_BREAKER_RESET_MS: '600000' } });

  test('a Z report with unsent receipts names the count; the manager cancels or goes on', async ({
    page,
    station,
  }) => {
    await waitForStation(page);
    await station.ofd.setMode({ mode: 'down', status: 503 });
    await cashSale(page, [{ name: 'Хлеб', price: '45,50' }]);
    await newSale(page);
    await cashSale(page, [{ name: 'Молоко', price: '89,99' }]);
    await expect(page.getByTestId('status-chip')).toHaveText(/^Офлайн — 2 чека ждут отправки/);

    await managerSignIn(page, '1357');
    await openTab(page, 'Смена');
    await expect(page.getByRole('heading', { name: /^Смена № \d+ открыта$/ })).toBeVisible();
    const close = page.getByRole('button', { name: 'Z-отчёт и закрытие смены' });
    await close.click();
    const dialog = page.getByRole('dialog', { name: 'Закрытие смены' });
    await expect(dialog.getByRole('alert')).toHaveText(
      'В ОФД не отправлено: 2 чека. Они уйдут в ОФД после закрытия смены, как только он ответит. Закрыть смену всё равно?',
    );
    await expect(dialog.getByLabel('PIN менеджера', { exact: true })).toHaveCount(0);
    // Cancel: nothing happens, the shift stays open.
    await dialog.getByRole('button', { name: 'Отмена' }).click();
    await expect(dialog).toBeHidden();
    await expect(close).toBeFocused();
    await expect(page.getByRole('heading', { name: /^Смена № \d+ открыта$/ })).toBeVisible();

    // Go on: then the PIN closes it.
    await close.click();
    const anyway = dialog.getByRole('button', { name: 'Всё равно закрыть' });
    await expect(anyway).toBeFocused();
    await anyway.click();
    const pin = dialog.getByLabel('PIN менеджера', { exact: true });
    await expect(pin).toBeFocused();
    await pin.fill('1357');
    await dialog.getByRole('button', { name: 'Закрыть смену' }).click();
    const zReport = page.getByRole('dialog', { name: /^Z-отчёт — Смена \d+$/ });
    await expect(zReport).toBeVisible();
    await expect(zReport.getByRole('definition').first()).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(zReport).toBeHidden();
    await expect(page.getByRole('heading', { name: 'Смена закрыта' })).toBeVisible();
  });
});
