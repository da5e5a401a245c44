// The cash drawer, «Копия чека» and the electronic receipt at the till, as a cashier and a manager use them:
// a cash sale opens the drawer (the emulator counts it in its durable state), the copy prints by button and
// by F9 (plain, once per press, not while one prints) without a new fiscal document, the buyer's phone is
// checked in the payment dialog and reaches the KKT
// as tag 1008, and the manager opens the drawer behind the PIN.
import { join } from 'node:path';
import { EMULATOR_STATE_FILE } from '../../src/main/app/open-kkt.ts';
import { readDurableState } from '../../src/kkt-emulator/state.ts';
import { openDatabase } from '../../src/main/core/buffer/database.ts';
import { expect, test } from './station.ts';
import { addLine, managerSignIn, newSale, paymentDialog, result, waitForStation } from './till.ts';

/** The emulator's state as it stands: its snapshot with its journal of changes since (state.ts). */
const emulatorState = (dataDir: string) => readDurableState(join(dataDir, EMULATOR_STATE_FILE));

test.beforeEach(async ({ page }) => {
  await waitForStation(page);
});

test('a cash sale opens the drawer; «Копия чека» (button and F9) prints a copy, no new FD', async ({
  page,
  station,
}) => {
  await addLine(page, { name: 'Хлеб', price: '45,50' });
  await page.getByRole('button', { name: 'Оплатить' }).click();
  const dialog = paymentDialog(page);
  await dialog.getByRole('button', { name: 'Пробить чек' }).click();
  await expect(result(page)).toBeVisible();
  const fd = Number(await result(page).getByTestId('fd-number').textContent());
  await expect.poll(() => emulatorState(station.dataDir).drawerOpenings?.[0] ?? 0).toBe(1);

  const copy = page.getByRole('button', { name: 'Копия чека' });
  await expect(copy).toHaveAttribute('aria-keyshortcuts', 'F9');
  await copy.click();
  await expect(page.getByRole('status').filter({ hasText: `Копия чека ФД ${fd} напечатана.` })).toBeVisible();
  // The next sale's screen: F9 copies the last printed receipt.
  await newSale(page);
  const done = page.getByRole('status').filter({ hasText: `Копия чека ФД ${fd} напечатана.` });
  await expect(done).toBeHidden();
  await page.keyboard.press('F9');
  await expect(done).toBeVisible();
  expect(emulatorState(station.dataDir).lastFd).toBe(fd);
  await expect.poll(() => copiesJournalled(station.dataDir)).toBe(2);

  // Modified F9 is the system's or the browser's, not a copy; a held F9 (auto-repeat) is one copy.
  await page.keyboard.press('Control+F9');
  await page.keyboard.press('Shift+F9');
  await page.keyboard.down('F9');
  await page.keyboard.down('F9');
  await page.keyboard.down('F9');
  await page.keyboard.up('F9');
  await expect.poll(() => copiesJournalled(station.dataDir)).toBeGreaterThanOrEqual(3);
  await expect(copy).toBeEnabled();
  expect(copiesJournalled(station.dataDir)).toBe(3);
});

/** The copies the station journalled, read from its buffer file (another connection, WAL). */
function copiesJournalled(dataDir: string): number {
  const db = openDatabase(join(dataDir, 'buffer.sqlite'));
  try {
    return db
      .prepare<[], { n: number }>(`SELECT count(*) AS n FROM journal WHERE kind = 'receipt_copy_printed'`)
      .get()!.n;
  } finally {
    db.close();
  }
}

test('the buyer’s phone: a bad one is said in Russian and nothing prints; 8… is sent as +7… (tag 1008)', async ({
  page,
  station,
}) => {
  await addLine(page, { name: 'Молоко', price: '89,90' });
  await page.getByRole('button', { name: 'Оплатить' }).click();
  const dialog = paymentDialog(page);
  const contact = dialog.getByRole('textbox', { name: 'Телефон или e-mail покупателя' });
  await contact.fill('12345');
  await dialog.getByRole('button', { name: 'Пробить чек' }).click();
  await expect(contact).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByText('Введите телефон (+7 916 123-45-67')).toBeVisible();
  expect(emulatorState(station.dataDir).lastFd).toBe(0);

  await contact.fill('8 (916) 123-45-67');
  await dialog.getByRole('button', { name: 'Пробить чек' }).click();
  await expect(result(page)).toBeVisible();
  const fd = Number(await result(page).getByTestId('fd-number').textContent());
  const doc = emulatorState(station.dataDir).archive.find((d) => d.fd === fd)!;
  expect(doc.tags?.['1008']).toBe('+79161234567');
});

test('the manager opens the drawer with «Открыть ящик»', async ({ page, station }) => {
  await managerSignIn(page, '2468');
  await page.getByRole('button', { name: 'Открыть ящик' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Денежный ящик открыт.' })).toBeVisible();
  expect(emulatorState(station.dataDir).drawerOpenings?.[0]).toBe(1);
});
