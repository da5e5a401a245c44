// The catalogue's CSV import and export, as a shop gets files out of 1C and МойСклад: the header row,
// `,` or `;`, UTF-8 or Windows-1251 (detected), quoted cells, all-or-nothing with every bad row and
// column named; and `npm run catalog -- import/export` on a real data directory, round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { parseCatalogCsv } from '../src/main/core/catalog/catalog-csv.ts';
import { CatalogValidationError } from '../src/shared/errors.ts';
import { catalogIssueRu } from '../src/shared/catalog-issues.ts';
import { bundlePath } from './helpers/bundles.ts';
import { tempDir } from './helpers/fixture.ts';

const GOOD = [
  'code,name,price,vat_rate,barcodes,unit,weighed,marked',
  '1001,Хлеб Бородинский,45.50,10,4600000000015,шт,0,0',
  '1002,"Молоко ""Простоквашино"", 3,2 %",89.90,10%,4600000000022|2900000000018,л,нет,нет',
  '00123,Сыр Российский,650,10,,кг,1,0',
  '1004,Сигареты,230,22,4607000000014,,,1',
].join('\r\n');

function issuesOf(text: string | Uint8Array): { field: string; message: string }[] {
  try {
    parseCatalogCsv(typeof text === 'string' ? Buffer.from(text) : text);
  } catch (e) {
    if (e instanceof CatalogValidationError) return e.issues;
    throw e;
  }
  assert.fail('the file was accepted');
}

test('a comma-separated UTF-8 file: quotes, several barcodes, units and flags', () => {
  const { items, encoding, separator } = parseCatalogCsv(Buffer.from(GOOD));
  assert.equal(encoding, 'utf-8');
  assert.equal(separator, ',');
  assert.equal(items.length, 4);
  assert.deepEqual(items[1], {
    code: '1002',
    name: 'Молоко "Простоквашино", 3,2 %',
    priceKop: 8990,
    vat: 'vat10',
    unit: 41,
    barcodes: ['4600000000022', '2900000000018'],
    weighed: false,
    marked: false,
    freePrice: false,
    paymentSubject: 1,
  });
  assert.equal(items[2]!.unit, 11);
  assert.equal(items[2]!.weighed, true);
  assert.equal(items[3]!.marked, true);
  assert.equal(items[3]!.vat, 'vat22');
});

test('a Windows-1251 file with ; and decimal commas, as 1C writes it, is detected and read', () => {
  const text = [
    'Код;Наименование;Цена;НДС;Штрихкоды;Ед;Весовой;Маркированный',
    '1001;Хлеб Бородинский;45,50;10%;4600000000015;шт;нет;нет',
    '1003;Яйцо С1 десяток;119,90;Без НДС;;;;',
  ].join('\r\n');
  const bytes = iconv.encode(text, 'win1251');
  const { items, encoding, separator } = parseCatalogCsv(bytes);
  assert.equal(encoding, 'windows-1251');
  assert.equal(separator, ';');
  assert.equal(items[0]!.name, 'Хлеб Бородинский');
  assert.equal(items[0]!.priceKop, 4550);
  assert.equal(items[1]!.vat, 'none');
  // The same file in UTF-8 with a BOM reads the same.
  const utf8 = parseCatalogCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
  assert.equal(utf8.encoding, 'utf-8');
  assert.deepEqual(utf8.items, items);
});

test('bad rows: every one named by row and column, nothing accepted', () => {
  const issues = issuesOf(
    [
      'code,name,price,vat_rate,barcodes,unit,weighed,marked',
      '1001,Хлеб,45.50,10,4600000000015,шт,0,0',
      '1002,Молоко,89.999,10,,л,0,0',
      '1003,,10,10,,,,',
      '1004,Сыр,650,18,,ящик,да,0',
      '1001,Хлеб ещё раз,40,10,,,,',
      '1005,Батон,30,10,,,может быть,0',
      '1006,Батон нарезной,30,10,4600000000015,,,',
    ].join('\n'),
  );
  assert.deepEqual(
    issues.map((i) => i.field),
    [
      'row 3, price',
      'row 4, name',
      'row 5, vat_rate',
      'row 5, unit',
      'row 6, code',
      'row 7, weighed',
      'row 8, barcodes',
    ],
  );
  assert.match(issues[4]!.message, /^код 1001 уже есть: строка 2$/);
  assert.match(issues[6]!.message, /^штрихкод 4600000000015 уже есть: строка 2$/);
  assert.equal(
    catalogIssueRu(issues[0]!),
    'Строка 3, столбец «price»: цена должна быть числом в рублях, не больше 2 знаков после запятой, например 89,90 (указано "89.999")',
  );
  for (const i of issues) assert.doesNotMatch(i.message, /\b(must|is|the|at)\b/, i.message);
});

test('a file that is not a catalogue says what is wrong with its header or its quotes', () => {
  assert.match(issuesOf('')[0]!.message, /файл пуст/);
  assert.match(issuesOf('id,title\n1,x')[0]!.message, /нет столбцов code, name, price, vat_rate/);
  assert.deepEqual(issuesOf('code,name,price,vat_rate\n1,"Хлеб,45,10\n2,Молоко,1,10'), [
    { field: 'row 2', message: 'ячейка в кавычках не закрыта (не хватает ")' },
  ]);
  assert.equal(issuesOf('code,name,price,vat_rate\n1,Хлеб,45,50,10')[0]!.field, 'row 2');
});

/** `npm run catalog` as it runs: its bundle under plain Node (compiling it with tsx cost about a second a run). */
function cli(dataDir: string, ...args: string[]) {
  return spawnSync(process.execPath, [bundlePath('catalog'), ...args], {
    env: { ...process.env, STATION_DATA_DIR: dataDir },
    encoding: 'utf8',
  });
}

test('npm run catalog: import, export and import again round trip; a bad file changes nothing (exit 4)', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'goods.csv');
  writeFileSync(file, GOOD);
  const imported = cli(join(dir, 'data'), 'import', file);
  assert.equal(imported.status, 0, imported.stderr);
  assert.match(imported.stdout, /Imported 4 items .*4 new, 0 updated/);

  const out = join(dir, 'export.csv');
  const exported = cli(join(dir, 'data'), 'export', out, '--semicolon', '--windows-1251');
  assert.equal(exported.status, 0, exported.stderr);
  const again = parseCatalogCsv(readFileSync(out));
  assert.equal(again.encoding, 'windows-1251');
  assert.deepEqual(
    again.items,
    parseCatalogCsv(Buffer.from(GOOD))
      .items.sort((a, b) => (a.code < b.code ? -1 : 1))
      .map((i) => ({ ...i, barcodes: [...i.barcodes].sort() })),
  );

  writeFileSync(file, 'code,name,price,vat_rate\n2001,Новый товар,10,10\n2002,Плохой,-5,10\n');
  const bad = cli(join(dir, 'data'), 'import', file);
  assert.equal(bad.status, 4);
  assert.match(bad.stderr, /каталог не изменён, ни одна строка не сохранена/);
  assert.match(bad.stderr, /Строка 3, столбец «price»: цена должна быть числом в рублях/);
  const reexport = cli(join(dir, 'data'), 'export', out);
  assert.equal(reexport.status, 0);
  assert.doesNotMatch(readFileSync(out, 'utf8'), /Новый товар/);
  assert.equal(cli(join(dir, 'data'), 'frobnicate', file).status, 2);
});
