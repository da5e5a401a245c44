// The catalogue as a CSV file, the way shops export it from 1C and МойСклад: a header row, then one
// item a row; `,` or `;` between cells (whichever the header uses); UTF-8 (with or without a BOM) or
// Windows-1251 (a file that is not valid UTF-8 is read as 1251, what 1C writes by default); cells in
// double quotes when they hold the separator, a quote or a line break (RFC 4180).
//
// Columns (any order, by header name, case ignored; Russian names accepted too):
//   code, name, price, vat_rate           required
//   barcodes (several with |), unit, weighed, marked, price_editable, payment_subject   optional
// Unknown columns are ignored (a 1C export carries more). Rows are numbered as a spreadsheet shows
// them: the header is row 1. Every bad cell is reported as "row N, column"; nothing is stored.
import iconv from 'iconv-lite';
import { CatalogValidationError, type FieldIssue } from '../../../shared/errors.ts';
import { unitShort } from '../../../shared/units.ts';
import { formatKopecks } from '../../../shared/money.ts';
import { checkBatch, type BatchEntry } from './catalog-batch.ts';
import type { CatalogItem } from './catalog-item.ts';

export const CSV_COLUMNS = [
  'code',
  'name',
  'price',
  'vat_rate',
  'barcodes',
  'unit',
  'weighed',
  'marked',
] as const;
const OPTIONAL_EXTRA = ['price_editable', 'payment_subject'] as const;
const REQUIRED = ['code', 'name', 'price', 'vat_rate'] as const;

/** Header spellings → column. */
const HEADER_ALIASES: Record<string, string> = {
  код: 'code',
  артикул: 'code',
  наименование: 'name',
  название: 'name',
  цена: 'price',
  ндс: 'vat_rate',
  'ставка ндс': 'vat_rate',
  vat: 'vat_rate',
  штрихкод: 'barcodes',
  штрихкоды: 'barcodes',
  barcode: 'barcodes',
  'единица измерения': 'unit',
  ед: 'unit',
  'ед.': 'unit',
  весовой: 'weighed',
  маркированный: 'marked',
  'свободная цена': 'price_editable',
  'предмет расчета': 'payment_subject',
};

export type CsvEncoding = 'utf-8' | 'windows-1251';

/** The text of a file: UTF-8 when it decodes as UTF-8 (BOM or not), else Windows-1251. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return {
      text: new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start)),
      encoding: 'utf-8',
    };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), 'win1251'), encoding: 'windows-1251' };
  }
}

/** The separator the header row uses: the one of `,` and `;` that occurs more often outside quotes. */
function detectSeparator(text: string): ',' | ';' {
  let commas = 0;
  let semis = 0;
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === ';') semis++;
  }
  return semis > commas ? ';' : ',';
}

interface CsvRow {
  /** The spreadsheet row number of the row's first line. */
  line: number;
  cells: string[];
}

/**
 * RFC 4180 records; a quoted cell may hold separators, doubled quotes and line breaks. Cells are cut
 * with indexOf and slice, not built a character at a time: 100,000 rows are read in well under a second.
 */
export function parseCsvRecords(text: string, sep: string): { rows: CsvRow[]; unclosedAt: number | null } {
  const rows: CsvRow[] = [];
  const plain = new RegExp(`[${sep === ';' ? ';' : ','}\r\n]`, 'g');
  let line = 1;
  let i = 0;
  let cells: string[] = [];
  let rowLine = 1;
  const n = text.length;
  while (i <= n) {
    let cell: string;
    // Leading spaces before an opening quote are allowed (`, "a"`), as spreadsheets write them.
    let j = i;
    while (text[j] === ' ') j++;
    if (text[j] === '"') {
      let parts = '';
      let from = j + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) return { rows, unclosedAt: rowLine };
        parts += text.slice(from, q);
        if (text[q + 1] === '"') {
          parts += '"';
          from = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      for (const c of parts) if (c === '\n') line++;
      // Anything between the closing quote and the separator is kept as the spreadsheet would.
      plain.lastIndex = i;
      const m = plain.exec(text);
      const stop = m ? m.index : n;
      cell = parts + text.slice(i, stop).trimEnd();
      i = stop;
    } else {
      plain.lastIndex = i;
      const m = plain.exec(text);
      const stop = m ? m.index : n;
      cell = text.slice(i, stop);
      i = stop;
    }
    cells.push(cell);
    const c = text[i];
    if (c === sep) {
      i++;
      continue;
    }
    // End of a row (a line break or the end of the text).
    if (!(cells.length === 1 && cells[0]!.trim() === '')) rows.push({ line: rowLine, cells });
    cells = [];
    if (c === '\r' && text[i + 1] === '\n') i++;
    i++;
    line++;
    rowLine = line;
  }
  return { rows, unclosedAt: null };
}

export interface ParsedCsv {
  items: CatalogItem[];
  encoding: CsvEncoding;
  separator: ',' | ';';
}

/** Reads a catalogue file; throws CatalogValidationError naming every bad row and column. */
export function parseCatalogCsv(bytes: Uint8Array): ParsedCsv {
  const { text, encoding } = decodeCsv(bytes);
  const separator = detectSeparator(text);
  const { rows, unclosedAt } = parseCsvRecords(text, separator);
  const fail = (issues: FieldIssue[]) => {
    throw new CatalogValidationError(issues);
  };
  if (unclosedAt !== null)
    fail([{ field: `row ${unclosedAt}`, message: 'ячейка в кавычках не закрыта (не хватает ")' }]);
  if (rows.length === 0)
    fail([{ field: 'row 1', message: `файл пуст; первая строка — заголовки ${CSV_COLUMNS.join(',')}` }]);
  const [header, ...data] = rows;
  const columns = header!.cells.map((h) => {
    const key = h
      .trim()
      .toLowerCase()
      .replace(/^\ufeff/, '');
    return HEADER_ALIASES[key] ?? key;
  });
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length)
    fail([
      {
        field: 'row 1',
        message: `в строке заголовков нет ${missing.length > 1 ? 'столбцов' : 'столбца'} ${missing.join(', ')}; нужна строка ${CSV_COLUMNS.join(',')} (разделитель «,» или «;»)`,
      },
    ]);
  const known = new Set<string>([...CSV_COLUMNS, ...OPTIONAL_EXTRA]);
  const issues: FieldIssue[] = [];
  const entries: BatchEntry[] = [];
  for (const row of data) {
    if (row.cells.length > columns.length && row.cells.slice(columns.length).some((c) => c.trim() !== ''))
      issues.push({
        field: `row ${row.line}`,
        message: `в строке ${row.cells.length} ячеек, а столбцов в заголовке ${columns.length} (разделитель внутри ячейки нужно взять в кавычки)`,
      });
    const value: Record<string, unknown> = {};
    columns.forEach((col, k) => {
      if (!known.has(col)) return;
      const cell = (row.cells[k] ?? '').trim();
      if (col === 'barcodes')
        value.barcodes = cell
          .split('|')
          .map((b) => b.trim())
          .filter(Boolean);
      else if (cell !== '' || REQUIRED.includes(col as (typeof REQUIRED)[number])) value[col] = cell;
    });
    entries.push({ where: `row ${row.line}`, value });
  }
  let items: CatalogItem[] = [];
  try {
    items = checkBatch(entries, (where, field) =>
      field ? `${where}, ${field.replace(/\[\d+\]$/, '')}` : where,
    );
  } catch (e) {
    if (!(e instanceof CatalogValidationError)) throw e;
    issues.push(...e.issues);
  }
  if (issues.length) {
    const rowOf = (f: string) => Number(/^row (\d+)/.exec(f)?.[1] ?? 0);
    fail(issues.sort((a, b) => rowOf(a.field) - rowOf(b.field)));
  }
  return { items, encoding, separator };
}

function csvCell(value: string, sep: string): string {
  return value.includes(sep) || /["\r\n]/.test(value) || value !== value.trim()
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

const VAT_TEXT: Record<string, string> = {
  vat22: '22',
  vat20: '20',
  vat10: '10',
  vat7: '7',
  vat5: '5',
  vat0: '0',
  vat122: '22/122',
  vat120: '20/120',
  vat110: '10/110',
  vat107: '7/107',
  vat105: '5/105',
  none: 'none',
};

/** The header and rows of an export, in the import's format (what export writes, import reads back). */
export function* catalogCsvLines(items: Iterable<CatalogItem>, sep: ',' | ';' = ','): Generator<string> {
  yield [...CSV_COLUMNS, ...OPTIONAL_EXTRA].join(sep);
  for (const it of items) {
    const price = formatKopecks(it.priceKop);
    yield [
      it.code,
      it.name,
      sep === ';' ? price.replace('.', ',') : price,
      VAT_TEXT[it.vat] ?? it.vat,
      it.barcodes.join('|'),
      it.unit === 0 ? '' : unitShort(it.unit),
      it.weighed ? '1' : '0',
      it.marked ? '1' : '0',
      it.freePrice ? '1' : '0',
      String(it.paymentSubject),
    ]
      .map((c) => csvCell(c, sep))
      .join(sep);
  }
}
