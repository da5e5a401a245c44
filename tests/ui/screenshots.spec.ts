// Screenshots of every screen of a working till, at the shop's 1024×768 (the web-1024 project), as test
// artifacts (test-results/ui) on every run, and the README's few (IN_README) for the docs
// (docs/screenshots/*.png) with UPDATE_SCREENSHOTS=1 (npm test -- --ui), so an ordinary test run leaves
// the work tree clean. One station, one walk through the sections, as a cashier and then a manager would.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page, TestInfo } from '@playwright/test';
import { TEST_CASHIER, expect, signInAs, test } from './station.ts';
import { addLine, managerSignIn, newSale, openTab, paymentDialog, result, waitForStation } from './till.ts';

const DOCS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
/** The screenshots the README shows (kept few: every PNG in the repository weighs on every clone). */
const IN_README = new Set(['00-signin', '01-sale', '02-payment', '03-result', '07-manager']);

test.use({ signIn: false });

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const toDocs = process.env.UPDATE_SCREENSHOTS === '1' && IN_README.has(name);
  const dir = toDocs ? DOCS : testInfo.outputPath('screenshots/');
  mkdirSync(dir, { recursive: true });
  const path = `${dir}${name}.png`;
  // The clock in the header and the caret move: screenshots are documentation, not pixel baselines.
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test('screenshots of every screen', async ({ page }, testInfo) => {
  test.setTimeout(180_000); // one walk through every section
  // Вход кассира, the name picked.
  await expect(page.getByTestId('status-chip')).toHaveText('Онлайн');
  await page
    .getByRole('form', { name: 'Вход кассира' })
    .getByRole('combobox', { name: 'Кассир' })
    .selectOption({ label: TEST_CASHIER.name });
  await shot(page, testInfo, '00-signin');
  await signInAs(page, TEST_CASHIER.name, TEST_CASHIER.pin);
  await waitForStation(page);
  await expect(page.getByTestId('status-chip')).toHaveText('Онлайн');

  // Продажа with lines.
  await addLine(page, { name: 'Хлеб «Бородинский»', quantity: '2', price: '45,50', vat: '10 %' });
  await addLine(page, { name: 'Молоко 3,2 % 1 л', price: '89,99', vat: '10 %' });
  await addLine(page, { name: 'Кофе молотый 250 г', price: '399,90', vat: '22 %' });
  await expect(page.getByRole('status', { name: 'Итого' })).toHaveText('580,89 ₽');
  await shot(page, testInfo, '01-sale');

  // Оплата.
  await page.getByRole('button', { name: 'Оплатить' }).click();
  const dialog = paymentDialog(page);
  await dialog.getByRole('textbox', { name: 'Получено наличными' }).fill('1 000');
  await expect(dialog.getByRole('status', { name: 'Сдача' })).toHaveText('419,11 ₽');
  await shot(page, testInfo, '02-payment');

  // Чек пробит, with the QR code.
  await dialog.getByRole('button', { name: 'Пробить чек' }).click();
  const qr = result(page).getByRole('img', { name: 'QR-код чека' });
  await expect(qr).toBeVisible();
  await expect
    .poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
    .toBe(true);
  await shot(page, testInfo, '03-result');
  const fd = (await result(page).getByTestId('fd-number').textContent())!;
  await newSale(page);

  // A second sale, by card, so the lists have more than one receipt.
  await addLine(page, { name: 'Сыр Российский 300 г', price: '310,00', vat: '10 %' });
  await page.getByRole('button', { name: 'Оплатить' }).click();
  await dialog.getByRole('radio', { name: 'Карта' }).check();
  await dialog.getByRole('button', { name: 'Пробить чек' }).click();
  await expect(result(page)).toBeVisible();
  await expect(page.getByTestId('status-chip')).toHaveText('Онлайн');

  // Возврат: the receipt list, then the refund form for the first sale.
  await openTab(page, 'Возврат');
  await expect(page.getByRole('table', { name: 'Чеки' }).getByRole('row')).toHaveCount(3);
  await page.getByRole('button', { name: `Выбрать чек ФД ${fd}` }).click();
  await expect(page.getByRole('heading', { name: `Возврат по чеку ФД ${fd}` })).toBeVisible();
  await page.getByRole('checkbox', { name: 'Вернуть строку «Хлеб «Бородинский»»' }).check();
  await page.getByRole('checkbox', { name: 'Вернуть строку «Молоко 3,2 % 1 л»' }).check();
  await expect(page.getByRole('status', { name: 'Сумма возврата' })).toHaveText('180,99 ₽');
  await shot(page, testInfo, '04-refund');

  // Смена, with a cash-in and the X report.
  await openTab(page, 'Смена');
  await expect(page.getByRole('heading', { name: /^Смена № \d+ открыта$/ })).toBeVisible();
  await page.getByRole('textbox', { name: 'Сумма' }).fill('2 000');
  await page.getByRole('button', { name: 'Внесение' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Внесено' })).toBeVisible();
  await page.getByRole('button', { name: 'X-отчёт' }).click();
  await expect(page.getByRole('dialog', { name: /^X-отчёт/ })).toBeVisible();
  await shot(page, testInfo, '05-shift');
  await page.keyboard.press('Escape');

  // Состояние.
  await openTab(page, 'Состояние');
  await expect(page.getByRole('heading', { name: 'ККТ', exact: true })).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Заполнение буфера' })).toBeVisible();
  await shot(page, testInfo, '06-status');

  // Менеджер, signed in, after a sync.
  await managerSignIn(page, '2580');
  await page.getByRole('button', { name: 'Синхронизировать сейчас' }).click();
  await expect(page.getByTestId('sync-result')).toHaveText(/^Готово: отправлено \d+, ошибок 0/);
  await shot(page, testInfo, '07-manager');

  // Поддержка.
  await openTab(page, 'Поддержка');
  await expect(page.getByRole('table', { name: 'События' }).getByRole('row').nth(3)).toBeVisible();
  await shot(page, testInfo, '08-support');
});
