// Accessibility: axe-core on the main screens. Every violation is printed (and attached) for the
// report; serious and critical ones fail the test.
import type { Page, TestInfo } from '@playwright/test';
import { axeViolations, type AxeViolation as Violation } from './axe.ts';
import { expect, test } from './station.ts';
import { addLine, cashSale, managerSignIn, openTab, paymentDialog, waitForStation } from './till.ts';

async function scan(page: Page, testInfo: TestInfo, label: string): Promise<Violation[]> {
  const violations = await axeViolations(page);
  const lines = violations.map(
    (v) =>
      `[${label}] ${v.impact ?? 'n/a'} ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.replace(/\n/g, ' ')}`).join('\n')}`,
  );
  console.log(lines.length ? lines.join('\n') : `[${label}] no axe violations`);
  await testInfo.attach(`axe-${label}.json`, {
    body: JSON.stringify(violations, null, 2),
    contentType: 'application/json',
  });
  return violations;
}

function serious(violations: Violation[]): string[] {
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('sale screen with a line, and with the payment dialog open: no serious or critical violations', async ({
  page,
}, testInfo) => {
  await waitForStation(page);
  await addLine(page, { name: 'Хлеб', quantity: '2', price: '45,50' });
  await addLine(page, { name: 'Молоко', price: '89,99' });
  const saleFound = await scan(page, testInfo, 'sale');

  await page.getByRole('button', { name: 'Оплатить' }).click();
  await expect(paymentDialog(page)).toBeVisible();
  const payFound = await scan(page, testInfo, 'payment');
  await paymentDialog(page).getByRole('radio', { name: 'Смешанная' }).check();
  await expect(paymentDialog(page).getByRole('textbox', { name: 'Картой' })).toBeVisible();
  const splitFound = await scan(page, testInfo, 'payment-split');

  expect([...serious(saleFound), ...serious(payFound), ...serious(splitFound)]).toEqual([]);
});

test('item search dialog with results, and the quick keys: no serious or critical violations', async ({
  page,
  station,
}, testInfo) => {
  test.slow(); // axe over the page with a dialog open: over a minute on this loaded 2-core machine
  const items = [
    { code: '1001', name: 'Хлеб Бородинский', price: '45.50', vat_rate: '10' },
    { code: 'BAG', name: 'Пакет-майка', price: '5', vat_rate: '22' },
  ];
  expect((await station.rest('PUT', '/v1/catalog/items', { items })).status).toBe(200);
  const keys = [{ code: 'BAG', label: 'Пакет' }, { code: '1001' }];
  expect((await station.rest('PUT', '/v1/catalog/quick-keys', { keys })).status).toBe(200);
  await waitForStation(page);
  await expect(page.getByRole('list', { name: 'Быстрые кнопки' }).getByRole('button')).toHaveCount(2);
  await page.keyboard.press('F3');
  const dialog = page.getByRole('dialog', { name: 'Поиск товара' });
  await dialog.getByRole('combobox', { name: 'Название, код или штрихкод' }).fill('хлеб');
  await expect(dialog.getByRole('option')).toHaveCount(1);
  expect(serious(await scan(page, testInfo, 'item-search'))).toEqual([]);
});

test('status panel: no serious or critical violations', async ({ page }, testInfo) => {
  await waitForStation(page);
  await cashSale(page, [{ name: 'Хлеб', price: '45,50' }]);
  await openTab(page, 'Состояние');
  await expect(page.getByRole('heading', { name: 'Буфер чеков' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Связь с ОФД' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Синхронизация' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'ККТ' })).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Заполнение буфера' })).toBeVisible();
  expect(serious(await scan(page, testInfo, 'status'))).toEqual([]);
});

test('result, refund, shift, manager and support screens: no serious or critical violations', async ({
  page,
}, testInfo) => {
  await waitForStation(page);
  const fd = await cashSale(page, [{ name: 'Хлеб', price: '45,50' }], '50');
  const found: string[] = [];
  found.push(...serious(await scan(page, testInfo, 'result')));
  await openTab(page, 'Возврат');
  await page.getByRole('button', { name: `Выбрать чек ФД ${fd}` }).click();
  await expect(page.getByRole('heading', { name: `Возврат по чеку ФД ${fd}` })).toBeVisible();
  found.push(...serious(await scan(page, testInfo, 'refund')));
  await openTab(page, 'Смена');
  await expect(page.getByRole('table', { name: 'Итоги смены' })).toBeVisible();
  found.push(...serious(await scan(page, testInfo, 'shift')));
  await managerSignIn(page, '2468');
  found.push(...serious(await scan(page, testInfo, 'manager')));
  await openTab(page, 'Поддержка');
  await expect(page.getByRole('table', { name: 'События' })).toBeVisible();
  found.push(...serious(await scan(page, testInfo, 'support')));
  expect(found).toEqual([]);
});

test.describe('offline, buffer full', () => {
  test.use({
    stationEnv: {
      STATION_BUFFER_CAPACITY: '1',
      STATION_BREAKER_THRESHOLD: '1',
      STATION_BREAKER_RESET_MS: '600000',
    },
  });

  test('the offline chip, the header alert and a refusal in the dialog: no serious or critical violations', async ({
    page,
    station,
  }, testInfo) => {
    await waitForStation(page);
    await station.ofd.setMode({ mode: 'down', status: 503 });
    await cashSale(page, [{ name: 'Хлеб', price: '45,50' }]);
    await expect(page.getByTestId('status-chip')).toHaveText(/^Офлайн — 1 чек ждёт отправки/);
    await expect(page.getByRole('region', { name: 'Предупреждения' }).getByRole('alert')).toBeVisible();
    const found = serious(await scan(page, testInfo, 'offline-result'));
    await page.getByRole('button', { name: 'Новый чек' }).click();
    await addLine(page, { name: 'Молоко', price: '89,99' });
    await page.getByRole('button', { name: 'Оплатить' }).click();
    await paymentDialog(page).getByRole('button', { name: 'Пробить чек' }).click();
    await expect(paymentDialog(page).getByRole('alert')).toBeVisible();
    found.push(...serious(await scan(page, testInfo, 'offline-refusal')));
    await paymentDialog(page).getByRole('button', { name: 'Отмена' }).click();
    await openTab(page, 'Состояние');
    found.push(...serious(await scan(page, testInfo, 'offline-status')));
    expect(found).toEqual([]);
  });
});

test.describe('the sign-in screens', () => {
  test.use({ seedCashier: false });

  test('first start, sign-in with a wrong PIN, and the locked till: no serious or critical violations', async ({
    page,
    station,
  }, testInfo) => {
    await expect(page.getByRole('form', { name: 'Первый запуск: создайте менеджера' })).toBeVisible();
    const firstFound = await scan(page, testInfo, 'first-start');

    const res = await station.rest('POST', '/v1/cashiers', { name: 'Иванова', role: 'cashier', pin: '1357' });
    expect(res.status).toBe(201);
    await page.reload();
    const form = page.getByRole('form', { name: 'Вход кассира' });
    await form.getByLabel('PIN кассира', { exact: true }).fill('0000');
    await form.getByLabel('PIN кассира', { exact: true }).press('Enter');
    await expect(form.getByRole('alert')).toBeVisible();
    const signInFound = await scan(page, testInfo, 'sign-in');

    await form.getByLabel('PIN кассира', { exact: true }).fill('1357');
    await form.getByLabel('PIN кассира', { exact: true }).press('Enter');
    await page.getByRole('button', { name: 'Заблокировать кассу (Alt+L)' }).click();
    await expect(page.getByRole('form', { name: 'Касса заблокирована. Кассир: Иванова' })).toBeVisible();
    const lockedFound = await scan(page, testInfo, 'locked');

    expect([...serious(firstFound), ...serious(signInFound), ...serious(lockedFound)]).toEqual([]);
  });
});
