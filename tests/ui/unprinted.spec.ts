// Never-printed receipts in the manager area (issue #8 part 7): two receipts stored `accepted` whose
// requests died with the station are listed behind the manager PIN, one is printed and one voided by
// their labelled buttons, and the status panel counts them apart («Не напечатаны»).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test } from './station.ts';
import { cashSale, managerSignIn, openTab, waitForStation } from './till.ts';

const ORPHANS = ['aaaaaaaa-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002'];

/** Copies the printed sale into two `accepted` rows, as a kill -9 between the insert and the print leaves them. */
function plantOrphans(dataDir: string): void {
  const db = new Database(join(dataDir, 'buffer.sqlite'));
  try {
    db.pragma('busy_timeout = 5000');
    const model = db.prepare(`SELECT * FROM receipts ORDER BY hlc DESC LIMIT 1`).get() as Record<
      string,
      unknown
    >;
    const now = new Date().toISOString();
    for (const [i, id] of ORPHANS.entries()) {
      db.prepare(
        `INSERT INTO receipts (id, idempotency_key, request_hash, pos_id, type, status, hlc, total_kop, draft, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'accepted', ?, ?, ?, ?, ?)`,
      ).run(
        id,
        `orphan-${i}`,
        model.request_hash,
        model.pos_id,
        model.type,
        `${String(model.hlc)}~${i}`,
        model.total_kop,
        model.draft,
        now,
        now,
      );
    }
  } finally {
    db.close();
  }
}

test('the manager prints one never-printed receipt and voids another; both only behind the PIN', async ({
  page,
  station,
}) => {
  await waitForStation(page);
  await cashSale(page, [{ name: 'Хлеб', quantity: '2', price: '45,50' }]);
  plantOrphans(station.dataDir);

  // The cashier (no PIN) sees no print or void button for them.
  await openTab(page, 'Менеджер');
  await expect(page.getByRole('button', { name: /^(Пробить|Аннулировать) чек/ })).toHaveCount(0);

  await managerSignIn(page, '2468');
  const panel = page.getByRole('region', { name: 'Не напечатаны' });
  await expect(panel.getByRole('row')).toHaveCount(3); // the header and two receipts
  await panel.getByRole('button', { name: 'Пробить чек aaaaaaaa' }).click();
  await expect(panel.getByRole('status')).toHaveText(/^Чек aaaaaaaa пробит: ФД \d+\.$/);
  await panel.getByRole('button', { name: 'Аннулировать чек bbbbbbbb' }).click();
  const dialog = page.getByRole('dialog', { name: 'Аннулировать чек' });
  await dialog.getByRole('button', { name: 'Аннулировать', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(panel.getByRole('status')).toHaveText('Чек bbbbbbbb аннулирован.');
  await expect(panel.getByText('Ненапечатанных чеков нет.')).toBeVisible();

  await openTab(page, 'Состояние');
  const fact = page.locator('.fact', { has: page.getByText('Не напечатаны', { exact: true }) });
  await expect(fact.locator('dd')).toHaveText('0');
});
