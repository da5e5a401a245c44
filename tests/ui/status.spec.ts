// The status panel and the shell: sections by keyboard, the language switch, live KKT facts.
import { expect, test } from './station.ts';
import { cashSale, fact, openTab, tab, waitForStation } from './till.ts';

test('status panel: buffer, breaker, sync and KKT sections, always-visible header', async ({ page }) => {
  await waitForStation(page);
  await expect(page.getByTestId('breaker')).toHaveText('Связь с ОФД: в норме');
  await expect(page.getByTestId('last-run')).toHaveText(
    /^Последняя синхронизация: (ещё не было|\d{1,2}:\d{2})/,
  );
  await expect(page.getByTestId('emulator-badge')).toHaveText('ЭМУЛЯТОР ККТ — не фискальное устройство');
  await cashSale(page, [{ name: 'Хлеб', price: '45,50' }]);
  await expect(page.getByTestId('status-chip')).toHaveText('Онлайн');
  await expect(page.getByTestId('last-run')).toHaveText(/^Последняя синхронизация: \d{1,2}:\d{2}/);

  await openTab(page, 'Состояние');
  for (const h of ['Буфер чеков', 'Связь с ОФД', 'Синхронизация', 'ККТ']) {
    await expect(page.getByRole('heading', { name: h, exact: true })).toBeVisible();
  }
  const fill = page.getByRole('progressbar', { name: 'Заполнение буфера' });
  await expect(fill).toHaveAttribute('aria-valuemax', '200');
  await expect(fill).toHaveAttribute('aria-valuenow', '0');
  await expect.poll(() => fact(page, 'Буфер чеков', 'Отправлено в ОФД')).toBe('1');
  expect(await fact(page, 'Буфер чеков', 'Связь')).toBe('онлайн');
  expect(await fact(page, 'Связь с ОФД', 'Состояние')).toBe('в норме');
  expect(await fact(page, 'Синхронизация', 'Работает')).toBe('да');
});

test('the KKT section follows the device after a sale (last FD, shift open)', async ({ page }) => {
  await waitForStation(page);
  const fd = await cashSale(page, [{ name: 'Хлеб', price: '45,50' }]);
  await openTab(page, 'Состояние');
  await expect.poll(() => fact(page, 'ККТ', 'Последний ФД'), { timeout: 4_000 }).toBe(String(fd));
  expect(await fact(page, 'ККТ', 'Смена')).toMatch(/^№ \d+, открыта/);
});

test('Alt+1…6 switch sections from anywhere', async ({ page }) => {
  await waitForStation(page);
  await expect(page.getByRole('textbox', { name: 'Наименование' })).toBeFocused();
  await page.keyboard.press('Alt+4');
  await expect(tab(page, 'Состояние')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('heading', { name: 'Буфер чеков' })).toBeVisible();
  await expect(page).toHaveTitle('Касса — Состояние');
  await page.keyboard.press('Alt+6');
  await expect(page.getByRole('button', { name: 'Экспорт диагностики' })).toBeVisible();
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('searchbox', { name: 'Поиск чека' })).toBeFocused();
  await page.keyboard.press('Alt+1');
  await expect(page.getByRole('textbox', { name: 'Наименование' })).toBeFocused();
  await expect(page).toHaveTitle('Касса — Продажа');
});

test('the arrow keys move through the tab list (WAI-ARIA tabs pattern)', async ({ page }) => {
  await waitForStation(page);
  await tab(page, 'Продажа').focus();
  await page.keyboard.press('ArrowRight');
  await expect(tab(page, 'Возврат')).toHaveAttribute('aria-selected', 'true');
  await expect(tab(page, 'Возврат')).toBeFocused({ timeout: 2_000 });
  await page.keyboard.press('ArrowRight');
  await expect(tab(page, 'Смена')).toHaveAttribute('aria-selected', 'true', { timeout: 2_000 });
  await page.keyboard.press('End');
  await expect(tab(page, 'Поддержка')).toHaveAttribute('aria-selected', 'true', { timeout: 2_000 });
});

test('English is one click away and back', async ({ page }) => {
  await waitForStation(page);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('tab', { name: 'Sale', exact: true })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('status-chip')).toHaveText('Online');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const back = page.getByRole('button', { name: 'Русский' });
  await back.click();
  await expect(page.getByRole('tab', { name: 'Продажа' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
});

test('when the station program stops, the chip says so instead of keeping the last «Онлайн»', async ({
  page,
  station,
}) => {
  await waitForStation(page);
  await expect(page.getByTestId('status-chip')).toHaveText('Онлайн');
  await station.stopHost();
  await expect(page.getByTestId('status-chip')).toHaveText(/^Нет связи с кассовым модулем/, {
    timeout: 15_000,
  });
});

test('an OFD failure reads in words in both the OFD and the sync sections, not as the client’s English', async ({
  page,
  station,
}) => {
  await waitForStation(page);
  await station.ofd.setMode({ mode: 'down', status: 503 });
  await cashSale(page, [{ name: 'Хлеб', price: '45,50' }]);
  await openTab(page, 'Состояние');
  await expect.poll(() => fact(page, 'Синхронизация', 'Последняя ошибка')).toBe('ОФД ответил ошибкой 503');
  await expect.poll(() => fact(page, 'Связь с ОФД', 'Последняя ошибка')).toBe('ОФД ответил ошибкой 503');
});
