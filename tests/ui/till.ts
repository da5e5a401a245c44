// Shared steps for the UI specs, written as a cashier would do them: find controls by role and name.
import type { Locator, Page } from '@playwright/test';
import { expect } from './station.ts';

export const VAT = {
  vat22: '22 %',
  vat20: '20 %',
  vat10: '10 %',
  vat122: '22/122',
  vat0: '0 %',
  none: 'без НДС',
} as const;

export interface Line {
  name: string;
  quantity?: string;
  price: string;
  vat?: string;
}

/** Waits until the header shows a live snapshot (the chip says online/offline/degraded). */
export async function waitForStation(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Касса', level: 1 })).toBeVisible();
  await expect(page.getByTestId('status-chip')).toHaveText(/Онлайн|Офлайн|Связь с ОФД/);
}

export function tab(page: Page, name: string): Locator {
  return page.getByRole('tablist', { name: 'Разделы' }).getByRole('tab', { name, exact: true });
}

export async function openTab(page: Page, name: string): Promise<void> {
  await tab(page, name).click();
  await expect(tab(page, name)).toHaveAttribute('aria-selected', 'true');
}

/** Adds one line through the line form (mouse and typing, as at a till with a touch screen). */
export async function addLine(page: Page, line: Line): Promise<void> {
  await page.getByRole('textbox', { name: 'Наименование' }).fill(line.name);
  await page.getByRole('textbox', { name: 'Количество' }).fill(line.quantity ?? '1');
  await page.getByRole('textbox', { name: 'Цена' }).fill(line.price);
  if (line.vat) await page.getByRole('combobox', { name: 'НДС' }).selectOption({ label: line.vat });
  await page.getByRole('button', { name: 'Добавить строку' }).click();
  await expect(linesTable(page).getByRole('button', { name: `Удалить строку «${line.name}»` })).toBeVisible();
}

export function linesTable(page: Page): Locator {
  return page.getByRole('table', { name: 'Строки чека' });
}

export function paymentDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Оплата' });
}

export function result(page: Page): Locator {
  return page.getByRole('region', { name: 'Чек пробит' });
}

/** Rings a cash sale of the given lines, paid exactly; returns the printed FD number. */
export async function cashSale(page: Page, lines: Line[], received?: string): Promise<number> {
  for (const l of lines) await addLine(page, l);
  await page.getByRole('button', { name: 'Оплатить' }).click();
  const dialog = paymentDialog(page);
  await expect(dialog).toBeVisible();
  if (received !== undefined)
    await dialog.getByRole('textbox', { name: 'Получено наличными' }).fill(received);
  await dialog.getByRole('button', { name: 'Пробить чек' }).click();
  await expect(dialog).toBeHidden();
  await expect(result(page)).toBeVisible();
  const fd = Number(await result(page).getByTestId('fd-number').textContent());
  expect(fd).toBeGreaterThan(0);
  return fd;
}

/** Starts the next sale from the result panel. */
export async function newSale(page: Page): Promise<void> {
  await result(page).getByRole('button', { name: 'Новый чек' }).click();
  await expect(result(page)).toBeHidden();
  await expect(page.getByRole('textbox', { name: 'Наименование' })).toBeFocused();
}

/**
 * Sets the manager PIN (first time) and signs in; leaves the manager section open and signed in. A
 * manager's approval still running (a sign-in a few minutes ago) opens the section without the PIN.
 */
export async function managerSignIn(page: Page, pin: string): Promise<void> {
  await openTab(page, 'Менеджер');
  const newPin = page.getByLabel('Новый PIN', { exact: true });
  const signIn = page.getByLabel('PIN менеджера', { exact: true });
  const syncNow = page.getByRole('button', { name: 'Синхронизировать сейчас' });
  await expect(newPin.or(signIn).or(syncNow).first()).toBeVisible();
  if (await syncNow.isVisible()) return;
  if (await newPin.isVisible()) {
    await newPin.fill(pin);
    await page.getByLabel('Повторите PIN', { exact: true }).fill(pin);
    await page.getByRole('button', { name: 'Задать PIN' }).click();
  }
  await signIn.fill(pin);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByRole('button', { name: 'Синхронизировать сейчас' })).toBeVisible();
}

/** Money as the UI prints it: plain spaces between thousands, a comma, the rouble sign. */
export function money(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** The value next to a term in a facts list of a region ("Последний ФД" → "12"). */
export async function fact(page: Page, region: string, term: string): Promise<string> {
  const r = page.getByRole('region', { name: region });
  const names = await r.getByRole('term').allTextContents();
  const i = names.indexOf(term);
  expect(i, `${region} shows ${term}`).toBeGreaterThanOrEqual(0);
  return (await r.getByRole('definition').nth(i).textContent()) ?? '';
}
