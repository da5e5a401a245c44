// The manager's «Чек коррекции»: found by its labels, refused with the field named when the reason
// document is missing (nothing printed), printed with the reason document, and in the KKT's archive as
// a correction receipt (type 31) with 1173, 1174 and the unit.
import { join } from 'node:path';
import { readDurableState } from '../../src/kkt-emulator/state.ts';
import { expect, test } from './station.ts';
import { managerSignIn, waitForStation } from './till.ts';

type Doc = { type: number; tags?: Record<string, string>; items?: { tags?: Record<string, string> }[] };
/** The emulator's archive as a fresh emulator would load it (its snapshot and journal). */
const archive = (dataDir: string): Doc[] =>
  readDurableState(join(dataDir, 'kkt-emulator.json')).archive as Doc[];

test('a correction receipt from the manager screen', async ({ page, station }) => {
  await waitForStation(page);
  await managerSignIn(page, '4321');
  const form = page.getByRole('form', { name: 'Чек коррекции' });
  await form.getByLabel('Исправляемый расчёт').selectOption({ label: 'Приход' });
  await form.getByLabel('Тип коррекции').selectOption({ label: 'По предписанию налогового органа' });
  await form.getByLabel('Наименование').fill('Сахар');
  await form.getByLabel('Цена').fill('120');
  await form.getByLabel('Количество').fill('1,5');
  await form.getByLabel('Единица измерения').selectOption({ label: 'кг' });
  await form.getByRole('button', { name: 'Пробить чек коррекции' }).click();
  await expect(form.getByText('Укажите дату документа-основания.')).toBeVisible();
  await expect(form.getByText('Укажите номер документа-основания.')).toBeVisible();
  expect(archive(station.dataDir).filter((d) => d.type === 31)).toHaveLength(0);

  await form.getByLabel('Дата документа-основания').fill('2026-01-27');
  await form.getByLabel('Номер документа-основания').fill('ПР-5');
  await form.getByRole('button', { name: 'Пробить чек коррекции' }).click();
  await expect(page.getByTestId('correction-result')).toHaveText(/Чек коррекции пробит: ФД \d+\./);

  const corrections = archive(station.dataDir).filter((d) => d.type === 31);
  expect(corrections).toHaveLength(1);
  expect(corrections[0]!.tags?.['1173']).toBe('1');
  expect(corrections[0]!.tags?.['1174/1179']).toBe('ПР-5');
  expect(corrections[0]!.items?.[0]?.tags?.['2108']).toBe('11');
});
