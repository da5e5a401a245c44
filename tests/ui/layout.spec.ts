// The till fits the shop's monitor (run at 1024×768 and 1366×768, playwright.config.ts): with a long
// receipt the lines, the total and «Оплатить», the payment dialog and the result (ФД, change, «Новый
// чек») are all on screen without scrolling the page, the last line added is scrolled into view, and the
// header keeps its height when long status texts and alerts appear. At 1024×768 a discounted line (old
// price over the new one) with its three buttons still leaves the name the widest column.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './station.ts';
import { addLine, linesTable, paymentDialog, result, waitForStation } from './till.ts';

// Capacity 1: the printed receipt fills the buffer (the header's longest alert); threshold 1: the OFD's
// first failure turns the chip into the long «Офлайн — 1 чек ждёт отправки, старейший N мин».
test.use({
  stationEnv: {
    STATION_BUFFER_CAPACITY: '1',
    STATION_BREAKER_THRESHOLD: '1',
    STATION_BREAKER_RESET_MS: '600000',
  },
});

/** The element lies wholly inside the window as it is (nothing scrolled to reach it). */
async function expectOnScreen(page: Page, what: Locator, label: string): Promise<void> {
  await expect(what, label).toBeVisible();
  const box = (await what.boundingBox())!;
  const view = page.viewportSize()!;
  expect(box, label).not.toBeNull();
  expect(box.y, `${label}: top`).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height, `${label}: bottom`).toBeLessThanOrEqual(view.height);
  expect(box.x, `${label}: left`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${label}: right`).toBeLessThanOrEqual(view.width);
}

/** The page itself does not scroll (the sale screen divides the window's height). */
async function expectNoPageScroll(page: Page): Promise<void> {
  const { scrollTop, overflow } = await page.evaluate(() => {
    const main = document.getElementById('main')!;
    return {
      scrollTop: document.scrollingElement!.scrollTop + main.scrollTop,
      overflow: Math.max(
        document.scrollingElement!.scrollHeight - window.innerHeight,
        main.scrollHeight - main.clientHeight,
      ),
    };
  });
  expect(scrollTop).toBe(0);
  expect(overflow).toBeLessThanOrEqual(0);
}

const headerHeight = async (page: Page) => (await page.getByRole('banner').boundingBox())!.height;

test('a 30-line receipt, the payment and the result fit the window; the header never grows @main-flow', async ({
  page,
  station,
}) => {
  test.setTimeout(120_000);
  await waitForStation(page);
  await expect(page.getByTestId('status-chip')).toHaveText('Онлайн');
  const header = await headerHeight(page);
  const pay = page.getByRole('button', { name: 'Оплатить' });

  // Thirty lines (quantity 1 as the form starts; Enter in «Цена» adds); the last one added is in view.
  const name = page.getByRole('textbox', { name: 'Наименование' });
  const price = page.getByRole('textbox', { name: 'Цена' });
  for (let i = 1; i <= 30; i++) {
    await name.fill(`Товар ${i}`);
    await price.fill('10');
    await price.press('Enter');
    if (i % 10 === 0) {
      const last = linesTable(page).getByRole('button', { name: `Удалить строку «Товар ${i}»` });
      await expectOnScreen(page, last, `line ${i}`);
    }
  }
  await expect(linesTable(page).getByRole('row')).toHaveCount(31);
  await expectOnScreen(page, linesTable(page).getByRole('columnheader', { name: 'Наименование' }), 'header');
  await expectOnScreen(page, name, 'Наименование');
  await expectOnScreen(page, page.getByRole('status', { name: 'Итого' }), 'Итого');
  await expect(page.getByRole('status', { name: 'Итого' })).toHaveText('300,00 ₽');
  await expectOnScreen(page, pay, 'Оплатить');
  await expectNoPageScroll(page);

  // The payment dialog: every control on screen.
  await station.ofd.setMode({ mode: 'down', status: 503 });
  await pay.click();
  const dialog = paymentDialog(page);
  await expectOnScreen(page, dialog, 'Оплата');
  await expectOnScreen(page, dialog.getByRole('status', { name: 'К оплате' }), 'К оплате');
  for (const method of ['Наличные', 'Карта', 'Смешанная'])
    await expectOnScreen(page, dialog.getByRole('radio', { name: method }), method);
  await dialog.getByRole('textbox', { name: 'Получено наличными' }).fill('500');
  await expectOnScreen(page, dialog.getByRole('textbox', { name: 'Получено наличными' }), 'Получено');
  await expectOnScreen(page, dialog.getByRole('status', { name: 'Сдача' }), 'Сдача (dialog)');
  await expectOnScreen(page, dialog.getByRole('button', { name: 'Отмена' }), 'Отмена');
  const print = dialog.getByRole('button', { name: 'Пробить чек' });
  await expectOnScreen(page, print, 'Пробить чек');
  await print.click();

  // The result: the change, ФД and «Новый чек» on screen.
  const done = result(page);
  await expect(done.getByRole('status', { name: 'Сдача' })).toHaveText('200,00 ₽');
  await expectOnScreen(page, done.getByRole('status', { name: 'Сдача' }), 'Сдача (result)');
  await expectOnScreen(page, done.getByTestId('fd-number'), 'ФД');
  await expectOnScreen(page, done.getByRole('button', { name: 'Новый чек' }), 'Новый чек');
  await expectNoPageScroll(page);
  const payTop = (await pay.boundingBox())!.y;

  // The OFD does not answer and the receipt fills the buffer: the longest texts the header shows.
  await expect(page.getByTestId('status-chip')).toHaveText(/^Офлайн — 1 чек ждёт отправки, старейший/);
  await expect(page.getByRole('region', { name: 'Предупреждения' }).getByRole('alert')).toContainText(
    'Буфер заполнен: 1 из 1',
  );
  expect(await headerHeight(page)).toBe(header);
  await expectOnScreen(page, page.getByTestId('status-chip'), 'the chip');
  await expectOnScreen(page, done.getByRole('button', { name: 'Новый чек' }), 'Новый чек (alerts)');
  await expectOnScreen(page, pay, 'Оплатить (alerts)');
  expect((await pay.boundingBox())!.y).toBe(payTop);
  // The cut texts are whole in the tooltip.
  await expect(page.getByTestId('status-chip')).toHaveAttribute('title', /^Офлайн — 1 чек ждёт отправки/);
});

test('a discounted line with its three buttons leaves the name column the widest at 1024×768', async ({
  page,
}) => {
  await waitForStation(page);
  const long = 'Молоко ультрапастеризованное 3,2 % «Домик в деревне» 950 г';
  await addLine(page, { name: long, quantity: '12', price: '1 234,56' });
  await linesTable(page)
    .getByRole('button', { name: `Скидка на «${long}»` })
    .click();
  const dialog = page.getByRole('dialog', { name: `Скидка на позицию «${long}»` });
  await dialog.getByRole('textbox', { name: 'Скидка, %' }).fill('5');
  await dialog.getByRole('button', { name: 'Применить скидку' }).click();
  await expect(dialog).toBeHidden();

  const row = linesTable(page).getByRole('row').filter({ hasText: 'Молоко' });
  await expect(row.locator('s')).toHaveText(/Цена без скидки:\s*1 234,56 ₽/);
  // The table fits its area: nothing scrolls sideways, so the row's buttons are all in view.
  const scroll = page.getByTestId('lines-scroll');
  const [scrollWidth, clientWidth] = await scroll.evaluate((el) => [el.scrollWidth, el.clientWidth]);
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
  const area = (await scroll.boundingBox())!;
  for (const action of ['Скидка на', 'Изменить строку', 'Удалить строку']) {
    const box = (await row.getByRole('button', { name: new RegExp(`^${action} «`) }).boundingBox())!;
    expect(box.x + box.width, action).toBeLessThanOrEqual(area.x + area.width);
  }
  // The old price goes under the new one, so the name keeps the width: the widest column, ≥ 10rem.
  const before = (await row.locator('.price-before').boundingBox())!;
  const after = (await row.locator('.price-after').boundingBox())!;
  expect(before.y + before.height).toBeLessThanOrEqual(after.y + 1);
  const widths = await row.getByRole('cell').evaluateAll((cells) => cells.map((c) => c.clientWidth));
  expect(widths[1]).toBeGreaterThanOrEqual(160);
  expect(Math.max(...widths)).toBe(widths[1]);
});
