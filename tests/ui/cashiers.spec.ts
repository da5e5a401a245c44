// Cashiers at the till: the first start creates the first manager; a cashier signs in and is the one on
// the stored receipt (checked through the REST API); the lock asks the same cashier's PIN again and
// «Сменить кассира» goes back to the list; a wrong PIN is said in words and lets nobody in.
import { TEST_CASHIER, expect, signInAs, test } from './station.ts';
import { cashSale, openTab, waitForStation } from './till.ts';

const INN = '500100732259';

function tabs(page: import('@playwright/test').Page) {
  return page.getByRole('tablist', { name: 'Разделы' });
}

test.describe('first start', () => {
  test.use({ seedCashier: false });

  test('creates the first manager, who is signed in and approved for the manager area', async ({
    page,
    station,
  }) => {
    const form = page.getByRole('form', { name: 'Первый запуск: создайте менеджера' });
    await expect(form).toBeVisible();
    await expect(tabs(page)).toBeHidden();
    const name = form.getByRole('textbox', { name: 'Имя (печатается в чеке)' });
    await expect(name).toBeFocused();
    await name.fill('Иванова Анна');
    await form.getByRole('textbox', { name: 'ИНН (необязательно)' }).fill('500100732258');
    await form.getByLabel('PIN для входа', { exact: true }).fill('2468');
    await form.getByLabel('PIN для входа ещё раз', { exact: true }).fill('2468');
    await form.getByRole('button', { name: 'Создать менеджера' }).click();
    await expect(form.getByText('ИНН — 12 цифр с верными контрольными цифрами.')).toBeVisible();
    await form.getByRole('textbox', { name: 'ИНН (необязательно)' }).fill(INN);
    await form.getByRole('button', { name: 'Создать менеджера' }).click();

    await expect(page.getByTestId('signed-in-cashier')).toHaveText('Кассир: Иванова Анна (менеджер)');
    await waitForStation(page);
    const list = await (await station.rest('GET', '/v1/cashiers')).json();
    expect(list.cashiers).toEqual([
      expect.objectContaining({ name: 'Иванова Анна', inn: INN, role: 'manager' }),
    ]);
    // The manager's own PIN approves the manager area: no PIN asked again.
    await openTab(page, 'Менеджер');
    await expect(page.getByRole('button', { name: 'Синхронизировать сейчас' })).toBeVisible();
    await openTab(page, 'Продажа');
    await openTab(page, 'Менеджер');
    await expect(page.getByRole('button', { name: 'Синхронизировать сейчас' })).toBeVisible();
  });
});

test.describe('sign-in', () => {
  test.use({ signIn: false });

  test('a cashier signs in with the PIN and Enter and is the cashier on the stored receipt', async ({
    page,
    station,
  }) => {
    const res = await station.rest('POST', '/v1/cashiers', {
      name: 'Петров Пётр',
      inn: INN,
      role: 'cashier',
      pin: '5555',
    });
    expect(res.status).toBe(201);
    await page.reload(); // the list as it is now
    await signInAs(page, 'Петров Пётр', '5555');
    await expect(page.getByTestId('signed-in-cashier')).toHaveText('Кассир: Петров Пётр (кассир)');
    await expect(page.getByTestId('cashier-bar-shift')).toHaveText(/Смена/);
    await waitForStation(page);

    const fd = await cashSale(page, [{ name: 'Хлеб', price: '45,50' }]);
    const { receipts } = await (await station.rest('GET', '/v1/kkt/receipts?limit=1')).json();
    expect(receipts[0].fiscal_doc.fiscal_doc_number).toBe(fd);
    const one = await (await station.rest('GET', `/v1/kkt/receipt/${receipts[0].receipt_id}`)).json();
    expect(one.cashier_name).toBe('Петров Пётр');
    expect(one.cashier_inn).toBe(INN);
  });

  test('a wrong PIN is said in words and lets nobody in', async ({ page }) => {
    const form = page.getByRole('form', { name: 'Вход кассира' });
    await form.getByRole('combobox', { name: 'Кассир' }).selectOption({ label: TEST_CASHIER.name });
    const pin = form.getByLabel('PIN кассира', { exact: true });
    await pin.fill('9999');
    await pin.press('Enter');
    await expect(form.getByRole('alert')).toHaveText('Неверный PIN. Попробуйте ещё раз.');
    await expect(pin).toHaveValue('');
    await expect(pin).toBeFocused();
    await expect(tabs(page)).toBeHidden();
  });
});

test('the lock asks the same PIN again; «Сменить кассира» goes back to the list', async ({
  page,
  station,
}) => {
  await waitForStation(page);
  await page.getByRole('button', { name: 'Заблокировать кассу (Alt+L)' }).click();
  const locked = page.getByRole('form', { name: `Касса заблокирована. Кассир: ${TEST_CASHIER.name}` });
  await expect(locked).toBeVisible();
  await expect(tabs(page)).toBeHidden();
  const pin = locked.getByLabel('PIN кассира', { exact: true });
  await expect(pin).toBeFocused();
  await pin.fill('0000');
  await pin.press('Enter');
  await expect(locked.getByRole('alert')).toHaveText('Неверный PIN. Попробуйте ещё раз.');
  await pin.fill(TEST_CASHIER.pin);
  await pin.press('Enter');
  await expect(tabs(page)).toBeVisible();

  // Alt+L locks from the keyboard; «Сменить кассира» lets another cashier in.
  expect(
    (await station.rest('POST', '/v1/cashiers', { name: 'Сидорова', role: 'cashier', pin: '7777' })).status,
  ).toBe(201);
  await page.keyboard.press('Alt+KeyL');
  await expect(locked).toBeVisible();
  await locked.getByRole('button', { name: 'Сменить кассира' }).click();
  await signInAs(page, 'Сидорова', '7777');
  await expect(page.getByTestId('signed-in-cashier')).toHaveText('Кассир: Сидорова (кассир)');
  await page
    .getByRole('region', { name: 'Кассир и смена' })
    .getByRole('button', { name: 'Сменить кассира' })
    .click();
  await expect(page.getByRole('form', { name: 'Вход кассира' })).toBeVisible();
});
