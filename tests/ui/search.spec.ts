// Items without a barcode, as a cashier and a manager find them: «Поиск товара» by F3 or its button,
// part of a name or a code, ↑/↓ and Enter add the item with its catalogue price (a weighed one asks
// for its weight, as a scan does), Esc closes and gives the focus back, a scan while it is open is a
// scan; the manager arranges quick keys and the cashier adds an item with one click. Both searches say
// «Ничего не найдено» and why a search failed. The catalogue is seeded through the REST API.
import type { Page } from '@playwright/test';
import { expect, test } from './station.ts';
import { linesTable, managerSignIn, openTab, waitForStation } from './till.ts';
import { scan } from './scan-keys.ts';

const ITEMS = [
  { code: '1001', name: 'Хлеб Бородинский', price: '45.50', vat_rate: '10', barcodes: ['4600000000015'] },
  { code: '1003', name: 'Хлеб Дарницкий', price: '39.90', vat_rate: '10' },
  { code: '1002', name: 'Молоко 3,2 %', price: '89.90', vat_rate: '10', unit: 'л' },
  { code: 'BAG', name: 'Пакет-майка 30×60', price: '5', vat_rate: '22' },
  { code: '2002', name: 'Картофель', price: '39.90', vat_rate: '10', unit: 'кг', weighed: true },
];

function line(page: Page, name: string) {
  return linesTable(page).getByRole('row', { name: new RegExp(name) });
}
const searchDialog = (page: Page) => page.getByRole('dialog', { name: 'Поиск товара' });
const total = (page: Page) => page.getByRole('status', { name: 'Итого' });

test.beforeEach(async ({ page, station }) => {
  // Each test starts a station and a mock OFD and signs a cashier in, then drives two or three
  // screens: near a minute by itself when 8 test suites share this machine's 2 cores.
  test.slow();
  const res = await station.rest('PUT', '/v1/catalog/items', { items: ITEMS });
  expect(res.status).toBe(200);
  await waitForStation(page);
});

test('F3 and «Поиск товара» open the search; ↑/↓ and Enter add the item with its price', async ({ page }) => {
  const name = page.getByRole('textbox', { name: 'Наименование' });
  await expect(name).toBeFocused();
  await page.keyboard.press('F3');
  const dialog = searchDialog(page);
  const field = dialog.getByRole('combobox', { name: 'Название, код или штрихкод' });
  await expect(field).toBeFocused();
  await field.fill('хле');
  const options = dialog.getByRole('listbox', { name: 'Найденные товары' }).getByRole('option');
  await expect(options).toHaveText([/Хлеб Бородинский.*45,50/, /Хлеб Дарницкий.*39,90/]);
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(field).toHaveAttribute('aria-activedescendant', (await options.nth(1).getAttribute('id'))!);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(line(page, 'Хлеб Дарницкий').getByRole('cell').nth(3)).toHaveText('39,90 ₽');
  await expect(name).toBeFocused();

  // Esc closes without adding, and the focus goes back to the button that opened it.
  const button = page.getByRole('button', { name: 'Поиск товара' });
  await button.click();
  await dialog.getByRole('combobox', { name: 'Название, код или штрихкод' }).fill('мол');
  await expect(dialog.getByRole('option')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(button).toBeFocused();
  await expect(line(page, 'Молоко')).toHaveCount(0);

  // By code, from the button; nothing found is said in words.
  await button.click();
  await dialog.getByRole('combobox').fill('нет такого');
  await expect(dialog.getByRole('status')).toHaveText('Ничего не найдено по запросу «нет такого».');
  await dialog.getByRole('combobox').fill('1002');
  await expect(dialog.getByRole('option')).toHaveText([/Молоко 3,2 %/]);
  await page.keyboard.press('Enter');
  await expect(line(page, 'Молоко').getByRole('cell').nth(2)).toHaveText('1 л');
  await expect(total(page)).toHaveText('129,80 ₽');

  // A weighed item asks for its weight in «Количество», as a scan of its own barcode does.
  await page.keyboard.press('F3');
  await dialog.getByRole('combobox').fill('картоф');
  await dialog.getByRole('option', { name: /Картофель/ }).click();
  await expect(dialog).toBeHidden();
  const qty = page.getByRole('textbox', { name: 'Количество' });
  await expect(qty).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: 'Картофель' })).toBeVisible();
  await qty.fill('1,5');
  await qty.press('Enter');
  await page.getByRole('textbox', { name: 'Цена' }).press('Enter');
  await expect(line(page, 'Картофель').getByRole('cell').nth(2)).toHaveText('1,500 кг');
  await expect(total(page)).toHaveText('189,65 ₽');
});

test('a scan while the search is open adds the scanned item and never becomes search text', async ({
  page,
}) => {
  await page.keyboard.press('F3');
  const dialog = searchDialog(page);
  const field = dialog.getByRole('combobox', { name: 'Название, код или штрихкод' });
  await field.fill('мол');
  await scan(page, '4600000000015');
  await expect(dialog).toBeHidden();
  await expect(line(page, 'Хлеб Бородинский').getByRole('cell').nth(3)).toHaveText('45,50 ₽');
  await expect(line(page, 'Молоко')).toHaveCount(0);
});

test('the manager arranges quick keys; the cashier adds an item with one click', async ({
  page,
  station,
}) => {
  await managerSignIn(page, '2468');
  const panel = page.getByRole('region', { name: 'Быстрые кнопки кассы' });
  const find = panel.getByRole('searchbox', { name: 'Найти товар для кнопки' });
  await find.fill('пакет');
  await panel.getByRole('textbox', { name: 'Надпись на кнопке (необязательно)' }).fill('Пакет');
  await panel.getByRole('button', { name: 'Добавить кнопку «Пакет-майка 30×60»' }).click();
  const arranged = panel.getByRole('list', { name: 'Кнопки по порядку' }).getByRole('listitem');
  await expect(arranged).toHaveCount(1);
  await find.fill('картоф');
  await panel.getByRole('button', { name: 'Добавить кнопку «Картофель»' }).click();
  await find.fill('дарниц');
  await panel.getByRole('button', { name: 'Добавить кнопку «Хлеб Дарницкий»' }).click();
  await expect(arranged).toHaveText([/1\. Пакет/, /2\. Картофель/, /3\. Хлеб Дарницкий/]);
  await panel.getByRole('button', { name: 'Выше: «Картофель»' }).click();
  await panel.getByRole('button', { name: 'Убрать кнопку «Хлеб Дарницкий»' }).click();
  await expect(arranged).toHaveText([/1\. Картофель/, /2\. Пакет/]);
  await expect(panel.getByRole('status')).toHaveText('Быстрые кнопки сохранены.');
  // What the manager arranged is what the station keeps (and an ERP reads).
  const stored = (await (await station.rest('GET', '/v1/catalog/quick-keys')).json()) as {
    keys: { code: string; label: string | null }[];
  };
  expect(stored.keys.map((k) => [k.code, k.label])).toEqual([
    ['2002', null],
    ['BAG', 'Пакет'],
  ]);

  await openTab(page, 'Продажа');
  const keys = page.getByRole('list', { name: 'Быстрые кнопки' });
  await expect(keys.getByRole('button')).toHaveText([/Картофель\s*39,90/, /Пакет\s*5,00/]);
  const bag = keys.getByRole('button', { name: /^Пакет, 5,00 ₽$/ });
  await bag.click();
  await bag.click();
  await expect(line(page, 'Пакет-майка 30×60').getByRole('cell').nth(2)).toHaveText('2 шт');
  await expect(total(page)).toHaveText('10,00 ₽');
  await keys.getByRole('button', { name: /^Картофель, 39,90 ₽$/ }).click();
  const qty = page.getByRole('textbox', { name: 'Количество' });
  await expect(qty).toBeFocused();
  await qty.fill('0,5');
  await qty.press('Enter');
  await page.getByRole('textbox', { name: 'Цена' }).press('Enter');
  await expect(line(page, 'Картофель').getByRole('cell').nth(2)).toHaveText('0,500 кг');

  // An item deleted from the catalogue leaves its key on the till too.
  expect((await station.rest('DELETE', '/v1/catalog/items/BAG')).status).toBe(200);
  await expect(keys.getByRole('button')).toHaveText([/Картофель/]);
});

test('a failed search is said in words, in the search dialog and in the quick keys, and nothing found too', async ({
  page,
}) => {
  // The station out of reach for the search alone: its requests are cut off in the page.
  const cutOff = (on: boolean) =>
    on
      ? page.route('**/api/invoke/catalog.search', (r) => r.abort())
      : page.unroute('**/api/invoke/catalog.search');
  const failed = /^Поиск не удался: Нет связи с кассовой станцией/;

  await page.keyboard.press('F3');
  const dialog = searchDialog(page);
  const field = dialog.getByRole('combobox', { name: 'Название, код или штрихкод' });
  await cutOff(true);
  await field.fill('хле');
  await expect(dialog.getByRole('alert')).toHaveText(failed);
  await expect(dialog.getByRole('option')).toHaveCount(0);
  await cutOff(false);
  await field.fill('хлеб');
  await expect(dialog.getByRole('option')).toHaveCount(2);
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await page.keyboard.press('Escape');

  await managerSignIn(page, '2468');
  const panel = page.getByRole('region', { name: 'Быстрые кнопки кассы' });
  const find = panel.getByRole('searchbox', { name: 'Найти товар для кнопки' });
  await find.fill('ананас');
  await expect(panel.getByRole('status')).toHaveText('Ничего не найдено по запросу «ананас».');
  await cutOff(true);
  await find.fill('пакет');
  await expect(panel.getByRole('alert')).toHaveText(failed);
  await expect(panel.getByRole('status')).toHaveCount(0);
  await cutOff(false);
  await find.fill('пакет-');
  await expect(panel.getByRole('button', { name: 'Добавить кнопку «Пакет-майка 30×60»' })).toBeVisible();
  await expect(panel.getByRole('alert')).toHaveCount(0);
});
