// A refusal in the payment dialog at the shop's smallest screen: its words, its hint and its button make
// the dialog taller than 1024×768, and the buttons under it (retry, cancel) must still be in view, not
// under the dialog's edge. The refusal here is the KKT's own: its shift has been open for over 24 hours.
import { join } from 'node:path';
import { StateStore } from '../../src/kkt-emulator/state.ts';
import { expect, signInAs, test, TEST_CASHIER } from './station.ts';
import { addLine, cashSale, paymentDialog, result, waitForStation } from './till.ts';

/** The till is off: its KKT's shift is made 25 hours old (the emulator's durable state, state.ts). */
function ageShift(dataDir: string): void {
  const store = StateStore.open(join(dataDir, 'kkt-emulator.json'), {}, new Date().toISOString());
  store.state.shift.openedAtMs = Date.now() - 25 * 3_600_000;
  store.commit();
  store.close();
}

test('a refusal in the payment dialog at 1024×768: the words and the buttons to retry or cancel are in view', async ({
  page,
  station,
}) => {
  await waitForStation(page);
  await cashSale(page, [{ name: 'Хлеб', price: '45,50' }]); // opens the shift
  await page.goto(await station.restartHost(() => ageShift(station.dataDir)));
  await signInAs(page, TEST_CASHIER.name, TEST_CASHIER.pin);
  await waitForStation(page);
  await addLine(page, { name: 'Молоко', price: '89,90' });
  await page.getByRole('button', { name: 'Оплатить' }).click();
  const dialog = paymentDialog(page);
  await dialog.getByRole('button', { name: 'Пробить чек' }).click();

  const refusal = dialog.getByRole('alert');
  await expect(refusal).toContainText('Смена открыта больше 24 часов');
  await expect(result(page)).toBeHidden();
  for (const seen of [
    refusal,
    refusal.getByRole('button', { name: 'Перейти к смене' }),
    dialog.getByRole('button', { name: 'Пробить чек' }),
    dialog.getByRole('button', { name: 'Отмена' }),
  ])
    await expect(seen).toBeInViewport({ ratio: 1 });
});
