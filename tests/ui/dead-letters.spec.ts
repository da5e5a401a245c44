// A receipt the OFD refuses for good (422) goes to the failed-sends queue. The OFD still answers, but
// the header must not say a plain «Онлайн»: the chip and the status panel show the same line, with the
// count, so a manager sees there is something to handle.
import { expect, test } from './station.ts';
import { cashSale, managerSignIn, newSale, openTab, waitForStation } from './till.ts';

test('a dead letter shows in the header and in the status panel, in the same words', async ({
  page,
  station,
}) => {
  await waitForStation(page);
  await station.ofd.setMode({ mode: 'fail_next', count: 1, status: 422 });
  await cashSale(page, [{ name: 'Хлеб', price: '45,50' }]);

  const chip = page.getByTestId('status-chip');
  await expect(chip).toHaveText('Онлайн — в очереди ошибок отправки: 1 чек');
  await expect(chip).toHaveClass(/chip-degraded/);
  await expect(page.getByTestId('breaker')).toHaveText('Связь с ОФД: в норме');

  await openTab(page, 'Состояние');
  await expect(page.getByTestId('status-line')).toHaveText(await chip.innerText());
  await expect(page.getByRole('region', { name: 'Буфер чеков' })).toContainText('Очередь ошибок отправки');

  // The next sale goes through: the line keeps the dead letter and nothing else waits.
  await openTab(page, 'Продажа');
  await newSale(page);
  await cashSale(page, [{ name: 'Молоко', price: '89,99' }]);
  await expect(chip).toHaveText('Онлайн — в очереди ошибок отправки: 1 чек');

  // The manager finds it in the failed-sends queue, by its FD number.
  await managerSignIn(page, '4321');
  const queue = page.getByRole('table', { name: 'Очередь ошибок отправки' });
  await expect(queue.getByRole('row')).toHaveCount(2); // the header and the one dead letter
  await expect(queue).toContainText(/ФД \d+/);
});
