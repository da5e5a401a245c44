// The till with a catalogue, driven as a cashier with a USB scanner would: a scan is a burst of keys
// 10 ms apart ending in Enter, wherever the focus is; a weight label gives the weight; `3*` then a
// scan gives three; an unknown code is said in words and a manager can add it; a serial (COM)
// scanner over a socat pty pair works the same, on «Продажа», for a marked item's DataMatrix with its raw
// GS bytes, and with a receipt QR on «Возврат». The catalogue is seeded into the station's SQLite file.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { openDatabase } from '../../src/main/core/buffer/database.ts';
import { HybridClock } from '../../src/main/core/buffer/hlc.ts';
import { Journal } from '../../src/main/core/buffer/journal.ts';
import { Catalog } from '../../src/main/core/catalog/catalog.ts';
import { DEFAULT_WEIGHT } from '../../src/shared/barcode.ts';
import { GS } from '../../src/shared/marking-code.ts';
import { expect, newestReceiptItems, test } from './station.ts';
import {
  cashSale,
  linesTable,
  managerSignIn,
  openTab,
  paymentDialog,
  result,
  tab,
  waitForStation,
} from './till.ts';
import { scan } from './scan-keys.ts';

const WATER_EAN = '4600439931256';
/** A DataMatrix of that water as a serial scanner sends it: the group separator is the raw byte 0x1D. */
const WATER_CODE = `0104600439931256215Nf9Mgx7Vb1YU${GS}91FFD0${GS}92dGVzdIzSWNqFlCZrv+e0GSXQd6Qnar28rNj+8v2D+j0=`;

const ITEMS = [
  { code: '1001', name: 'Хлеб Бородинский', price: '45.50', vat_rate: '10', barcodes: ['4600000000015'] },
  {
    code: '1002',
    name: 'Молоко 3,2 %',
    price: '89.90',
    vat_rate: '10',
    unit: 'л',
    barcodes: ['4600000000022'],
  },
  { code: '00123', name: 'Сыр Российский', price: '650', vat_rate: '10', unit: 'кг', weighed: true },
  {
    code: '3001',
    name: 'Вода питьевая 0,5 л',
    price: '45',
    vat_rate: '22',
    marked: true,
    barcodes: [WATER_EAN],
  },
];

function seed(dataDir: string): void {
  const db = openDatabase(join(dataDir, 'buffer.sqlite'));
  try {
    const catalog = new Catalog(db, new Journal(db, new HybridClock(db)), DEFAULT_WEIGHT);
    catalog.upsert(
      ITEMS.map((value, i) => ({ where: `items[${i}]`, value })),
      'UI test',
    );
  } finally {
    db.close();
  }
}

function line(page: Page, name: string) {
  return linesTable(page).getByRole('row', { name: new RegExp(name) });
}

test.beforeEach(async ({ page, station }) => {
  seed(station.dataDir);
  await waitForStation(page);
});

test('a scan burst adds the catalogue item with its price and VAT, from any field, never as text @main-flow', async ({
  page,
}) => {
  const name = page.getByRole('textbox', { name: 'Наименование' });
  await expect(name).toBeFocused();
  await scan(page, '4600000000015');
  await expect(line(page, 'Хлеб Бородинский').getByRole('cell')).toHaveText([
    '1',
    'Хлеб Бородинский',
    '1 шт',
    '45,50 ₽',
    '10 %',
    '45,50 ₽',
    '%✎✕',
  ]);
  await expect(name).toHaveValue('');
  await expect(paymentDialog(page)).toBeHidden(); // the scan's Enter did not open the payment

  // The focus in «Количество»: the scan still adds (the same item again: its line counts 2).
  const qty = page.getByRole('textbox', { name: 'Количество' });
  await qty.click();
  await scan(page, '4600000000015');
  await expect(line(page, 'Хлеб Бородинский').getByRole('cell').nth(2)).toHaveText('2 шт');
  await expect(qty).toHaveValue('1');
  await scan(page, '4600000000022');
  await expect(line(page, 'Молоко').getByRole('cell').nth(2)).toHaveText('1 л');
  await expect(page.getByRole('status', { name: 'Итого' })).toHaveText('180,90 ₽');

  // Typing by hand still works as before, even fast (70 ms a key) and ended with Enter.
  await name.click();
  await page.keyboard.type('Пакет', { delay: 120 });
  await expect(name).toHaveValue('Пакет');
  await name.fill('');
  await page.keyboard.type('Батон', { delay: 70 });
  await page.keyboard.press('Enter');
  await expect(name).toHaveValue('Батон');
  await expect(qty).toBeFocused();

  // The receipt prints with the catalogue's prices.
  await name.fill('');
  await page.getByRole('button', { name: 'Оплатить' }).click();
  await paymentDialog(page).getByRole('button', { name: 'Пробить чек' }).click();
  await expect(result(page)).toBeVisible();
});

test('a weight label adds 0,754 kg; «3*» then a scan adds three @main-flow', async ({ page, station }) => {
  // 2 + 2 + item 00123 + 00754 g + check digit.
  await scan(page, '2200123007544');
  await expect(line(page, 'Сыр Российский').getByRole('cell')).toHaveText([
    '1',
    'Сыр Российский',
    '0,754 кг',
    '650,00 ₽',
    '10 %',
    '490,10 ₽',
    '%✎✕',
  ]);
  const name = page.getByRole('textbox', { name: 'Наименование' });
  await name.click();
  await page.keyboard.type('3*', { delay: 150 });
  await scan(page, '4600000000022');
  await expect(line(page, 'Молоко').getByRole('cell').nth(2)).toHaveText('3 л');
  await expect(line(page, 'Молоко').getByRole('cell').nth(5)).toHaveText('269,70 ₽');
  await expect(name).toHaveValue('');

  // The KKT gets each line's unit (tag 2108): the cheese in kg, the milk in litres.
  await page.getByRole('button', { name: 'Оплатить' }).click();
  await paymentDialog(page).getByRole('button', { name: 'Пробить чек' }).click();
  await expect(result(page)).toBeVisible();
  const { receipts } = await (await station.rest('GET', '/v1/kkt/receipts?limit=1')).json();
  const stored = await (await station.rest('GET', `/v1/kkt/receipt/${receipts[0].receipt_id}`)).json();
  expect(stored.items.map((i: { name: string; measure_name: string }) => [i.name, i.measure_name])).toEqual([
    ['Сыр Российский', 'кг'],
    ['Молоко 3,2 %', 'л'],
  ]);
});

test('an unknown code says so; the manager adds it and the next scan finds it', async ({ page }) => {
  await scan(page, '4600000000039');
  const alert = page
    .getByRole('alert')
    .filter({ hasText: 'Товар со штрихкодом 4600000000039 не найден в каталоге.' });
  await expect(alert).toBeVisible();
  await expect(linesTable(page)).toBeHidden();
  // A misread (wrong check digit) is told apart.
  await scan(page, '4600000000038');
  await expect(page.getByRole('alert').filter({ hasText: 'неверная контрольная цифра' })).toBeVisible();
  await scan(page, '4600000000039');
  await alert.getByRole('button', { name: 'Добавить в каталог' }).click();

  await managerSignIn(page, '2468');
  const panel = page.getByRole('region', { name: 'Каталог товаров' });
  await expect(panel.getByRole('textbox', { name: 'Штрихкоды' })).toHaveValue('4600000000039');
  await panel.getByRole('textbox', { name: 'Код товара' }).fill('2001');
  await panel.getByRole('textbox', { name: 'Наименование товара' }).fill('Кефир 1 %');
  await panel.getByRole('textbox', { name: 'Цена, ₽' }).fill('79,90');
  await panel.getByRole('combobox', { name: 'Ставка НДС' }).selectOption({ label: '10 %' });
  await panel.getByRole('button', { name: 'Сохранить товар' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Товар «Кефир 1 %» добавлен.' })).toBeVisible();

  await openTab(page, 'Продажа');
  await scan(page, '4600000000039');
  await expect(line(page, 'Кефир 1 %').getByRole('cell').nth(3)).toHaveText('79,90 ₽');
});

test("a receipt's QR scanned on «Продажа» is said, not typed into a field, and leads to «Возврат»", async ({
  page,
}) => {
  const name = page.getByRole('textbox', { name: 'Наименование' });
  await name.focus();
  await scan(page, 't=20261130T1905&s=300.00&fn=9999078900000001&i=4&fp=1139118569&n=1');
  const alert = page.getByRole('alert').filter({ hasText: 'Это QR-код кассового чека, а не товар.' });
  await expect(alert).toBeVisible();
  await expect(alert).toBeInViewport();
  await expect(name).toHaveValue('');
  await expect(linesTable(page)).toBeHidden();
  await alert.getByRole('button', { name: 'Перейти к возврату' }).click();
  await expect(tab(page, 'Возврат')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('searchbox', { name: 'Поиск чека' })).toBeVisible();
});

const SCANNER_DIR = join(process.env.TMPDIR ?? '/tmp', `station-ui-scanner-${process.pid}`);
test.describe('a serial (COM) scanner', () => {
  test.use({ stationEnv: { STATION_SCANNER: join(SCANNER_DIR, 'host') } });

  /** A socat pty pair: the station's end at SCANNER_DIR/host, the scanner's at SCANNER_DIR/device. */
  async function plugScanner(): Promise<{ read(text: string): void; unplug(): void }> {
    test.skip(spawnSync('sh', ['-c', 'command -v socat']).status !== 0, 'socat is not installed');
    spawnSync('mkdir', ['-p', SCANNER_DIR]);
    const device = join(SCANNER_DIR, 'device');
    const socat = spawn(
      'socat',
      [`pty,raw,echo=0,link=${join(SCANNER_DIR, 'host')}`, `pty,raw,echo=0,link=${device}`],
      { stdio: 'ignore' },
    );
    await expect.poll(() => existsSync(device)).toBe(true);
    return {
      /** What the scanner sends for one read: the code and CR LF. */
      read(text: string) {
        const fd = openSync(device, 'w');
        writeSync(fd, `${text}\r\n`);
        closeSync(fd);
      },
      unplug() {
        socat.kill('SIGKILL');
        spawnSync('rm', ['-rf', SCANNER_DIR]);
      },
    };
  }

  test('its lines add items as a keyboard scan does', async ({ page }) => {
    const scanner = await plugScanner();
    try {
      // The station opened the port before it existed: it keeps trying every 3 s. Scan until a line shows.
      await expect
        .poll(
          async () => {
            scanner.read('4600000000015');
            return linesTable(page).isVisible();
          },
          { timeout: 20_000, intervals: [1_000] },
        )
        .toBe(true);
      await expect(line(page, 'Хлеб Бородинский').getByRole('cell').nth(3)).toHaveText('45,50 ₽');
    } finally {
      scanner.unplug();
    }
  });

  test('a marked item: its DataMatrix, raw GS bytes and all, is sold with its exact code', async ({
    page,
    station,
  }) => {
    const scanner = await plugScanner();
    try {
      const dialog = page.getByRole('dialog', { name: 'Код маркировки' });
      await expect
        .poll(
          async () => {
            scanner.read(WATER_EAN);
            return dialog.isVisible();
          },
          { timeout: 20_000, intervals: [1_000] },
        )
        .toBe(true);
      scanner.read(WATER_CODE);
      await expect(dialog).toBeHidden();
      await expect(line(page, 'Вода питьевая').getByRole('cell').nth(2)).toHaveText('1 шт');
      await page.getByRole('button', { name: 'Оплатить' }).click();
      await paymentDialog(page).getByRole('button', { name: 'Пробить чек' }).click();
      await expect(result(page)).toBeVisible();
      expect((await newestReceiptItems(station)).map((i) => i.mark_code)).toEqual([WATER_CODE]);
    } finally {
      scanner.unplug();
    }
  });

  test("on «Возврат» its read of a receipt QR finds the sale, as a keyboard scanner's does", async ({
    page,
    station,
  }) => {
    const scanner = await plugScanner();
    try {
      const fd = await cashSale(page, [{ name: 'Молоко', quantity: '2', price: '80' }]);
      const listed = (await (await station.rest('GET', '/v1/kkt/receipts?limit=1')).json()) as {
        receipts: { fiscal_doc: { qr_code_data: string } }[];
      };
      const qr = listed.receipts[0]!.fiscal_doc.qr_code_data;
      expect(qr.length).toBeGreaterThan(64); // longer than any barcode: the station once dropped it
      await openTab(page, 'Возврат');
      // A QR of no sale here is said in words, as for a keyboard scanner (and proves the port is open).
      const other = qr.replace(/(^|&)i=\d+/, '$1i=999999');
      await expect
        .poll(
          async () => {
            scanner.read(other);
            return page.getByRole('alert').isVisible();
          },
          { timeout: 20_000, intervals: [1_000] },
        )
        .toBe(true);
      await expect(page.getByRole('alert')).toContainText('999999');
      scanner.read(qr);
      await expect(page.getByRole('heading', { name: `Возврат по чеку ФД ${fd}` })).toBeVisible();
      await expect(
        page.getByRole('table', { name: 'Строки к возврату' }).getByRole('row', { name: /Молоко/ }),
      ).toBeVisible();
    } finally {
      scanner.unplug();
    }
  });
});
