// Keyboard first: a whole sale with the keyboard only, from the first key to the printed receipt.
// Typed at a person's pace (HUMAN): keys a few ms apart ending in Enter are a barcode scanner's burst
// (src/renderer/state/keyboard-scanner.ts), which Playwright's undelayed typing would be.
// The payment method is a radio group: the arrow keys walk it without the focus being taken away.
import { expect, test } from './station.ts';
import { linesTable, paymentDialog, result, waitForStation } from './till.ts';

const HUMAN = { delay: 100 };

test('keyboard-only sale: Enter moves name → quantity → price → adds, F2 pays, Enter prints', async ({
  page,
}) => {
  await waitForStation(page);
  const name = page.getByRole('textbox', { name: 'Наименование' });
  const qty = page.getByRole('textbox', { name: 'Количество' });
  const price = page.getByRole('textbox', { name: 'Цена' });
  await expect(name).toBeFocused();
  const kb = page.keyboard;

  await kb.type('Хлеб', HUMAN);
  await kb.press('Enter');
  await expect(qty).toBeFocused();
  await expect(qty).toHaveValue('1');
  await kb.type('2'); // the quantity is selected on entry: typing replaces the default 1
  await expect(qty).toHaveValue('2');
  await kb.press('Enter');
  await expect(price).toBeFocused();
  await kb.type('45,50', HUMAN);
  await kb.press('Enter');
  await expect(linesTable(page).getByRole('cell', { name: 'Хлеб', exact: true })).toBeVisible();
  await expect(name).toBeFocused();
  await expect(name).toHaveValue('');

  await kb.type('Молоко', HUMAN);
  await kb.press('Enter');
  await expect(qty).toBeFocused();
  await expect(qty).toHaveValue('1');
  await kb.press('Enter');
  await expect(price).toBeFocused();
  await kb.type('89,99', HUMAN);
  await kb.press('Enter');
  await expect(linesTable(page).getByRole('cell', { name: 'Молоко', exact: true })).toBeVisible();
  await expect(name).toBeFocused();
  await expect(page.getByRole('status', { name: 'Итого' })).toHaveText('180,99 ₽');

  await kb.press('F2');
  const dialog = paymentDialog(page);
  await expect(dialog).toBeVisible();
  const received = dialog.getByRole('textbox', { name: 'Получено наличными' });
  await expect(received).toBeFocused();
  await expect(received).toHaveValue('180,99');
  // Prefilled and selected: typing replaces the amount.
  expect(await received.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd])).toEqual([
    0,
    '180,99'.length,
  ]);
  await kb.type('200', HUMAN);
  await expect(received).toHaveValue('200');
  await expect(dialog.getByRole('status', { name: 'Сдача' })).toHaveText('19,01 ₽');
  await kb.press('Enter');

  await expect(dialog).toBeHidden();
  await expect(result(page)).toBeVisible();
  await expect(result(page).getByRole('status', { name: 'Сдача' })).toHaveText('19,01 ₽');
  await expect(result(page).getByTestId('fd-number')).toHaveText(/^\d+$/);
  // The next sale starts in the name field again.
  await expect(name).toBeFocused();
});

test('Ctrl+Enter opens the payment too, and Escape closes it without printing', async ({ page }) => {
  await waitForStation(page);
  const kb = page.keyboard;
  await expect(page.getByRole('textbox', { name: 'Наименование' })).toBeFocused();
  await kb.type('Соль', HUMAN);
  await kb.press('Enter');
  await kb.press('Enter');
  await kb.type('19,90', HUMAN);
  await kb.press('Enter');
  await expect(linesTable(page).getByRole('cell', { name: 'Соль', exact: true })).toBeVisible();
  await kb.press('Control+Enter');
  const dialog = paymentDialog(page);
  await expect(dialog).toBeVisible();
  await kb.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(result(page)).toBeHidden();
  await expect(page.getByRole('status', { name: 'Итого' })).toHaveText('19,90 ₽');
});

test('the payment method with the arrow keys: the choice moves, the focus stays on the radios', async ({
  page,
}) => {
  await waitForStation(page);
  const kb = page.keyboard;
  await kb.type('Соль', HUMAN);
  await kb.press('Enter');
  await kb.press('Enter');
  await kb.type('19,90', HUMAN);
  await kb.press('Enter');
  await kb.press('F2');
  const dialog = paymentDialog(page);
  const group = dialog.getByRole('radiogroup', { name: 'Способ оплаты' });
  const radio = (name: string) => group.getByRole('radio', { name });
  await expect(dialog.getByRole('textbox', { name: 'Получено наличными' })).toBeFocused();
  await kb.press('Shift+Tab'); // back to the group: Tab enters it at the checked card
  await expect(radio('Наличные')).toBeFocused();
  await kb.press('ArrowRight');
  await expect(radio('Карта')).toBeChecked();
  await expect(radio('Карта')).toBeFocused();
  await expect(dialog.getByRole('textbox', { name: 'Получено наличными' })).toBeHidden();
  await kb.press('ArrowRight');
  await expect(radio('Смешанная')).toBeChecked();
  await expect(radio('Смешанная')).toBeFocused(); // not taken to «Картой» while walking the group
  await expect(dialog.getByRole('textbox', { name: 'Картой' })).toBeVisible();
  await kb.press('ArrowLeft');
  await expect(radio('Карта')).toBeChecked();
  // A click goes on to the amount the method needs.
  await radio('Смешанная').click();
  await expect(dialog.getByRole('textbox', { name: 'Картой' })).toBeFocused();
  await kb.press('Escape');
  await expect(dialog).toBeHidden();
});
