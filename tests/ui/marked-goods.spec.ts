// A marked catalogue item (Честный ЗНАК) at the till: its EAN scan asks for the marking code, a scan of the
// DataMatrix (a keyboard-scanner burst) adds the line of one unit with that code, the same code twice and a
// plain EAN are refused in words, and the printed receipt stored by the station carries the code (REST).
// A marked item priced at the till waits in the form for its price (its quantity fixed by the code); the
// sale is then refunded at «Возврат» with the code it was sold with.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { openDatabase } from '../../src/main/core/buffer/database.ts';
import { HybridClock } from '../../src/main/core/buffer/hlc.ts';
import { Journal } from '../../src/main/core/buffer/journal.ts';
import { Catalog } from '../../src/main/core/catalog/catalog.ts';
import { DEFAULT_WEIGHT } from '../../src/shared/barcode.ts';
import { GS } from '../../src/shared/marking-code.ts';
import { expect, newestReceiptItems, test } from './station.ts';
import { scan } from './scan-keys.ts';
import { linesTable, openTab, paymentDialog, result, waitForStation } from './till.ts';

const WATER_EAN = '4600439931256';
/** A check-code (AI 93) marking code of that water, as a scanner with "{GS}" as its GS replacement types it. */
const WATER_CODE = `0104600439931256215Nf9Mgx7Vb1YU{GS}93dGVz`;
const WATER_CODE_2 = `0104600439931256215Ab9Mgx7Vb1YU{GS}93dGVz`;
/** A marked item without a catalogue price (priced at the till), and a code of one of its units. */
const CRAFT_EAN = '4600000000022';
/** A long code (91/92 crypto tail, over the 64 characters of a barcode burst), scanned under the Russian layout. */
const CRAFT_CODE = `0104600439931256215Cc9Mgx7Vb1YU{GS}91FFD0{GS}92dGVzdIzSWNqFlCZrv+e0GSXQd6Qnar28rNj+8v2D+j0=`;

function seed(dataDir: string): void {
  const db = openDatabase(join(dataDir, 'buffer.sqlite'));
  try {
    new Catalog(db, new Journal(db, new HybridClock(db)), DEFAULT_WEIGHT).upsert(
      [
        {
          where: 'items[0]',
          value: {
            code: '2001',
            name: 'Вода питьевая 0,5 л',
            price: '45',
            vat_rate: '22',
            marked: true,
            barcodes: [WATER_EAN],
          },
        },
        {
          where: 'items[1]',
          value: {
            code: '2002',
            name: 'Сувенир',
            price: '0',
            price_editable: true,
            vat_rate: '22',
            marked: true,
            barcodes: [CRAFT_EAN],
          },
        },
      ],
      'UI test',
    );
  } finally {
    db.close();
  }
}

const markDialog = (page: Page) => page.getByRole('dialog', { name: 'Код маркировки' });

test.beforeEach(async ({ page, station }) => {
  seed(station.dataDir);
  await waitForStation(page);
});

test('a marked item asks for its code; the scanned DataMatrix is sold and stored with the receipt', async ({
  page,
  station,
}) => {
  await scan(page, WATER_EAN);
  const dialog = markDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Вода питьевая 0,5 л');
  await expect(linesTable(page).getByRole('row', { name: /Вода/ })).toHaveCount(0);

  // A plain EAN is no marking code: refused in words, the dialog stays.
  const field = dialog.getByRole('textbox', { name: 'Код маркировки (DataMatrix)' });
  await expect(field).toBeFocused();
  await field.fill(WATER_EAN);
  await dialog.getByRole('button', { name: 'Добавить' }).click();
  await expect(dialog.getByText('Это не код маркировки')).toBeVisible();

  await scan(page, WATER_CODE);
  await expect(dialog).toBeHidden();
  await expect(linesTable(page).getByRole('row', { name: /Вода/ }).getByRole('cell').nth(2)).toHaveText(
    '1 шт',
  );

  // The same item again: another unit, another code; the first code again is refused.
  await scan(page, WATER_EAN);
  await expect(dialog).toBeVisible();
  await scan(page, WATER_CODE);
  await expect(dialog.getByText('Этот код уже есть в чеке')).toBeVisible();
  await scan(page, WATER_CODE_2);
  await expect(dialog).toBeHidden();
  await expect(linesTable(page).getByRole('row', { name: /Вода/ })).toHaveCount(2);

  // Cancel drops the item: nothing is added without a code.
  await scan(page, WATER_EAN);
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Отмена' }).click();
  await expect(dialog).toBeHidden();
  await expect(linesTable(page).getByRole('row', { name: /Вода/ })).toHaveCount(2);

  await page.getByRole('button', { name: 'Оплатить' }).click();
  await paymentDialog(page).getByRole('button', { name: 'Пробить чек' }).click();
  await expect(result(page)).toBeVisible();

  const items = await newestReceiptItems(station);
  expect(items.map((i) => i.mark_code)).toEqual([
    WATER_CODE.replace('{GS}', GS),
    WATER_CODE_2.replace('{GS}', GS),
  ]);
  expect(items.map((i) => i.quantity)).toEqual([1, 1]);
});

test('a marked item priced at the till waits for its price; the sale is refunded at «Возврат» with its code', async ({
  page,
  station,
}) => {
  await scan(page, CRAFT_EAN);
  const dialog = markDialog(page);
  await expect(dialog).toBeVisible();
  await scan(page, CRAFT_CODE, 'ru');
  await expect(dialog).toBeHidden();
  // No line at 0,00: the unit waits in the form, the cursor in «Цена», the quantity fixed by the code.
  const price = page.getByRole('textbox', { name: 'Цена' });
  const qty = page.getByRole('textbox', { name: 'Количество' });
  await expect(price).toBeFocused();
  await expect(qty).toHaveValue('1');
  await expect(qty).toHaveAttribute('readonly');
  await expect(linesTable(page).getByRole('row', { name: /Сувенир/ })).toHaveCount(0);
  await price.fill('150');
  await price.press('Enter');
  const row = linesTable(page).getByRole('row', { name: /Сувенир/ });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('150,00');

  // ✎ on a marked line: the quantity stays what the code says.
  await row.getByRole('button', { name: 'Изменить строку «Сувенир»' }).click();
  await expect(qty).toHaveAttribute('readonly');
  await expect(price).toBeFocused();
  await page.getByRole('button', { name: 'Отменить изменение' }).click();

  await page.getByRole('button', { name: 'Оплатить' }).click();
  await paymentDialog(page).getByRole('button', { name: 'Пробить чек' }).click();
  await expect(result(page)).toBeVisible();
  const fd = Number(await result(page).getByTestId('fd-number').textContent());
  const list = (await (await station.rest('GET', '/v1/kkt/receipts?limit=1')).json()) as {
    receipts: { receipt_id: string }[];
  };
  const saleId = list.receipts[0]!.receipt_id;
  // The OFD accepts the sale first: then the refund needs no manager.
  await expect
    .poll(
      async () =>
        ((await (await station.rest('GET', `/v1/kkt/receipt/${saleId}`)).json()) as { state: string }).state,
      {
        timeout: 60_000,
      },
    )
    .toBe('synced');

  await openTab(page, 'Возврат');
  await page.getByRole('searchbox', { name: 'Поиск чека' }).fill(String(fd));
  await page.getByRole('button', { name: 'Найти' }).click();
  await page
    .getByRole('table', { name: 'Чеки' })
    .getByRole('button', { name: `Выбрать чек ФД ${fd}` })
    .click();
  const lines = page.getByRole('table', { name: 'Строки к возврату' });
  await lines.getByRole('checkbox', { name: 'Вернуть строку «Сувенир»' }).check();
  await expect(lines.getByRole('textbox', { name: 'Количество к возврату «Сувенир»' })).toHaveAttribute(
    'readonly',
  );
  await page.getByRole('button', { name: 'Оформить возврат' }).click();
  await page
    .getByRole('region', { name: 'Проверьте возврат' })
    .getByRole('button', { name: 'Подтвердить возврат' })
    .click();
  await expect(page.getByRole('region', { name: 'Возврат пробит' })).toBeVisible();

  const refunds = (await (await station.rest('GET', '/v1/kkt/receipts?limit=1')).json()) as {
    receipts: { type: string; items: { mark_code?: string }[] }[];
  };
  expect(refunds.receipts[0]!.type).toBe('refund');
  expect(refunds.receipts[0]!.items.map((i) => i.mark_code)).toEqual([CRAFT_CODE.replaceAll('{GS}', GS)]);
});
