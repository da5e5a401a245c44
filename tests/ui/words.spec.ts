// The words a cashier and a support engineer read: a receipt the OFD refuses for good shows a Russian
// reason in the failed-sends queue; the journal is worded in Russian and its filter finds a Russian
// word; clearing the receipt and deleting a line from a long receipt ask first (Enter confirms, Esc
// keeps the receipt as it was).
import { expect, test } from './station.ts';
import { addLine, cashSale, linesTable, managerSignIn, openTab, waitForStation } from './till.ts';

test('a refused receipt: a Russian reason in the queue, and the journal finds it in Russian', async ({
  page,
  station,
}) => {
  await waitForStation(page);
  await station.ofd.setMode({ mode: 'fail_next', count: 1, status: 422 });
  await cashSale(page, [{ name: 'Хлеб', price: '45,50' }]);
  await expect(page.getByTestId('status-chip')).toHaveText('Онлайн — в очереди ошибок отправки: 1 чек');

  await managerSignIn(page, '4321');
  const queue = page.getByRole('table', { name: 'Очередь ошибок отправки' });
  await expect(queue).toContainText('ОФД отклонил чек (код ответа 422)');
  await expect(queue).not.toContainText('rejected');

  await openTab(page, 'Поддержка');
  const journal = page.getByRole('table', { name: 'События' });
  await expect(journal).toContainText('Чек перенесён в очередь ошибок отправки');
  await page.getByRole('searchbox', { name: 'Фильтр журнала' }).fill('напечатан');
  await expect(journal.getByRole('row').nth(1)).toContainText('Чек напечатан: ФД');
  const entries = journal.getByRole('row').filter({ hasNot: page.getByRole('columnheader') });
  for (const row of await entries.all()) await expect(row).toContainText(/напечатан/i);
  await page.getByRole('searchbox', { name: 'Фильтр журнала' }).fill('очередь ошибок');
  await expect(journal).toContainText('Чек перенесён в очередь ошибок отправки. ОФД отклонил чек');
  await expect(journal).not.toContainText('Чек напечатан');
});

test('clearing the receipt and deleting a line from 3 lines ask first; Esc keeps, Enter confirms', async ({
  page,
}) => {
  await waitForStation(page);
  const total = page.getByRole('status', { name: 'Итого' });
  await addLine(page, { name: 'Хлеб', price: '45,50' });
  await addLine(page, { name: 'Молоко', price: '89,99' });
  await addLine(page, { name: 'Сыр', price: '300' });

  await linesTable(page).getByRole('button', { name: 'Удалить строку «Молоко»' }).click();
  const ask = page.getByRole('dialog', { name: 'Удалить строку?' });
  await expect(ask).toContainText('«Молоко»');
  await expect(ask.getByRole('button', { name: 'Удалить строку' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(ask).toBeHidden();
  await expect(linesTable(page).getByRole('row')).toHaveCount(4);
  await linesTable(page).getByRole('button', { name: 'Удалить строку «Молоко»' }).click();
  await page.keyboard.press('Enter');
  await expect(linesTable(page).getByRole('cell', { name: 'Молоко', exact: true })).toBeHidden();
  await expect(total).toHaveText('345,50 ₽');

  // Two lines left: deleting one no longer asks.
  await linesTable(page).getByRole('button', { name: 'Удалить строку «Сыр»' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(total).toHaveText('45,50 ₽');

  await page.getByRole('button', { name: 'Очистить чек' }).click();
  const clear = page.getByRole('dialog', { name: 'Очистить чек?' });
  await expect(clear).toContainText('45,50 ₽');
  await page.keyboard.press('Escape');
  await expect(total).toHaveText('45,50 ₽');
  await page.getByRole('button', { name: 'Очистить чек' }).click();
  await expect(clear.getByRole('button', { name: 'Очистить чек' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(total).toHaveText('0,00 ₽');
  await expect(page.getByRole('textbox', { name: 'Наименование' })).toBeFocused();
});
