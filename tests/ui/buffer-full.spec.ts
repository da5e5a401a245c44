// A full buffer refuses new sales before anything is printed, and says so in words.
import { expect, test } from './station.ts';
import { addLine, cashSale, newSale, openTab, paymentDialog, result, waitForStation } from './till.ts';

test.use({
  stationEnv: {
    STATION_BUFFER_CAPACITY: '1',
    STATION_BREAKER_THRESHOLD: '1',
    STATION_BREAKER_RESET_MS: '1000',
  },
});

test('buffer full: the second sale is refused with a clear message and nothing is printed', async ({
  page,
  station,
}) => {
  await waitForStation(page);
  await station.ofd.setMode({ mode: 'down', status: 503 });
  const fd = await cashSale(page, [{ name: 'Хлеб', price: '45,50' }]);
  const chip = page.getByTestId('status-chip');
  await expect(chip).toHaveText(/^(Офлайн|Связь с ОФД нестабильна) — 1 чек ждёт отправки/);
  // 1 of 1: the header escalates to "full".
  const capAlert = page
    .getByRole('region', { name: 'Предупреждения' })
    .getByRole('alert')
    .filter({ hasText: 'Буфер заполнен' });
  await expect(capAlert).toHaveText(/Буфер заполнен: 1 из 1\. Новые чеки не принимаются/);
  await newSale(page);

  await addLine(page, { name: 'Молоко', price: '89,99' });
  await page.getByRole('button', { name: 'Оплатить' }).click();
  const dialog = paymentDialog(page);
  await dialog.getByRole('button', { name: 'Пробить чек' }).click();

  const refusal = dialog.getByRole('alert');
  await expect(refusal).toBeVisible();
  await expect(refusal).toContainText('Буфер заполнен: 1/1');
  await expect(refusal).toContainText('ОФД');
  await expect(result(page)).toBeHidden();
  // The cashier closes the dialog: the line stays for a retry.
  await dialog.getByRole('button', { name: 'Отмена' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status', { name: 'Итого' })).toHaveText('89,99 ₽');

  // Nothing was stored or printed: the station holds one receipt, the shift counts one sale.
  await openTab(page, 'Состояние');
  await expect(page.getByRole('progressbar', { name: 'Заполнение буфера' })).toHaveAttribute(
    'aria-valuetext',
    '1 из 1 (100 %)',
  );
  await openTab(page, 'Возврат');
  await expect(page.getByRole('table', { name: 'Чеки' }).getByRole('row')).toHaveCount(2);
  await openTab(page, 'Смена');
  await expect(
    page
      .getByRole('table', { name: 'Итоги смены' })
      .getByRole('row', { name: /Продажи/ })
      .getByRole('cell')
      .first(),
  ).toHaveText('1');

  // The OFD is back, the buffer drains, and the same receipt prints as the very next FD: the refused
  // attempt never reached the KKT.
  await station.ofd.setMode({ mode: 'up' });
  await expect(chip).toHaveText('Онлайн');
  await expect(capAlert).toBeHidden();
  await openTab(page, 'Продажа');
  await expect(page.getByRole('status', { name: 'Итого' })).toHaveText('89,99 ₽');
  await page.getByRole('button', { name: 'Оплатить' }).click();
  await dialog.getByRole('button', { name: 'Пробить чек' }).click();
  await expect(result(page)).toBeVisible();
  await expect(result(page).getByTestId('fd-number')).toHaveText(String(fd + 1));
});
