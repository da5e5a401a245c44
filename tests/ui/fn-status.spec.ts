// The KKT's registration and FN health on screen, in Russian, by role and label: the tax systems the
// KKT is registered for and the one in use in the status panel; the FN's validity date and warning
// flags in the panel and as an alert in the header; a configured tax system the KKT is not registered
// for as a critical alert naming both, with sales refused in the cashier's words.
import { expect, test } from './station.ts';
import { addLine, fact, openTab, waitForStation } from './till.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The local date `days` from now as YYYY-MM-DD and as the panel shows it (DD.MM.YYYY). */
function dateIn(days: number): { iso: string; ru: string } {
  const d = new Date(Date.now() + days * DAY_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    iso: `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`,
    ru: `${p(d.getDate())}.${p(d.getMonth() + 1)}.${d.getFullYear()}`,
  };
}

const expires = dateIn(10);

test.describe('an FN that expires in 10 days, a KKT registered for УСН доход and ПСН, ПСН configured', () => {
  test.use({
    stationEnv: {
      STATION_EMULATOR_TAX_SYSTEMS: 'usn_income,patent',
      STATION_EMULATOR_FN_EXPIRES: expires.iso,
      STATION_TAX_SYSTEM: 'patent',
    },
  });

  test('the header warns about the FN; the status panel shows the registration, the date and the flags', async ({
    page,
  }) => {
    await waitForStation(page);
    const alerts = page.getByRole('region', { name: 'Предупреждения' });
    await expect(alerts.getByRole('alert').filter({ hasText: 'ФН: срок действия заканчивается' })).toHaveText(
      `ФН: срок действия заканчивается ${expires.ru} (осталось 9 дней). Замените фискальный накопитель до этой даты.`,
    );
    await expect(alerts.getByRole('alert').filter({ hasText: 'система налогообложения' })).toHaveCount(0);

    await openTab(page, 'Состояние');
    await expect.poll(() => fact(page, 'ККТ', 'Системы налогообложения ККТ')).toBe('УСН доход, ПСН');
    expect(await fact(page, 'ККТ', 'Применяемая система налогообложения')).toBe('ПСН');
    expect(await fact(page, 'ККТ', 'Версия ФФД')).toBe('1.2');
    expect(await fact(page, 'ККТ', 'ФН действует до')).toBe(`${expires.ru} (осталось 9 дней)`);
    expect(await fact(page, 'ККТ', 'Предупреждения ФН')).toBe('замена в течение 30 дней');
  });
});

test.describe('ОСН configured, the KKT registered for УСН доход and ПСН', () => {
  test.use({
    stationEnv: { STATION_EMULATOR_TAX_SYSTEMS: 'usn_income,patent', STATION_TAX_SYSTEM: 'osn' },
  });

  test('a critical alert names both, the panel says none is in use, and a sale is refused in words', async ({
    page,
  }) => {
    await waitForStation(page);
    const alert = page
      .getByRole('region', { name: 'Предупреждения' })
      .getByRole('alert')
      .filter({ hasText: 'Система налогообложения' });
    await expect(alert).toContainText(
      'Система налогообложения «ОСН» из настроек не зарегистрирована в ККТ (зарегистрированы: УСН доход, ПСН).',
    );
    await expect(alert).toHaveClass(/alert-critical/);

    await addLine(page, { name: 'Хлеб', price: '45,50' });
    await page.keyboard.press('F2');
    const dialog = page.getByRole('dialog', { name: 'Оплата' });
    await dialog.getByRole('button', { name: 'Пробить чек' }).click();
    await expect(dialog.getByRole('alert')).toContainText(
      'Система налогообложения «ОСН» из настроек не зарегистрирована в ККТ',
    );
    await dialog.getByRole('button', { name: 'Отмена' }).click();

    await openTab(page, 'Состояние');
    await expect
      .poll(() => fact(page, 'ККТ', 'Применяемая система налогообложения'))
      .toBe('не выбрана — продажи заблокированы');
  });
});
